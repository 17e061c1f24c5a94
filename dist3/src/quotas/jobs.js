import { sql } from 'kysely';
import { invalidRequest, limitExceeded } from '../errors.js';
import { presignedPlaceholders } from '../s3/objects.js';
import { markCanceled } from '../store/lifecycle/job-status.js';
import { cancelStep } from '../store/steps/cancel.js';
import { isPostgres } from '../store/store.js';
/**
 * AWS's active and concurrent job quotas (AWS IoT Jobs limits page): every IN_PROGRESS job (and a
 * SCHEDULED one) is active; a job is concurrent while it rolls out or cancels executions, which is
 * what `isConcurrent` shows. Counted on the jobs table (one row per job, by index), never on the
 * executions; the count and the change that depends on it hold one lock, so nodes cannot both
 * take the last place.
 */
/** Serialises the job quota checks across PostgreSQL nodes (SQLite runs one writer at a time). */
async function lockQuotas(db) {
    if (isPostgres(db))
        await sql `select pg_advisory_xact_lock(7320002)`.execute(db);
}
/** Jobs that are isConcurrent now: a fan-out or a cancel owed, or a paced rollout running. */
export async function concurrentJobs(db) {
    const row = await db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll().as('n'))
        .where((eb) => eb.or([eb('pending_work', 'in', ['rollout', 'cancel']), eb.and([eb('status', '=', 'IN_PROGRESS'), eb('rollout_pace', 'is not', null)])]))
        .executeTakeFirstOrThrow();
    return Number(row.n);
}
async function activeJobs(db, selection) {
    const row = await db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('status', 'in', ['IN_PROGRESS', 'SCHEDULED'])
        .where('target_selection', '=', selection)
        .executeTakeFirstOrThrow();
    return Number(row.n);
}
/**
 * CreateJob within the quotas, in its transaction before the insert: the active jobs of its kind,
 * and, for a job that starts rolling out now (not SCHEDULED), the concurrent jobs.
 */
export async function checkCreateJob(db, quotas, selection, scheduled) {
    const active = selection === 'CONTINUOUS' ? quotas?.activeContinuousJobs : quotas?.activeSnapshotJobs;
    const concurrent = scheduled ? undefined : quotas?.concurrentJobs;
    if (!active && !concurrent)
        return;
    await lockQuotas(db);
    if (active && (await activeJobs(db, selection)) >= active.limit)
        throw limitExceeded(`The account has reached its limit of ${active.limit} active ${selection.toLowerCase()} jobs`);
    if (concurrent && (await concurrentJobs(db)) >= concurrent.limit)
        throw limitExceeded(`The account has reached its limit of ${concurrent.limit} concurrent jobs`);
}
/** A job document's substitution placeholders within the quota (400, like the document's size). */
export function checkDocument(quotas, document) {
    const limit = quotas?.documentPlaceholders?.limit;
    if (limit === undefined || document === undefined)
        return;
    const n = presignedPlaceholders(document);
    if (n > limit)
        throw invalidRequest(`The job document has ${n} substitution placeholders; at most ${limit} are allowed`);
}
/**
 * A SCHEDULED job reaching its start while the account is at its concurrent jobs limit is
 * CANCELED, as AWS documents; the timer handler calls this with the job row locked and, when it
 * answers true, does not start the job. The cancel is CancelJob's (no executions exist yet).
 */
export function scheduledStartGate(quotas) {
    const limit = quotas?.concurrentJobs?.limit;
    if (limit === undefined)
        return undefined;
    return async (tx, job, now) => {
        await lockQuotas(tx.db);
        if ((await concurrentJobs(tx.db)) < limit)
            return false;
        // Canceled as CancelJob would (the lifecycle's one place for it), with a first batch now.
        const comment = `Job canceled at its scheduled start: the account was at its limit of ${limit} concurrent jobs`;
        await markCanceled(tx, job, { force: false, comment }, now);
        await cancelStep(tx, { ...job, status: 'CANCELED', comment, pending_work: 'cancel', work_cursor: null }, now, 1000, { unlist: true });
        return true;
    };
}
//# sourceMappingURL=jobs.js.map