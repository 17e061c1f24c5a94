import peggy from 'peggy';
const GRAMMAR = String.raw `
{{
  const bind = (q, field) => {
    if (q.type === 'term' && q.field === null) return q.value.pieces.length === 1 && typeof q.value.pieces[0] !== 'string' && q.value.pieces[0].wild === '*' && !q.value.quoted
      ? { type: 'exists', field } : { ...q, field };
    if (q.type === 'and' || q.type === 'or') return { ...q, items: q.items.map((i) => bind(i, field)) };
    if (q.type === 'not') return { ...q, item: bind(q.item, field) };
    return q;
  };
  const join = (type, head, tail) => tail.length === 0 ? head : { type, items: [head, ...tail] };
}}

Query = _ q:Or _ { return q; }

Or = head:And tail:(_ ("OR" / "||") ![^ \t\r\n()] _ q:And { return q; })* { return join('or', head, tail); }

And = head:Unary tail:(_ (("AND" / "&&") ![^ \t\r\n()] _)? q:Unary { return q; })* { return join('and', head, tail); }

Unary
  = "NOT" ![^ \t\r\n()] _ q:Unary { return { type: 'not', item: q }; }
  / ("-" / "!") q:Unary { return { type: 'not', item: q }; }
  / "+" q:Unary { return q; }
  / Primary

Primary
  = "(" _ q:Or _ ")" { return q; }
  / Fielded
  / v:Value { return { type: 'term', field: null, value: v, column: location().start.column }; }

Fielded
  = f:Field _ op:("<=" / ">=" / "<" / ">") _ v:Bound {
      const lo = op[0] === '>' ? v : null, hi = op[0] === '<' ? v : null;
      return { type: 'range', field: f, lo, hi, loInclusive: op === '>=', hiInclusive: op === '<=', column: location().start.column };
    }
  / f:Field _ ":" _ r:Range { return { ...r, field: f }; }
  / f:Field _ ":" _ "(" _ q:Or _ ")" { return bind(q, f); }
  / f:Field _ ":" _ v:Value { return bind({ type: 'term', field: null, value: v, column: location().start.column }, f); }

Field "field name" = $([a-zA-Z_$] [a-zA-Z0-9_.$-]*)

Range
  = open:[[{] _ lo:Bound __ "TO" __ hi:Bound _ close:[\]}] {
      return { type: 'range', lo: lo === '*' ? null : lo, hi: hi === '*' ? null : hi, loInclusive: open === '[', hiInclusive: close === ']', column: location().start.column };
    }

Bound "range bound" = p:Phrase { return p.pieces.join(''); } / w:$(Char+) { return w.replace(/\\(.)/g, '$1'); }

Value "value" = Phrase / Word

Phrase = '"' s:$(([^"\\] / "\\" .)*) '"' { return { pieces: [s.replace(/\\(.)/g, '$1')], quoted: true }; }

Word = !Keyword p:(Piece)+ {
    const pieces = [];
    for (const x of p) if (typeof x === 'string' && typeof pieces[pieces.length - 1] === 'string') pieces[pieces.length - 1] += x; else pieces.push(x);
    return { pieces, quoted: false };
  }

Piece = "\\" c:. { return c; } / "*" { return { wild: '*' }; } / "?" { return { wild: '?' }; } / c:[^ \t\r\n\\*?():<>=\[\]{}"\x60@#%/';,!+^~|&] { return c; }

Char = "\\" . / [^ \t\r\n\\():<>=\[\]{}"\x60@#%/';,^~|&]

Keyword = ("AND" / "OR" / "NOT" / "TO") ![^ \t\r\n()]

__ "whitespace" = [ \t\r\n]+
_ = [ \t\r\n]*
`;
const parser = peggy.generate(GRAMMAR);
/** Current AWS pages: at most 12 terms per query, one of them with a leading wildcard (query then ≤ 100 characters). */
export const MAX_TERMS = 12;
export const MAX_LEADING_WILDCARD_QUERY = 100;
/** The 2019 limits, still the only numbers given: query ≤ 1000 bytes, ≤ 2 `*` and ≤ 5 `?` per term. */
export const MAX_QUERY_BYTES = 1000;
const MAX_STARS = 2;
const MAX_ONES = 5;
/** A query that does not parse or breaks a limit; `column` is 1-based when known. */
export class QuerySyntaxError extends Error {
    constructor(message) {
        super(message);
        this.name = 'QuerySyntaxError';
    }
}
const leaves = (q) => (q.type === 'and' || q.type === 'or' ? q.items.flatMap(leaves) : q.type === 'not' ? leaves(q.item) : [q]);
/** Parses a query string; throws QuerySyntaxError naming the column and what was expected. */
export function parseQuery(text) {
    if (Buffer.byteLength(text) > MAX_QUERY_BYTES)
        throw new QuerySyntaxError(`The query is longer than ${MAX_QUERY_BYTES} bytes`);
    if (text.trim() === '')
        throw new QuerySyntaxError('The query is empty');
    // Control characters (NUL among them, which PostgreSQL cannot store) are no part of a query.
    const control = text.search(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
    if (control >= 0)
        throw new QuerySyntaxError(`Syntax error at column ${control + 1}: a control character is not allowed`);
    let q;
    try {
        q = parser.parse(text);
    }
    catch (err) {
        const e = err;
        if (!e.location)
            throw err;
        throw new QuerySyntaxError(`Syntax error at column ${e.location.start.column}: ${e.message}`);
    }
    // A bare `*` matches every thing.
    if (q.type === 'term' && q.field === null && !q.value.quoted && q.value.pieces.length === 1 && typeof q.value.pieces[0] !== 'string') {
        if (q.value.pieces[0].wild === '*')
            return { type: 'all' };
    }
    const terms = leaves(q);
    if (terms.length > MAX_TERMS)
        throw new QuerySyntaxError(`The query has ${terms.length} terms; at most ${MAX_TERMS} are allowed`);
    let leading = 0;
    for (const t of terms) {
        if (t.type !== 'term' || t.value.quoted)
            continue;
        const wilds = t.value.pieces.filter((p) => typeof p !== 'string');
        if (wilds.filter((w) => w.wild === '*').length > MAX_STARS)
            throw new QuerySyntaxError(`Column ${t.column}: a term may hold at most ${MAX_STARS} '*' wildcards`);
        if (wilds.filter((w) => w.wild === '?').length > MAX_ONES)
            throw new QuerySyntaxError(`Column ${t.column}: a term may hold at most ${MAX_ONES} '?' wildcards`);
        if (typeof t.value.pieces[0] !== 'string')
            leading++;
    }
    if (leading > 1)
        throw new QuerySyntaxError('At most one term of a query may start with a wildcard');
    if (leading === 1 && text.length > MAX_LEADING_WILDCARD_QUERY)
        throw new QuerySyntaxError(`A query with a leading wildcard may be at most ${MAX_LEADING_WILDCARD_QUERY} characters long`);
    return q;
}
/**
 * The fields a query reads; 'all' when it has an unqualified term. A thing's match can only
 * change when one of them changes.
 */
export function queryFields(q) {
    const fields = new Set();
    for (const t of leaves(q)) {
        if (t.type === 'all')
            continue;
        if (t.type !== 'exists' && t.type !== 'term' && t.type !== 'range')
            continue;
        if (t.field === null)
            return 'all';
        fields.add(t.field);
    }
    return fields;
}
/** A numeric literal, as ranges compare numerically when their bounds are numbers. */
export const isNumeric = (s) => /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) && Number.isFinite(Number(s));
//# sourceMappingURL=fleet-query.js.map