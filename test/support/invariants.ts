import { DescribeJobCommand, ListJobExecutionsForJobCommand, type IoTClient } from '@aws-sdk/client-iot';

/** What a call came to: its value, or the error's name and HTTP status (undefined: no answer). */
export type Outcome = { ok: true; value: unknown } | { ok: false; name: string; status: number | undefined; message: string };

export async function outcome(p: Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await p };
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { ok: false, name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
}

const COUNTER_OF: Record<string, string> = {
  QUEUED: 'numberOfQueuedThings',
  IN_PROGRESS: 'numberOfInProgressThings',
  SUCCEEDED: 'numberOfSucceededThings',
  FAILED: 'numberOfFailedThings',
  REJECTED: 'numberOfRejectedThings',
  CANCELED: 'numberOfCanceledThings',
  REMOVED: 'numberOfRemovedThings',
  TIMED_OUT: 'numberOfTimedOutThings',
};

export interface Listed {
  thing: string;
  status: string;
  n: number;
}

/** Every execution of a job, paging through ListJobExecutionsForJob. */
export async function listAll(iot: IoTClient, jobId: string): Promise<Listed[]> {
  const out: Listed[] = [];
  let nextToken: string | undefined;
  do {
    const page = await iot.send(new ListJobExecutionsForJobCommand({ jobId, maxResults: 250, nextToken }));
    for (const s of page.executionSummaries ?? [])
      out.push({ thing: s.thingArn!.split('/').pop()!, status: s.jobExecutionSummary!.status!, n: s.jobExecutionSummary!.executionNumber! });
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** Differences between a job's counters (DescribeJob) and its listed executions ([] when they agree). */
export async function counterDrift(iot: IoTClient, jobId: string, listed?: Listed[]): Promise<string[]> {
  const details = (await iot.send(new DescribeJobCommand({ jobId }))).job!.jobProcessDetails as Record<string, number>;
  const byStatus: Record<string, number> = {};
  for (const e of listed ?? (await listAll(iot, jobId))) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
  const drift: string[] = [];
  for (const [status, key] of Object.entries(COUNTER_OF))
    if ((details[key] ?? 0) !== (byStatus[status] ?? 0)) drift.push(`${jobId} ${status}: counted ${details[key] ?? 0}, listed ${byStatus[status] ?? 0}`);
  return drift;
}

/** Runs fn over items, `width` at a time. */
export async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}
