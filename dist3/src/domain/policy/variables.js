/**
 * Policy variables in Resource and in condition values: `${aws:username}`, `${iot:ClientId}`, with an
 * optional default `${aws:username, 'anonymous'}`, and the escapes `${*}`, `${?}`, `${$}` for literal
 * characters. Only a `2012-10-17` policy has variables; an older or missing Version reads `${...}` as text.
 *
 * A resolved value is inserted as literal text: a `*` in a client id is a star, not a wildcard. Literal
 * wildcard characters travel as the two sentinels below until a matcher is built, then become escaped.
 */
export const LITERAL_STAR = '\u0000';
export const LITERAL_QMARK = '\u0001';
const literal = (s) => s.replaceAll('*', LITERAL_STAR).replaceAll('?', LITERAL_QMARK);
/** Sentinels back to plain characters (for exact comparisons). */
export const plain = (s) => s.replaceAll(LITERAL_STAR, '*').replaceAll(LITERAL_QMARK, '?');
const VARIABLE = /\$\{([^}]*)\}/g;
const WITH_DEFAULT = /^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$/;
export function parseTemplate(text, variables) {
    if (!variables || !text.includes('${'))
        return { parts: [text], hasVariables: false };
    const parts = [];
    let last = 0;
    let hasVariables = false;
    for (const m of text.matchAll(VARIABLE)) {
        let chunk = text.slice(last, m.index);
        const inner = m[1];
        if (inner === '*' || inner === '?' || inner === '$') {
            chunk += inner === '$' ? '$' : literal(inner);
            parts.push(chunk);
        }
        else {
            if (chunk)
                parts.push(chunk);
            const d = WITH_DEFAULT.exec(inner);
            parts.push(d ? { name: d[1], fallback: d[2] } : { name: inner.trim() });
            hasVariables = true;
        }
        last = m.index + m[0].length;
    }
    if (last < text.length)
        parts.push(text.slice(last));
    return { parts, hasVariables };
}
/** The template's text with variables replaced, or undefined when one has no value and no default. */
export function resolveTemplate(t, lookup) {
    if (!t.hasVariables)
        return t.parts.join('');
    let out = '';
    for (const p of t.parts) {
        if (typeof p === 'string')
            out += p;
        else {
            const v = lookup(p.name) ?? p.fallback;
            if (v === undefined)
                return undefined;
            out += literal(v);
        }
    }
    return out;
}
//# sourceMappingURL=variables.js.map