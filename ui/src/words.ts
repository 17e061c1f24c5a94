import type { Job } from '@aws-sdk/client-iot';
import { h } from './dom.js';
import type { Frame } from '../../src/cli/progress.js';

const FAILURE: Record<string, string> = { FAILED: 'failed', REJECTED: 'rejected', TIMED_OUT: 'timed out', ALL: 'failed, rejected or timed out' };
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The rollout, timeouts, retries, abort and schedule of a job, as sentences instead of JSON. */
export function configWords(job: Job): [string, string][] {
  const out: [string, string][] = [];
  const r = job.jobExecutionsRolloutConfig;
  if (r?.exponentialRate) {
    const e = r.exponentialRate;
    const c = e.rateIncreaseCriteria;
    const when = [c?.numberOfNotifiedThings && `${plural(c.numberOfNotifiedThings, 'thing')} are notified`, c?.numberOfSucceededThings && `${plural(c.numberOfSucceededThings, 'thing')} succeed`]
      .filter(Boolean)
      .join(' or ');
    out.push(['rollout', `Starts at ${e.baseRatePerMinute} a minute and multiplies the rate by ${e.incrementFactor} each time ${when}${r.maximumPerMinute ? `, up to ${r.maximumPerMinute} a minute` : ''}.`]);
  } else if (r?.maximumPerMinute) out.push(['rollout', `At most ${plural(r.maximumPerMinute, 'thing')} notified a minute.`]);
  else out.push(['rollout', 'All targets are notified at once.']);
  const t = job.timeoutConfig?.inProgressTimeoutInMinutes;
  out.push(['timeout', t ? `An execution still IN_PROGRESS ${plural(t, 'minute')} after it started times out (TIMED_OUT).` : 'No timeout: an execution may stay IN_PROGRESS as long as the device likes.']);
  const retries = job.jobExecutionsRetryConfig?.criteriaList ?? [];
  out.push([
    'retries',
    retries.length
      ? retries.map((c) => `A ${FAILURE[c.failureType ?? 'ALL']} execution is retried up to ${plural(c.numberOfRetries ?? 0, 'time')}.`).join(' ')
      : 'No retries: a failed or timed-out execution stays so.',
  ]);
  const abort = job.abortConfig?.criteriaList ?? [];
  if (abort.length)
    out.push([
      'abort',
      abort
        .map((c) => `Canceled when more than ${c.thresholdPercentage} % of the executions have ${FAILURE[c.failureType ?? 'ALL']}, once at least ${plural(c.minNumberOfExecutedThings ?? 0, 'thing')} ran.`)
        .join(' '),
    ]);
  const s = job.schedulingConfig;
  if (s?.startTime || s?.endTime)
    out.push(['schedule', [s.startTime && `Starts at ${s.startTime}.`, s.endTime && `Ends at ${s.endTime} (${(s.endBehavior ?? 'STOP_ROLLOUT').toLowerCase().replace(/_/g, ' ')}).`].filter(Boolean).join(' ')]);
  return out;
}

/** The pace a rollout goes at now, in words ("10 a minute"); undefined when it is not paced. */
export function paceWords(job: Job): string | undefined {
  const r = job.jobExecutionsRolloutConfig;
  if (r?.exponentialRate) return `from ${r.exponentialRate.baseRatePerMinute} a minute, ×${r.exponentialRate.incrementFactor}${r.maximumPerMinute ? ` up to ${r.maximumPerMinute}` : ''}`;
  if (r?.maximumPerMinute) return `${r.maximumPerMinute} a minute`;
  return undefined;
}

/**
 * One gauge per abort criterion: the failure rate against the threshold, and how many more
 * executions must finish before the criterion may fire (AWS: minNumberOfExecutedThings).
 */
export function abortGauges(job: Job, f: Frame): HTMLElement | undefined {
  const list = job.abortConfig?.criteriaList ?? [];
  if (!list.length) return undefined;
  const executed = f.succeeded + f.failed + f.rejected + f.timedOut;
  const failures = (type: string | undefined) =>
    type === 'FAILED' ? f.failed : type === 'REJECTED' ? f.rejected : type === 'TIMED_OUT' ? f.timedOut : f.failed + f.rejected + f.timedOut;
  return h(
    'div',
    { class: 'gauges' },
    ...list.map((c) => {
      const n = failures(c.failureType);
      const rate = executed ? (100 * n) / executed : 0;
      const threshold = c.thresholdPercentage ?? 100;
      const min = c.minNumberOfExecutedThings ?? 0;
      const left = Math.max(0, min - executed);
      const fill = h('span', { class: `gauge-fill${rate > threshold ? ' over' : ''}` });
      fill.style.width = `${Math.min(100, rate)}%`;
      const mark = h('span', { class: 'gauge-mark', title: `threshold ${threshold} %` });
      mark.style.left = `${Math.min(100, threshold)}%`;
      return h(
        'div',
        { class: 'gauge', 'data-failure-type': c.failureType ?? 'ALL', 'data-rate': rate.toFixed(1), 'data-left': left },
        h('div', { class: 'gauge-label' }, `${FAILURE[c.failureType ?? 'ALL']}: `, h('b', {}, `${rate.toFixed(1)} %`), ` of ${executed} executed · abort above ${threshold} %`),
        h('div', { class: 'gauge-bar', role: 'meter', 'aria-valuenow': rate.toFixed(1), 'aria-valuemin': 0, 'aria-valuemax': 100 }, fill, mark),
        h('div', { class: 'gauge-min' }, left ? `${plural(left, 'more execution')} to finish before it may abort (minimum ${min})` : `minimum of ${min} executed reached`),
      );
    }),
  );
}
