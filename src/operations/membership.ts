/**
 * Static group membership and what it means for CONTINUOUS jobs: a thing that joins a group a job
 * targets gets an execution; one that leaves has its pending execution REMOVED (through the
 * lifecycle layer, store/lifecycle/executions.ts). Shared by the static-group operations and the
 * dynamic groups' membership.
 */
import { invalidRequest } from '../errors.js';
import { rowLimit, type Db } from '../store/store.js';
import type { Tx } from '../store/tx.js';
import { nextMemberSeq } from '../store/member-seq.js';
import { findExecution } from '../store/execution-rows.js';
import { move, queue } from '../store/lifecycle/executions.js';
import { groupWithAncestors } from '../store/groups.js';
import { resetRetryBudget } from '../store/steps/retry-budget.js';
import { membershipEvent, type LinkOperation } from '../domain/registry-events.js';
import { thingArn, thingGroupArn } from '../domain/arn.js';
import { registryEvent } from './registry-events.js';

/**
 * The THING_GROUP_MEMBERSHIP event of a join or a leave, in its transaction. membershipId is the
 * join's number (group_members.added_seq), so a leave names the same membership as its join.
 */
async function membershipChanged(tx: Tx, op: LinkOperation, group: string, thing: string, seq: number, now: number): Promise<void> {
  if (!tx.wants('THING_GROUP_MEMBERSHIP') || !tx.scope) return;
  const scope = tx.scope;
  const g = await tx.db.selectFrom('thing_groups').select('group_id').where('group_name', '=', group).executeTakeFirst();
  const t = await tx.db.selectFrom('things').select('thing_id').where('thing_name', '=', thing).executeTakeFirst();
  await registryEvent(tx, (id) =>
    membershipEvent(
      op,
      { accountId: scope.accountId, groupName: group, groupArn: thingGroupArn(scope, group), groupId: g?.group_id ?? '', thingName: thing, thingArn: thingArn(scope, thing), thingId: t?.thing_id ?? '', membershipId: String(seq) },
      id,
      now,
    ),
  );
}

/** Members per bulk outbox row (a build step's joins or leaves, or a slice of a deleted group). */
const MEMBERS_PER_ROW = 5000;

/**
 * THING_GROUP_MEMBERSHIP events of many things joining or leaving one group, in the transaction
 * that moved them: one outbox row per 5,000, expanded by the publisher (mqtt/event-publisher.ts).
 */
export async function membersChanged(tx: Tx, op: LinkOperation, group: string, members: { thing_name: string; thing_id: string; seq: number | string }[], now: number): Promise<void> {
  if (members.length === 0 || !tx.wants('THING_GROUP_MEMBERSHIP')) return;
  const g = await tx.db.selectFrom('thing_groups').select('group_id').where('group_name', '=', group).executeTakeFirst();
  for (let i = 0; i < members.length; i += MEMBERS_PER_ROW)
    await tx.event('THING_GROUP_MEMBERSHIP', {
      memberships: { op, group, groupId: g?.group_id ?? '', at: now, members: members.slice(i, i + MEMBERS_PER_ROW).map((m) => [m.thing_name, m.thing_id, String(m.seq)]) },
    });
}

/** A group is being deleted (before its rows go): every member's `removed`, read in keyset slices. */
export async function groupMembersRemoved(tx: Tx, group: string, now: number): Promise<void> {
  if (!tx.wants('THING_GROUP_MEMBERSHIP')) return;
  for (let after = ''; ; ) {
    const slice = await tx.db
      .selectFrom('group_members as m')
      .innerJoin('things as t', 't.thing_name', 'm.thing_name')
      .select(['m.thing_name', 't.thing_id', 'm.added_seq as seq'])
      .where('m.group_name', '=', group)
      .where('m.thing_name', '>', after)
      .orderBy('m.thing_name')
      .limit(rowLimit(MEMBERS_PER_ROW))
      .execute();
    if (slice.length === 0) return;
    await membersChanged(tx, 'REMOVED', group, slice, now);
    after = slice[slice.length - 1]!.thing_name;
  }
}

/** A thing is being deleted (before its rows go): its `removed` from each of its groups. */
export async function thingLeavesGroups(tx: Tx, thing: string, now: number): Promise<void> {
  if (!tx.wants('THING_GROUP_MEMBERSHIP')) return;
  const rows = await tx.db.selectFrom('group_members').select(['group_name', 'added_seq']).where('thing_name', '=', thing).orderBy('group_name').execute();
  for (const r of rows) await membershipChanged(tx, 'REMOVED', r.group_name, thing, Number(r.added_seq), now);
}

/** AWS IoT allows a thing in at most this many thing groups. */
export const MAX_GROUPS_PER_THING = 10;

/** CONTINUOUS, IN_PROGRESS jobs that target any of these groups. */
export async function continuousJobsTargeting(db: Db, groups: string[]): Promise<string[]> {
  if (groups.length === 0) return [];
  const rows = await db
    .selectFrom('job_targets as t')
    .innerJoin('jobs as j', 'j.job_id', 't.job_id')
    .select('j.job_id')
    .distinct()
    .where('t.kind', '=', 'group')
    .where('t.name', 'in', groups)
    .where('j.status', '=', 'IN_PROGRESS')
    .where('j.target_selection', '=', 'CONTINUOUS')
    // After schedulingConfig.endTime the rollout is over, joins included.
    .where('j.rollout_ended', '=', 0)
    // Job rows are locked in job_id order (the lifecycle's queue and move), so no two transactions deadlock.
    .orderBy('j.job_id')
    .execute();
  return rows.map((r) => r.job_id);
}

/**
 * Puts a thing in a group and queues it on CONTINUOUS jobs that now cover it (again: a thing
 * whose execution was REMOVED when it left); for the jobs that already had it, the membership
 * change resets its retry budget. True when something was queued.
 */
export async function addMember(tx: Tx, group: string, thing: string, now: number, overrideDynamicGroups = false): Promise<boolean> {
  const db = tx.db;
  const member = await db.selectFrom('group_members').select('thing_name').where('group_name', '=', group).where('thing_name', '=', thing).executeTakeFirst();
  if (member) return false;
  const count = await db.selectFrom('group_members').select((eb) => eb.fn.countAll<number>().as('n')).where('thing_name', '=', thing).executeTakeFirstOrThrow();
  let evicted = false;
  if (Number(count.n) >= MAX_GROUPS_PER_THING) {
    // overrideDynamicGroups: the thing leaves its most recently created dynamic group to make room.
    const youngest = overrideDynamicGroups
      ? await db.selectFrom('group_members as m').innerJoin('thing_groups as g', 'g.group_name', 'm.group_name').select('g.group_name').where('m.thing_name', '=', thing).where('g.dynamic', '=', 1).orderBy('g.created_at', 'desc').orderBy('g.group_name', 'desc').executeTakeFirst()
      : undefined;
    if (!youngest) throw invalidRequest(`Thing ${thing} is already in ${MAX_GROUPS_PER_THING} thing groups`);
    evicted = await removeMember(tx, youngest.group_name, thing, now);
  }
  const seq = await nextMemberSeq(db);
  await db.insertInto('group_members').values({ group_name: group, thing_name: thing, added_seq: seq }).execute();
  await membershipChanged(tx, 'ADDED', group, thing, seq, now);
  let queued = false;
  for (const jobId of await continuousJobsTargeting(db, await groupWithAncestors(db, group))) {
    await tx.lock(jobId);
    const last = await findExecution(db, jobId, thing);
    if (!last || last.status === 'REMOVED') queued = (await queue(tx, jobId, thing, now, undefined)) || queued;
    else if (await resetRetryBudget(tx, jobId, thing, now)) queued = true;
  }
  return queued || evicted;
}

/**
 * Takes a thing out of a group; its pending executions (a queued retry too) of CONTINUOUS jobs no
 * longer covering it are REMOVED; for the jobs that still cover it, the membership change resets its
 * retry budget. Jobs are taken in job_id order (the lock order).
 */
export async function removeMember(tx: Tx, group: string, thing: string, now: number): Promise<boolean> {
  const db = tx.db;
  const deleted = await db.deleteFrom('group_members').where('group_name', '=', group).where('thing_name', '=', thing).returning('added_seq').executeTakeFirst();
  if (!deleted) return false;
  await membershipChanged(tx, 'REMOVED', group, thing, Number(deleted.added_seq), now);
  const jobs = await continuousJobsTargeting(db, await groupWithAncestors(db, group));
  if (jobs.length === 0) return false;
  // Groups still holding the thing, with their ancestors: targets that keep covering it.
  const still = new Set<string>();
  const memberships = await db.selectFrom('group_members').select('group_name').where('thing_name', '=', thing).execute();
  for (const m of memberships) for (const a of await groupWithAncestors(db, m.group_name)) still.add(a);
  let changed = false;
  for (const jobId of jobs) {
    const targets = await db.selectFrom('job_targets').select(['kind', 'name']).where('job_id', '=', jobId).execute();
    const covered = targets.some((t) => (t.kind === 'thing' ? t.name === thing : still.has(t.name)));
    if (covered) changed = (await resetRetryBudget(tx, jobId, thing, now)) || changed;
    else {
      const pending = await db.selectFrom('job_executions').select('id').where('job_id', '=', jobId).where('thing_name', '=', thing).where('status', 'in', ['QUEUED', 'IN_PROGRESS']).executeTakeFirst();
      if (pending) {
        await move(tx, { thing, jobs: [jobId] }, 'REMOVED', now);
        changed = true;
      }
    }
  }
  return changed;
}

