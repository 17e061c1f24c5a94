import { sql } from 'kysely';
import { rowLimit, type Db } from '../store.js';
import { prepared } from '../prepared.js';
import type { JobRow, Tx } from '../tx.js';
import { queue, queued } from '../lifecycle/executions.js';
import { completeIfDone } from '../lifecycle/job-status.js';
import { groupWithDescendants } from '../groups.js';
import { fanoutCursor, owe, type FanoutCursor } from '../work.js';

/**
 * One bounded, resumable step of a job's fan-out to its thing-group targets: set-based
 * INSERT ... SELECT over group members in thing-name order, skipping things that already have an
 * execution. Returns the things that got one and whether the fan-out is complete; the cursor is kept
 * in the job's work cursor (also while a paced rollout walks its groups).
 */
export async function rolloutStep(tx: Tx, job: JobRow, now: number, limit: number): Promise<{ things: string[]; done: boolean; groupsLeft: number }> {
  tx.assertLocked(job.job_id);
  const jobId = job.job_id;
  const db = tx.db;
  let cursor: FanoutCursor = fanoutCursor(job);
  const groups = await db
    .selectFrom('job_targets')
    .select(['position', 'name'])
    .where('job_id', '=', jobId)
    .where('kind', '=', 'group')
    .where('position', '>=', cursor.t)
    .orderBy('position')
    .execute();
  const things: string[] = [];
  let budget = limit;
  for (const g of groups) {
    if (budget <= 0) break;
    if (g.position !== cursor.t) cursor = { t: g.position, after: '' };
    const names = await groupWithDescendants(db, g.name);
    // The upper bound of this batch; none means the rest of the group fits in the budget.
    // And whether any member follows it: a batch that takes exactly the rest of the last group
    // finishes the rollout in this step, not in an empty one after (a paced rollout would show
    // isConcurrent until its next release time).
    let inGroup = membersOf(db, names);
    // A SNAPSHOT job's targets are the members at CreateJob, however long a paced fan-out runs.
    if (job.member_seq !== null) inGroup = inGroup.where('m.added_seq', '<', job.member_seq);
    const [bound, after] = await inGroup
      .select('m.thing_name')
      .where('m.thing_name', '>', cursor.after)
      .orderBy('m.thing_name')
      .limit(rowLimit(2))
      .offset(budget - 1)
      .execute();
    let members = inGroup.distinct().where('m.thing_name', '>', cursor.after);
    if (bound) members = members.where('m.thing_name', '<=', bound.thing_name);
    const insert = db
      .insertInto('job_executions')
      .columns([
        'job_id',
        'thing_name',
        'execution_number',
        'status',
        'status_details',
        'force_canceled',
        'queued_at',
        'started_at',
        'last_updated_at',
        'version_number',
        'step_timeout_minutes',
        'listed',
      ])
      .expression(
        members.select([
          sql.lit(jobId).as('job_id'),
          'm.thing_name',
          sql.lit(1).as('execution_number'),
          sql.lit('QUEUED').as('status'),
          sql`cast(null as text)`.as('status_details'),
          sql.lit(0).as('force_canceled'),
          sql.lit(now).as('queued_at'),
          sql`cast(null as bigint)`.as('started_at'),
          sql.lit(now).as('last_updated_at'),
          sql.lit(1).as('version_number'),
          sql`cast(null as bigint)`.as('step_timeout_minutes'),
          sql.lit(1).as('listed'),
        ]) as never,
      )
      // Things that already have an execution (direct targets, overlapping groups) are skipped by
      // the unique index rather than an anti-join, which PostgreSQL plans as a scan of the job.
      .onConflict((oc) => oc.columns(['job_id', 'thing_name', 'execution_number']).doNothing());
    const added = tx.postgres ? (await insert.returning('thing_name').execute()).map((r) => r.thing_name) : await insertedNames(db, insert);
    for (const name of added) things.push(name);
    if (bound) {
      const more = after !== undefined && (await anyWithout(db, jobId, inGroup, bound.thing_name));
      cursor = more ? { t: g.position, after: bound.thing_name } : { t: g.position + 1, after: '' };
      budget = 0;
    } else {
      budget -= added.length;
      cursor = { t: g.position + 1, after: '' };
    }
  }
  const done = budget > 0 || groups.length === 0 || cursor.t > groups[groups.length - 1]!.position;
  const groupsLeft = done ? 0 : groups.filter((g) => g.position >= cursor.t).length;
  await queued(tx, jobId, things, job.namespace_id, now);
  // The cursor and the job's time in one statement (a step's writes are what a 1M fan-out pays for).
  await db.updateTable('jobs').set({ work_cursor: done ? null : JSON.stringify(cursor), last_updated_at: now }).where('job_id', '=', jobId).execute();
  return { things, done, groupsLeft };
}

/**
 * SQLite: the names of the rows an INSERT ... SELECT added, without RETURNING, which buffers every
 * row it returns and cost a 1,000,000 fan-out 0.8 s of its 2 (bench/floor-bulk.ts). SQLite gives a
 * new row the largest rowid + 1 and the transaction is the only writer, so the rows added are those
 * past the largest id before it; their names come back as one string.
 */
async function insertedNames(db: Db, insert: { executeTakeFirst(): Promise<{ numInsertedOrUpdatedRows?: bigint }> }): Promise<string[]> {
  const [top] = await lastId(db, {});
  const n = Number((await insert.executeTakeFirst()).numInsertedOrUpdatedRows ?? 0);
  if (n === 0) return [];
  const [row] = await namesAfter(db, { id: top?.id ?? 0 });
  const names = row?.names ? row.names.split(NUL) : [];
  if (names.length !== n) throw new Error(`fan-out: ${n} rows inserted, ${names.length} found past id ${top?.id ?? 0}`);
  return names;
}
const NUL = '\u0000';
const lastId = prepared<object, { id: number | null }>((db) => db.selectFrom('job_executions').select((eb) => eb.fn.max('id').as('id')));
// Thing names cannot hold a NUL ([a-zA-Z0-9:_-]+): one string for the batch instead of a row object per name.
const namesAfter = prepared<{ id: number }, { names: string | null }>((_db, arg) => sql`select group_concat(thing_name, char(0)) as names from job_executions where id > ${arg('id')}`);

/**
 * Whether a member past `after` may still lack an execution of the job: looks at the next few
 * (CONTINUOUS joiners and direct targets already have theirs); when all of those have one, it
 * answers yes and the next step walks on.
 */
async function anyWithout(db: Db, jobId: string, inGroup: MembersQuery, after: string): Promise<boolean> {
  const next = (await inGroup.select('m.thing_name').where('m.thing_name', '>', after).orderBy('m.thing_name').limit(rowLimit(LOOKAHEAD)).execute()).map((r) => r.thing_name);
  if (next.length === 0) return false;
  const have = await db.selectFrom('job_executions').select('thing_name').distinct().where('job_id', '=', jobId).where('thing_name', 'in', next).execute();
  return have.length < new Set(next).size || next.length === LOOKAHEAD;
}
const LOOKAHEAD = 50;
type MembersQuery = ReturnType<typeof membersOf>;
const membersOf = (db: Db, names: string[]) => db.selectFrom('group_members as m').where('m.group_name', 'in', names);

/** Queues direct thing targets without an execution (a thing deleted since CreateJob gets none). */
export async function queueDirect(tx: Tx, job: Pick<JobRow, 'job_id' | 'namespace_id'>, names: string[], now: number, limit = Infinity): Promise<{ things: string[]; missing: number }> {
  if (names.length === 0) return { things: [], missing: 0 };
  const have = new Set((await tx.db.selectFrom('job_executions').select('thing_name').where('job_id', '=', job.job_id).where('thing_name', 'in', names).execute()).map((r) => r.thing_name));
  const alive = new Set((await tx.db.selectFrom('things').select('thing_name').where('thing_name', 'in', names).execute()).map((r) => r.thing_name));
  const missing = names.filter((n) => !have.has(n) && alive.has(n));
  const things: string[] = [];
  for (const name of missing.slice(0, limit)) if (await queue(tx, job.job_id, name, now, job.namespace_id)) things.push(name);
  return { things, missing: missing.length };
}

/**
 * An unpaced rollout's start (CreateJob, a scheduled start, AssociateTargetsWithJob): every direct
 * thing at once, and a first step of the group fan-out; the rest is owed to the engine.
 */
export async function fanOut(tx: Tx, job: JobRow, things: string[], now: number, limit: number): Promise<string[]> {
  const touched = (await queueDirect(tx, job, things, now)).things;
  if (job.pending_work === 'rollout') {
    const step = await rolloutStep(tx, job, now, limit);
    touched.push(...step.things);
    if (step.done) await owe(tx, job, null, now);
  }
  await completeIfDone(tx, job.job_id, now);
  return touched;
}
