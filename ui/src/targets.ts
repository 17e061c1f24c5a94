import type { IoTClient, Job } from '@aws-sdk/client-iot';
import { countTargets } from '../../src/cli/progress.js';

/**
 * How many things each job targets, counted as `jobs watch` counts them (src/cli/progress.ts):
 * once for a SNAPSHOT job, again every minute for a CONTINUOUS one. Null until the first count
 * is in (the count runs in the background; a page refresh picks it up).
 */
const known = new Map<string, { n: number | null; at: number; running: boolean }>();

export function targetsOf(iot: IoTClient, job: Job): number | null {
  const id = job.jobId ?? '';
  const k = known.get(id);
  const stale = !k || (job.targetSelection === 'CONTINUOUS' && Date.now() - k.at > 60_000);
  if (stale && !k?.running) {
    const entry = { n: k?.n ?? null, at: Date.now(), running: true };
    known.set(id, entry);
    countTargets(iot, job.targets ?? [])
      .then((n) => (entry.n = n))
      .catch(() => undefined)
      .finally(() => (entry.running = false));
  }
  return known.get(id)!.n;
}

/** Waits for a job's first count (the job page shows nothing against the targets until it has it). */
export async function countNow(iot: IoTClient, job: Job): Promise<number | null> {
  const id = job.jobId ?? '';
  const k = known.get(id);
  if (k?.n !== undefined && k.n !== null) return targetsOf(iot, job);
  const n = await countTargets(iot, job.targets ?? []).catch(() => null);
  known.set(id, { n, at: Date.now(), running: false });
  return n;
}
