import Table from 'cli-table3';
// No rule between body rows: a list reads better without.
const chars = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };
// Columns apart by two spaces, no borders, as kubectl prints: easy to read and to grep.
const plain = Object.fromEntries(['top', 'top-mid', 'top-left', 'top-right', 'bottom', 'bottom-mid', 'bottom-left', 'bottom-right', 'left', 'left-mid', 'mid', 'mid-mid', 'right', 'right-mid'].map((k) => [k, '']));
/** A table with a header row, for people (cli-table3, colourless so that it pipes cleanly). */
export function table(head, rows) {
    const t = new Table({ head, chars: { ...plain, middle: '  ' }, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 } });
    t.push(...rows.map((r) => r.map(String)));
    return t.toString();
}
/** Two columns, name and value, for one resource. */
export function details(pairs) {
    const t = new Table({ chars, style: { head: [], border: [] } });
    for (const [k, v] of pairs)
        if (v !== undefined && v !== null && v !== '')
            t.push({ [k]: show(v) });
    return t.toString();
}
export function show(v) {
    if (v instanceof Date)
        return v.toISOString();
    if (Array.isArray(v))
        return v.map(show).join('\n');
    if (typeof v === 'object' && v !== null)
        return JSON.stringify(v);
    return String(v ?? '');
}
//# sourceMappingURL=table.js.map