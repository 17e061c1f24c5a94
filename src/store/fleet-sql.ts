import { sql, type RawBuilder } from 'kysely';
import { isNumeric, type Piece, type Query, type Value } from '../domain/fleet-query.js';
import type { DialectName } from './store.js';

/**
 * Compiles a parsed fleet query to a SQL condition on `t.thing_name` (a things row aliased t).
 * Every leaf is a lookup in thing_fields through (field, value_lc, thing_name) or (field, num,
 * thing_name): nothing is evaluated in JavaScript.
 * - 'set': the leaf is `t.thing_name in (select ...)`, for queries over the whole fleet;
 * - 'one': the leaf is `exists (... where f.thing_name = t.thing_name ...)`, for one thing's rows.
 */
export type Mode = 'set' | 'one';

export interface CompileOptions {
  dialect: DialectName;
  /** Connectivity indexing on: connectivity.* fields are searchable. */
  connectivity: boolean;
}

const REGISTRY_FIELDS = new Set(['thingName', 'thingId', 'thingTypeName', 'thingGroupNames']);
const CONNECTIVITY_FIELDS = new Set(['connectivity.connected', 'connectivity.timestamp', 'connectivity.disconnectReason']);
const ATTRIBUTE = /^attributes\..+$/;
/** Above every character: `prefix || TOP` bounds the values that start with prefix, in byte order. */
const TOP = '\u{10FFFF}';

/** Whether a field is indexed; any other (shadow.*, deviceDefender.*, unknown) matches nothing. */
export function searchable(field: string, o: CompileOptions): boolean {
  return REGISTRY_FIELDS.has(field) || ATTRIBUTE.test(field) || (o.connectivity && CONNECTIVITY_FIELDS.has(field));
}

const FALSE = sql<boolean>`1 = 0`;
const TRUE = sql<boolean>`1 = 1`;

function fieldCondition(field: string | null, o: CompileOptions): RawBuilder<boolean> {
  if (field !== null) return sql`f.field = ${field}`;
  return o.connectivity ? TRUE : sql`f.field not like 'connectivity.%'`;
}

const literalPrefix = (pieces: Piece[]): string => (typeof pieces[0] === 'string' ? pieces[0].toLowerCase() : '');

/** A wildcard value as GLOB (SQLite, byte-exact) or LIKE (PostgreSQL, over a "C"-collated column). */
function pattern(pieces: Piece[], dialect: DialectName): string {
  return pieces
    .map((p) => {
      if (typeof p !== 'string') return dialect === 'sqlite' ? p.wild : p.wild === '*' ? '%' : '_';
      const lc = p.toLowerCase();
      return dialect === 'sqlite' ? lc.replace(/[[*?]/g, '[$&]') : lc.replace(/[\\%_]/g, '\\$&');
    })
    .join('');
}

function valueCondition(v: Value, o: CompileOptions): RawBuilder<boolean> {
  const wild = !v.quoted && v.pieces.some((p) => typeof p !== 'string');
  if (!wild) return sql`f.value_lc = ${v.pieces.join('').toLowerCase()}`;
  const match = o.dialect === 'sqlite' ? sql<boolean>`f.value_lc glob ${pattern(v.pieces, 'sqlite')}` : sql<boolean>`f.value_lc like ${pattern(v.pieces, 'postgres')}`;
  const prefix = literalPrefix(v.pieces);
  // The literal prefix as a range: an index range scan on either backend, whatever the planner knows of the pattern.
  return prefix ? sql<boolean>`f.value_lc >= ${prefix} and f.value_lc < ${prefix + TOP} and ${match}` : match;
}

function rangeCondition(q: Extract<Query, { type: 'range' }>): RawBuilder<boolean> {
  const bounds = [q.lo, q.hi].filter((b): b is string => b !== null);
  // Numbers compare as numbers (9 < 10) and only numeric values take part; other bounds compare lower-cased strings byte by byte.
  const numeric = bounds.length > 0 && bounds.every(isNumeric);
  const col = numeric ? sql.ref('f.num') : sql.ref('f.value_lc');
  const val = (b: string) => (numeric ? Number(b) : b.toLowerCase());
  const parts: RawBuilder<boolean>[] = [];
  if (numeric) parts.push(sql`f.num is not null`);
  if (q.lo !== null) parts.push(q.loInclusive ? sql`${col} >= ${val(q.lo)}` : sql`${col} > ${val(q.lo)}`);
  if (q.hi !== null) parts.push(q.hiInclusive ? sql`${col} <= ${val(q.hi)}` : sql`${col} < ${val(q.hi)}`);
  return parts.length ? sql<boolean>`${sql.join(parts, sql` and `)}` : TRUE;
}

function leaf(field: string | null, cond: RawBuilder<boolean>, mode: Mode, o: CompileOptions): RawBuilder<boolean> {
  if (field !== null && !searchable(field, o)) return FALSE;
  const where = sql`${fieldCondition(field, o)} and ${cond}`;
  return mode === 'set'
    ? sql`t.thing_name in (select f.thing_name from thing_fields f where ${where})`
    : sql`exists (select 1 from thing_fields f where f.thing_name = t.thing_name and ${where})`;
}

/**
 * NOT is Lucene's: everything the operand does not match, things that lack the field included
 * (`NOT attributes.model:x` matches a thing without a model attribute).
 */
export function compile(q: Query, mode: Mode, o: CompileOptions): RawBuilder<boolean> {
  switch (q.type) {
    case 'all':
      return TRUE;
    case 'and':
    case 'or':
      return sql`(${sql.join(q.items.map((i) => compile(i, mode, o)), q.type === 'and' ? sql` and ` : sql` or `)})`;
    case 'not':
      return sql`(not ${compile(q.item, mode, o)})`;
    case 'exists':
      return leaf(q.field, TRUE, mode, o);
    case 'term':
      return leaf(q.field, valueCondition(q.value, o), mode, o);
    case 'range':
      return leaf(q.field, rangeCondition(q), mode, o);
  }
}
