import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeJobCommand, ResourceNotFoundException, type IoTClient } from '@aws-sdk/client-iot';
import { SingleBar } from 'cli-progress';
import { UsageError, type AwsFlags } from './aws.js';
import { countTargets, ended, formatEta, formatRate, Progress, type Frame } from './progress.js';

const FORMAT =
  '{jobId} {phase} [{bar}] {percentage}% {value}/{total} | queued {queued} in progress {inProgress} | ' +
  'not started {notStartedText} | succeeded {succeeded} failed {failed} rejected {rejected} timed out {timedOut} canceled {canceled} removed {removed} | {rateText}/s ETA {etaText}';

/**
 * Polls DescribeJob (which reads kept counters, never the executions) and shows the job's progress
 * until it completes, is canceled (and the cancel has been worked off) or is deleted.
 * Table output: a cli-progress bar redrawn in place on a terminal, one plain line per interval
 * otherwise. JSON output: one frame per poll, one JSON object per line; the last carries `end`.
 */
export async function watchJob(iot: IoTClient, jobId: string, flags: AwsFlags & { interval: string }): Promise<void> {
  const seconds = Number(flags.interval);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--interval must be a positive number of seconds, got ${flags.interval}`);
  const progress = new Progress();
  let bar: SingleBar | undefined;
  const show = (f: Frame) => {
    if (flags.output === 'json') return void process.stdout.write(`${JSON.stringify(f)}\n`);
    const payload = { ...f, rateText: formatRate(f.rate), etaText: formatEta(f.etaSeconds), notStartedText: f.notStarted ?? '--' };
    if (!bar) {
      bar = new SingleBar({
        format: FORMAT,
        stream: process.stdout,
        noTTYOutput: true,
        notTTYSchedule: seconds * 1000,
        emptyOnZero: true,
        hideCursor: true,
        barsize: 24,
      });
      bar.start(f.total, f.done, payload);
    } else {
      bar.setTotal(f.total);
      bar.update(f.done, payload);
    }
  };
  const finish = (f: Frame) => {
    show(f);
    bar?.stop();
    if (flags.output === 'table') process.stdout.write(`${summary(f)}\n`);
  };
  let targeted: number | null | undefined;
  let countedAt = 0;
  for (let first = true; ; first = false) {
    let job;
    try {
      job = (await iot.send(new DescribeJobCommand({ jobId }))).job;
    } catch (err) {
      const last = progress.deleted();
      // A job that existed when the watch began and is gone now has been deleted.
      if (err instanceof ResourceNotFoundException && !first && last) return finish(last);
      throw err;
    }
    // The targets are counted once (a SNAPSHOT job's do not change); again every minute for CONTINUOUS.
    if (targeted === undefined || (job?.targetSelection === 'CONTINUOUS' && Date.now() - countedAt > 60_000)) {
      targeted = await countTargets(iot, job?.targets ?? []).catch(() => null);
      countedAt = Date.now();
    }
    const f = progress.frame(job ?? {}, Date.now(), targeted);
    const end = ended(job ?? {});
    if (end) return finish({ ...f, end });
    show(f);
    await sleep(seconds * 1000);
  }
}

function summary(f: Frame): string {
  const counts = `${f.succeeded} succeeded, ${f.failed} failed, ${f.rejected} rejected, ${f.timedOut} timed out, ${f.canceled} canceled, ${f.removed} removed`;
  if (f.end === 'DELETED') return `${f.jobId} deleted: ${f.total} executions removed`;
  return `${f.jobId} ${f.end}: ${counts}${f.inProgress ? `, ${f.inProgress} still in progress` : ''}${f.queued ? `, ${f.queued} queued` : ''}`;
}
