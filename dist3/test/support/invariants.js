import { DescribeJobCommand, ListJobExecutionsForJobCommand } from '@aws-sdk/client-iot';
export async function outcome(p) {
    try {
        return { ok: true, value: await p };
    }
    catch (err) {
        const e = err;
        return { ok: false, name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
    }
}
const COUNTER_OF = {
    QUEUED: 'numberOfQueuedThings',
    IN_PROGRESS: 'numberOfInProgressThings',
    SUCCEEDED: 'numberOfSucceededThings',
    FAILED: 'numberOfFailedThings',
    REJECTED: 'numberOfRejectedThings',
    CANCELED: 'numberOfCanceledThings',
    REMOVED: 'numberOfRemovedThings',
    TIMED_OUT: 'numberOfTimedOutThings',
};
/** Every execution of a job, paging through ListJobExecutionsForJob. */
export async function listAll(iot, jobId) {
    const out = [];
    let nextToken;
    do {
        const page = await iot.send(new ListJobExecutionsForJobCommand({ jobId, maxResults: 250, nextToken }));
        for (const s of page.executionSummaries ?? [])
            out.push({ thing: s.thingArn.split('/').pop(), status: s.jobExecutionSummary.status, n: s.jobExecutionSummary.executionNumber });
        nextToken = page.nextToken;
    } while (nextToken);
    return out;
}
/** Differences between a job's counters (DescribeJob) and its listed executions ([] when they agree). */
export async function counterDrift(iot, jobId, listed) {
    const details = (await iot.send(new DescribeJobCommand({ jobId }))).job.jobProcessDetails;
    const byStatus = {};
    for (const e of listed ?? (await listAll(iot, jobId)))
        byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
    const drift = [];
    for (const [status, key] of Object.entries(COUNTER_OF))
        if ((details[key] ?? 0) !== (byStatus[status] ?? 0))
            drift.push(`${jobId} ${status}: counted ${details[key] ?? 0}, listed ${byStatus[status] ?? 0}`);
    return drift;
}
/** Runs fn over items, `width` at a time. */
export async function pool(items, width, fn) {
    let i = 0;
    await Promise.all(Array.from({ length: width }, async () => {
        while (i < items.length)
            await fn(items[i++]);
    }));
}
//# sourceMappingURL=invariants.js.map