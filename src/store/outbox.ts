import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from './schema.js';
import type { EventType } from '../domain/event-types.js';
import { preparedWrite } from './prepared.js';

// Not store.ts's Db: the transaction object (tx.ts) writes here, and store.ts builds it.
type Db = Kysely<DB> | Transaction<DB>;
const rowLimit = (n: number) => sql.lit(n);

/**
 * The event outbox: an event owed by a transition is a row written in the transition's own
 * transaction, so a kill -9 between COMMIT and the publish loses nothing; the publisher
 * (mqtt/event-publisher.ts) claims rows with a wall-time lease, publishes, and deletes them. A bulk
 * transition is one row for its batch, expanded when published.
 */
export type OutboxBody =
  /** One message, ready but for nothing. */
  | { topic: string; payload: Record<string, unknown> }
  /** JOB_EXECUTION events of many executions of one job reaching one status (or deleted: status = the last one). */
  | { executions: { jobId: string; status: string; operation: string; things: string[]; details?: Record<string, string> | null; at: number } }
  /** THING_GROUP_MEMBERSHIP events of many things joining or leaving one group: [thingName, thingId, membershipId] each. */
  | { memberships: { op: 'ADDED' | 'REMOVED'; group: string; groupId: string; members: [string, string, string][]; at: number } };

export interface OutboxRow {
  id: number;
  /** The event type (UpdateEventConfigurations' names; COMMAND_EXECUTION for commands). */
  type: string;
  /** A UUID; the events of a bulk row take theirs from it by position, the same at every publish. */
  event_id: string;
  body: string;
}

// Built once: with events on, every execution that ends writes one row in the device's own transaction.
const insertEvent = preparedWrite<{ type: string; eventId: string; body: string }>((db, arg) =>
  db.insertInto('event_outbox').values({ type: arg('type'), event_id: arg('eventId'), body: arg('body'), lease_owner: null, lease_until: 0 }),
);

export async function recordEvent(db: Db, type: EventType | string, body: OutboxBody): Promise<void> {
  await insertEvent(db, { type, eventId: randomUUID(), body: JSON.stringify(body) });
}

/** Many events of one type, in multi-row INSERTs (5 variables a row: well under SQLite's 32766). */
export async function recordEvents(db: Db, type: EventType | string, bodies: OutboxBody[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 2000) {
    const rows = bodies.slice(i, i + 2000).map((body) => ({ type, event_id: randomUUID(), body: JSON.stringify(body), lease_owner: null, lease_until: 0 }));
    await db.insertInto('event_outbox').values(rows).execute();
  }
}

/**
 * Claims up to `limit` rows nobody holds (or whose holder's lease ran out: a node that died),
 * oldest first, for `leaseMs` of wall time. PostgreSQL nodes skip each other's locked rows.
 */
export async function claimEvents(db: Db, postgres: boolean, owner: string, nowMs: number, leaseMs: number, limit: number): Promise<OutboxRow[]> {
  const skip = postgres ? sql`for update skip locked` : sql``;
  const { rows } = await sql<OutboxRow>`
    update event_outbox set lease_owner = ${owner}, lease_until = ${nowMs + leaseMs}
    where id in (select id from event_outbox where lease_until < ${nowMs} order by id limit ${rowLimit(limit)} ${skip})
    returning id, type, event_id, body`.execute(db);
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

/** Rows published: gone (only if still this owner's, so a row another node took over is left to it). */
export async function removeEvents(db: Db, owner: string, ids: number[]): Promise<void> {
  if (ids.length) await db.deleteFrom('event_outbox').where('id', 'in', ids).where('lease_owner', '=', owner).execute();
}

/** Frees every claim (a single-node store at start: the claims were a dead process's). */
export async function releaseEvents(db: Db): Promise<void> {
  await db.updateTable('event_outbox').set({ lease_owner: null, lease_until: 0 }).where('lease_owner', 'is not', null).execute();
}

/** Whether any event is owed (the clock POST waits until none is). */
export async function anyEventOwed(db: Db): Promise<boolean> {
  return (await db.selectFrom('event_outbox').select('id').limit(rowLimit(1)).executeTakeFirst()) !== undefined;
}

/** The eventId of the i-th event of a row: the row's UUID with its last 48 bits moved on by i. */
export function nthEventId(base: string, i: number): string {
  if (i === 0) return base;
  const tail = (BigInt(`0x${base.slice(-12)}`) + BigInt(i)) & 0xffffffffffffn;
  return base.slice(0, -12) + tail.toString(16).padStart(12, '0');
}
