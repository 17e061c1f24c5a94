/**
 * IAM wildcards: `*` any run of characters, `?` exactly one. They are not MQTT wildcards: `+` and `#`
 * are literal. Actions compare case-insensitively; resources case-sensitively, and an ARN pattern is
 * matched component by component (a `*` in region or account does not reach past its colon), as IAM
 * does for Resource and the Arn operators.
 */
import { LITERAL_QMARK, LITERAL_STAR, plain } from './variables.js';
const SPECIAL = /[.*+?^${}()|[\]\\/-]/g;
export const escapeRegExp = (s) => s.replace(SPECIAL, '\\$&');
/** Glob text → regex source; `star` is what `*` stands for. */
function globSource(glob, star, one) {
    let out = '';
    for (const ch of glob) {
        if (ch === '*')
            out += star;
        else if (ch === '?')
            out += one;
        else if (ch === LITERAL_STAR)
            out += '\\*';
        else if (ch === LITERAL_QMARK)
            out += '\\?';
        else
            out += escapeRegExp(ch);
    }
    return out;
}
/** Whole-string glob. */
export function globMatcher(glob, ignoreCase = false) {
    if (glob === '*')
        return () => true;
    if (!/[*?]/.test(glob)) {
        const text = plain(glob);
        if (!ignoreCase)
            return (v) => v === text;
        const lower = text.toLowerCase();
        return (v) => v.toLowerCase() === lower;
    }
    const re = new RegExp(`^${globSource(glob, '[\\s\\S]*', '[\\s\\S]')}$`, ignoreCase ? 'i' : '');
    return (v) => re.test(v);
}
/**
 * ARN glob: the first five colon-separated components (arn, partition, service, region, account) are
 * matched each on their own; the sixth (the resource, which may contain colons) takes the rest. A
 * pattern with fewer components lets its last one take the rest too (`arn:aws:iot:*` covers all of iot).
 */
export function arnMatcher(pattern) {
    if (pattern === '*')
        return () => true;
    if (!pattern.startsWith('arn:'))
        return globMatcher(pattern);
    if (!/[*?]/.test(pattern)) {
        const text = plain(pattern);
        return (v) => v === text;
    }
    const parts = [];
    let rest = pattern;
    while (parts.length < 5) {
        const i = rest.indexOf(':');
        if (i < 0)
            break;
        parts.push(rest.slice(0, i));
        rest = rest.slice(i + 1);
    }
    const head = parts.map((p) => globSource(p, '[^:]*', '[^:]') + ':').join('');
    const re = new RegExp(`^${head}${globSource(rest, '[\\s\\S]*', '[\\s\\S]')}$`);
    return (v) => re.test(v);
}
//# sourceMappingURL=wildcard.js.map