import { paginateListThingsInThingGroup, type IoTClient, type Job } from '@aws-sdk/client-iot';

// Shared by `jobs watch` and the dashboard (ui/ imports this file): no Node-only imports here.

/** What `jobs watch` shows of one DescribeJob answer (and prints as one JSON line with --output json). */
export interface Frame {
  jobId: string;
  status: string;
  /** rollout (executions reaching a final status), canceling, or deleting (executions removed). */
  phase: 'rollout' | 'canceling' | 'deleting';
  done: number;
  total: number;
  queued: number;
  inProgress: number;
  succeeded: number;
  failed: number;
  rejected: number;
  timedOut: number;
  canceled: number;
  removed: number;
  /** Things the job targets (a group's members counted once), or null when not known. */
  targeted: number | null;
  /** Targeted things with no execution yet: a paced rollout has not reached them. */
  notStarted: number | null;
  /** Executions done per second over the last RATE_WINDOW_MS; null until two samples exist. */
  rate: number | null;
  /** Seconds until done = total at that rate; null when unknown. */
  etaSeconds: number | null;
  /** Set on the last frame: why the watch ended. */
  end?: 'COMPLETED' | 'CANCELED' | 'DELETED';
}

const RATE_WINDOW_MS = 10_000;

/** A job's execution counts by status, missing ones as 0, in the order they are shown. */
export function jobCounts(job: Job) {
  const c = job.jobProcessDetails ?? {};
  return {
    queued: c.numberOfQueuedThings ?? 0,
    inProgress: c.numberOfInProgressThings ?? 0,
    succeeded: c.numberOfSucceededThings ?? 0,
    failed: c.numberOfFailedThings ?? 0,
    rejected: c.numberOfRejectedThings ?? 0,
    timedOut: c.numberOfTimedOutThings ?? 0,
    canceled: c.numberOfCanceledThings ?? 0,
    removed: c.numberOfRemovedThings ?? 0,
  };
}

/** Turns successive DescribeJob answers into frames; remembers what a deletion started from. */
export class Progress {
  private samples: { t: number; done: number }[] = [];
  private deletingFrom: number | undefined;
  private last: Frame | undefined;

  /** `targeted`: how many things the job targets, when known; a rollout's total is measured against it. */
  frame(job: Job, now: number, targeted: number | null = null): Frame {
    const counts = jobCounts(job);
    const executions = Object.values(counts).reduce((a, b) => a + b, 0);
    const status = job.status ?? 'UNKNOWN';
    let phase: Frame['phase'];
    let done: number;
    let total: number;
    if (status === 'DELETION_IN_PROGRESS') {
      // Deletion removes executions and their counts: progress is how many are gone.
      if (this.deletingFrom === undefined) {
        this.deletingFrom = Math.max(executions, this.last?.total ?? 0);
        this.samples = [];
      }
      phase = 'deleting';
      total = this.deletingFrom;
      done = total - executions;
    } else {
      phase = status === 'CANCELED' ? 'canceling' : 'rollout';
      // Against the targets, not only the executions made so far: a paced rollout makes them late.
      total = phase === 'rollout' && targeted !== null ? Math.max(targeted, executions) : executions;
      done = executions - counts.queued - counts.inProgress;
    }
    this.samples.push({ t: now, done });
    while (this.samples.length > 2 && now - this.samples[0]!.t > RATE_WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const rate = now > first.t ? ((done - first.done) * 1000) / (now - first.t) : null;
    const etaSeconds = rate && rate > 0 ? Math.ceil((total - done) / rate) : total === done && total > 0 ? 0 : null;
    const notStarted = targeted === null ? null : Math.max(0, targeted - executions);
    this.last = { jobId: job.jobId ?? '', status, phase, done, total, ...counts, targeted, notStarted, rate, etaSeconds };
    return this.last;
  }

  /** The last frame, marked with why the job is over (a deleted job answers no more frames). */
  deleted(): Frame | undefined {
    if (!this.last) return undefined;
    return { ...this.last, status: 'DELETED', done: this.last.total, queued: 0, inProgress: 0, etaSeconds: 0, end: 'DELETED' };
  }
}

/** Whether a job has reached what `watch` waits for: completed, or canceled with the cancel worked off. */
export function ended(job: Job): 'COMPLETED' | 'CANCELED' | undefined {
  if (job.status === 'COMPLETED') return 'COMPLETED';
  // isConcurrent stays true while the background cancel still moves executions.
  if (job.status === 'CANCELED' && !job.isConcurrent) return 'CANCELED';
  return undefined;
}

export function formatEta(seconds: number | null): string {
  if (seconds === null) return '--';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatRate(rate: number | null): string {
  return rate === null ? '--' : rate >= 10 ? rate.toFixed(0) : rate.toFixed(1);
}

/** Things a job targets: 1 per thing, a group's direct members (read through its keyset-paginated list, not executions). */
export async function countTargets(iot: IoTClient, targets: string[]): Promise<number> {
  let n = 0;
  for (const arn of targets) {
    const group = /:thinggroup\/(.+)$/.exec(arn)?.[1];
    if (!group) {
      n += 1;
      continue;
    }
    for await (const page of paginateListThingsInThingGroup({ client: iot, pageSize: 250 }, { thingGroupName: group })) n += page.things?.length ?? 0;
  }
  return n;
}
