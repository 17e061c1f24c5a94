import { sql, type Selectable } from 'kysely';
import { forUpdate, isPostgres, rowLimit, type Db } from './store.js';
import { prepared } from './prepared.js';
import type { JobsTable } from './schema.js';
import { adjustCounters, moveBatch, moveDelta } from './executions.js';
import { cancelableStatuses, PENDING_EXECUTION_STATUSES, snapshotComplete } from '../domain/states.js';

export type JobRow = Selectable<JobsTable>;

export const getJob = (db: Db, jobId: string): Promise<JobRow | undefined> =>
  db.selectFrom('jobs').selectAll().where('job_id', '=', jobId).executeTakeFirst();

/**
 * The job row, locked until the transaction ends (PostgreSQL; SQLite serialises writers). Lock
 * order on every path: a thing, then its jobs (in job_id order), then their executions; a
 * transaction reads what it decides on after taking the locks.
 */
export const lockJob = (db: Db, jobId: string): Promise<JobRow | undefined> =>
  forUpdate(db, db.selectFrom('jobs').selectAll().where('job_id', '=', jobId)).executeTakeFirst();

/** lockJob for several jobs, in job_id order, so that two such transactions cannot deadlock. */
export async function lockJobs(db: Db, jobIds: string[]): Promise<void> {
  if (!isPostgres(db) || jobIds.length === 0) return;
  await db.selectFrom('jobs').select('job_id').where('job_id', 'in', jobIds).orderBy('job_id').forUpdate().execute();
}

// Read after every execution that ends (the device hot path), under the job's row lock: the
// counters it tests are then the latest.
const completionState = (postgres: boolean) =>
  prepared<{ jobId: string }, Pick<JobRow, 'status' | 'target_selection' | 'pending_work' | 'n_queued' | 'n_in_progress' | 'rollout_pace' | 'rollout_ended'>>((db, arg) => {
    const q = db
      .selectFrom('jobs')
      .select(['status', 'target_selection', 'pending_work', 'n_queued', 'n_in_progress', 'rollout_pace', 'rollout_ended'])
      .where('job_id', '=', arg('jobId'));
    return postgres ? q.forUpdate() : q;
  });
const completionStates = { sqlite: completionState(false), postgres: completionState(true) };

/** A SNAPSHOT job whose executions are all terminal becomes COMPLETED. */
export async function completeIfDone(db: Db, jobId: string, now: number): Promise<void> {
  const [job] = await completionStates[isPostgres(db) ? 'postgres' : 'sqlite'](db, { jobId });
  if (job && snapshotComplete(job)) {
    await db
      .updateTable('jobs')
      .set({ status: 'COMPLETED', completed_at: now, last_updated_at: now })
      .where('job_id', '=', jobId)
      .where('status', '=', 'IN_PROGRESS')
      .execute();
  }
}

/** A group and all groups below it. */
export async function groupWithDescendants(db: Db, groupName: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    with recursive d(name) as (
      select cast(${groupName} as varchar(128))
      union
      select g.group_name from thing_groups g join d on g.parent_group_name = d.name
    ) select name from d`.execute(db);
  return rows.map((r) => r.name);
}

/** A group and all groups above it. */
export async function groupWithAncestors(db: Db, groupName: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    with recursive a(name) as (
      select cast(${groupName} as varchar(128))
      union
      select g.parent_group_name from thing_groups g join a on g.group_name = a.name where g.parent_group_name is not null
    ) select name from a`.execute(db);
  return rows.map((r) => r.name);
}

interface RolloutCursor {
  /** Position in job_targets of the group being rolled out. */
  t: number;
  /** Last thing name handled in that group. */
  after: string;
}

/**
 * One bounded, resumable step of a job's fan-out to its thing-group targets: set-based
 * INSERT ... SELECT over group members in thing-name order, skipping things that already have an
 * execution. Returns the things that got one and whether the rollout is complete.
 */
export async function rolloutStep(db: Db, jobId: string, now: number, limit: number): Promise<{ things: string[]; done: boolean; groupsLeft: number }> {
  const job = await getJob(db, jobId);
  if (!job) return { things: [], done: true, groupsLeft: 0 };
  let cursor: RolloutCursor = job.rollout_cursor ? (JSON.parse(job.rollout_cursor) as RolloutCursor) : { t: 0, after: '' };
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
    const inserted = await db
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
      .onConflict((oc) => oc.columns(['job_id', 'thing_name', 'execution_number']).doNothing())
      .returning('thing_name')
      .execute();
    for (const r of inserted) things.push(r.thing_name);
    if (bound) {
      const more = after !== undefined && (await anyWithout(db, jobId, inGroup, bound.thing_name));
      cursor = more ? { t: g.position, after: bound.thing_name } : { t: g.position + 1, after: '' };
      budget = 0;
    } else {
      budget -= inserted.length;
      cursor = { t: g.position + 1, after: '' };
    }
  }
  const done = budget > 0 || groups.length === 0 || cursor.t > groups[groups.length - 1]!.position;
  const groupsLeft = done ? 0 : groups.filter((g) => g.position >= cursor.t).length;
  if (things.length) await adjustCounters(db, jobId, { n_queued: things.length });
  await db
    .updateTable('jobs')
    .set({ rollout_cursor: done ? null : JSON.stringify(cursor), last_updated_at: now })
    .where('job_id', '=', jobId)
    .execute();
  return { things, done, groupsLeft };
}

/**
 * The last thing of a keyset batch of a job's executions past `after`, in the database's own
 * order (its collation, not JavaScript's); undefined when fewer than `limit` remain.
 */
async function batchBound(db: Db, jobId: string, op: '>' | '>=', after: string, limit: number): Promise<{ thing_name: string } | undefined> {
  const q = db.selectFrom('job_executions').select('thing_name').where('job_id', '=', jobId).where('thing_name', op, after);
  return q.orderBy('thing_name').limit(rowLimit(1)).offset(limit - 1).executeTakeFirst();
}

/**
 * One bounded step of CancelJob (and of an abort): QUEUED (and with force IN_PROGRESS) executions
 * become CANCELED, in thing-name order from the cursor kept in `rollout_cursor`, which this step
 * advances. A thing has at most one pending execution per job, so the batch is the next `limit`
 * pending things. The caller holds the job's lock, which every status change of the job's
 * executions takes first, so they are the things the UPDATEs move (no RETURNING of every name).
 * `unlist: false` (the worker) leaves the moved rows in the pending index for sweepStep.
 */
export async function cancelStep(db: Db, job: JobRow, now: number, limit: number, opts: { unlist: boolean } = { unlist: true }): Promise<{ things: string[]; done: boolean }> {
  const force = job.force_canceled === 1;
  const statuses = cancelableStatuses(force);
  const after = job.rollout_cursor ?? '';
  const batch = db
    .selectFrom('job_executions')
    .select('thing_name')
    .where('job_id', '=', job.job_id)
    .where('thing_name', '>', after)
    .where('status', 'in', statuses)
    .orderBy('thing_name')
    .limit(rowLimit(limit))
    .as('b');
  // One row for the batch: a row object per thing cost more than the UPDATE's index work. Thing
  // names cannot hold a comma (the model's pattern); max() is the bound in the database's order.
  const { n, last, names } = await db
    .selectFrom(batch)
    .select([sql<number | string>`count(*)`.as('n'), sql<string | null>`max(b.thing_name)`.as('last'), sql<string | null>`string_agg(b.thing_name, ',')`.as('names')])
    .executeTakeFirstOrThrow();
  const things = names ? names.split(',') : [];
  const upTo = Number(n) === limit && last !== null ? last : undefined;
  for (const from of statuses) {
    await moveBatch(db, job.job_id, from, 'CANCELED', { now, force: from === 'IN_PROGRESS', unlist: opts.unlist, things: { after, upTo } });
  }
  await db
    .updateTable('jobs')
    .set({ rollout_cursor: upTo ?? null })
    .where('job_id', '=', job.job_id)
    .execute();
  return { things, done: upTo === undefined };
}

/**
 * One bounded step of the sweep after a worker's cancel: the job's ended executions that are
 * still listed leave the pending index. The batch bound walks the job's index alone; the sweep
 * changes no status, counter or notification. Returns how many rows it unlisted.
 */
export async function sweepStep(db: Db, jobId: string, cursor: string | null, limit: number): Promise<{ n: number; done: boolean }> {
  const after = cursor ?? '';
  const bound = await batchBound(db, jobId, '>', after, limit);
  // `listed` as a parameter, not the index's literal predicate: SQLite then walks the job's index.
  let q = db
    .updateTable('job_executions')
    .set({ listed: 0 })
    .where('job_id', '=', jobId)
    .where('thing_name', '>', after)
    .where('listed', '=', 1)
    .where('status', 'not in', [...PENDING_EXECUTION_STATUSES]);
  if (bound) q = q.where('thing_name', '<=', bound.thing_name);
  const n = Number((await q.executeTakeFirst()).numUpdatedRows);
  await db
    .updateTable('jobs')
    .set({ rollout_cursor: bound?.thing_name ?? null })
    .where('job_id', '=', jobId)
    .execute();
  return { n, done: !bound };
}

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

/**
 * One bounded step of DeleteJob: removes up to `limit` executions; when none remain, removes the
 * job itself, so that its jobId can be used again.
 */
export async function deleteStep(
  db: Db,
  jobId: string,
  jobArn: string,
  limit: number,
  cursor: string | null,
): Promise<{ things: string[]; deleted: number; done: boolean }> {
  // Keyset over (job_id, thing_name): a scan from the job's start would wade through the index
  // entries of the rows deleted by earlier steps (PostgreSQL keeps them until vacuum).
  // '>=': the boundary thing may have further executions (CONTINUOUS re-joins).
  const after = cursor ?? '';
  // The job's row before its executions, the lock order of every path (its counters move below).
  await lockJob(db, jobId);
  let rows: { thing_name: string; status: string }[] = [];
  let bound: { thing_name: string } | undefined;
  if (limit > 0) {
    bound = await batchBound(db, jobId, '>=', after, limit);
    let victims = db.deleteFrom('job_executions').where('job_id', '=', jobId).where('thing_name', '>=', after);
    if (bound) victims = victims.where('thing_name', '<=', bound.thing_name);
    rows = await victims.returning(['thing_name', 'status']).execute();
  }
  const things = rows.filter((r) => r.status === 'QUEUED' || r.status === 'IN_PROGRESS').map((r) => r.thing_name);
  // The counters count down as executions go, so DescribeJob shows the deletion's progress.
  const byStatus = new Map<string, number>();
  for (const r of rows) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
  for (const [status, n] of byStatus) await adjustCounters(db, jobId, moveDelta(status, null, n));
  if (!bound) {
    const left = await db.selectFrom('job_executions').select('id').where('job_id', '=', jobId).limit(rowLimit(1)).executeTakeFirst();
    if (!left) {
      await db.deleteFrom('job_targets').where('job_id', '=', jobId).execute();
      await db.deleteFrom('tags').where('resource_arn', '=', jobArn).execute();
      await db.deleteFrom('jobs').where('job_id', '=', jobId).execute();
      return { things, deleted: rows.length, done: true };
    }
  }
  // Deleted rows cannot come back, so the next step starts past this batch; a step that found
  // nothing past the cursor (executions deleted out of order) starts over from the beginning.
  const next = rows.length === 0 ? null : (bound?.thing_name ?? after);
  await db.updateTable('jobs').set({ rollout_cursor: next }).where('job_id', '=', jobId).execute();
  return { things, deleted: rows.length, done: false };
}
