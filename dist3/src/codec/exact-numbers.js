import { parse as parseLossless } from 'lossless-json';
/**
 * Whole numbers as the client wrote them. A double holds integers exactly only up to 2^53: past
 * that, -9223372036854775809 reads as -2^63, inside a 64-bit long, and PostgreSQL then refuses
 * the rounded text of it as out of range (issue 26). So a whole number past 2^53 is a bigint here,
 * exact, and the codec checks `long` members on that; every other number stays a double.
 */
const WHOLE = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
/** Past this many digits a number is far outside a long: its double says so just as well. */
const MAX_DIGITS = 40;
/** The exact integer a JSON number text denotes (1e3, 12.30e1 too), if it is one and not absurdly long. */
function wholeValue(text) {
    const m = WHOLE.exec(text);
    if (!m)
        return undefined;
    const fraction = m[3] ?? '';
    let digits = `${m[2]}${fraction}`.replace(/^0+/, '');
    let exponent = Number(m[4] ?? 0) - fraction.length;
    const trimmed = digits.replace(/0+$/, '');
    exponent += digits.length - trimmed.length;
    digits = trimmed;
    if (digits === '')
        return 0n;
    if (exponent < 0 || digits.length + exponent > MAX_DIGITS)
        return undefined;
    const v = BigInt(digits) * 10n ** BigInt(exponent);
    return m[1] ? -v : v;
}
/** A number's text as a value: a double, or a bigint for an integer a double would round. */
export function exactNumber(text) {
    const n = Number(text);
    if (Number.isSafeInteger(n))
        return n;
    return wholeValue(text) ?? n;
}
// A number token that a double may round: 16 digits or more, or an exponent. It may also match
// inside a string, which only costs the slower parse.
const RISKY = /[:,[]\s*-?(?:\d{16}|\d+(?:\.\d+)?[eE])/;
/** JSON.parse, but with exactNumber's values; throws SyntaxError as JSON.parse does. */
export function parseJsonExact(text) {
    const fast = JSON.parse(text);
    if (!RISKY.test(text))
        return fast;
    try {
        // Duplicate keys: the last one wins, as with JSON.parse.
        return parseLossless(text, null, { parseNumber: exactNumber, onDuplicateKey: ({ newValue }) => newValue });
    }
    catch {
        // Valid JSON that the recursive parser cannot walk (nested thousands of levels deep).
        throw new SyntaxError('JSON nested too deeply');
    }
}
//# sourceMappingURL=exact-numbers.js.map