import type { Job, JobProcessDetails } from '@aws-sdk/client-iot';
import { h } from './dom.js';

/** The eight execution states DescribeJob counts, in the order the bar shows them. */
export const STATES = [
  ['QUEUED', 'numberOfQueuedThings', 'queued'],
  ['IN_PROGRESS', 'numberOfInProgressThings', 'in progress'],
  ['SUCCEEDED', 'numberOfSucceededThings', 'succeeded'],
  ['FAILED', 'numberOfFailedThings', 'failed'],
  ['REJECTED', 'numberOfRejectedThings', 'rejected'],
  ['TIMED_OUT', 'numberOfTimedOutThings', 'timed out'],
  ['CANCELED', 'numberOfCanceledThings', 'canceled'],
  ['REMOVED', 'numberOfRemovedThings', 'removed'],
] as const satisfies readonly (readonly [string, keyof JobProcessDetails, string])[];

export type Counts = Record<(typeof STATES)[number][0], number>;

export function counts(d: JobProcessDetails | undefined): Counts {
  return Object.fromEntries(STATES.map(([s, field]) => [s, Number(d?.[field] ?? 0)])) as Counts;
}

export const total = (c: Counts) => STATES.reduce((n, [s]) => n + c[s], 0);
export const open = (c: Counts) => c.QUEUED + c.IN_PROGRESS;

/** A stacked bar, one segment per state, with the counts in its title and legend. */
export function progressBar(c: Counts): HTMLElement {
  const n = total(c);
  const bar = h('div', { class: 'bar', role: 'img', 'aria-label': STATES.map(([s, , label]) => `${label} ${c[s]}`).join(', ') });
  // Finished work from the left, open work on the right, as progress bars usually read.
  for (const [s, , label] of [...STATES.slice(2), STATES[1], STATES[0]]) {
    if (!c[s]) continue;
    const seg = bar.appendChild(h('span', { class: `seg s-${s}`, 'data-state': s, title: `${label}: ${c[s]}` }));
    seg.style.width = `${(100 * c[s]) / n}%`; // through CSSOM: the page's CSP refuses style attributes

  }
  return bar;
}

export function legend(c: Counts): HTMLElement {
  return h(
    'ul',
    { class: 'legend' },
    ...STATES.map(([s, , label]) => h('li', { 'data-state': s }, h('i', { class: `dot s-${s}` }), `${label} `, h('b', {}, c[s]))),
  );
}

/** The colours of the bar, without counts (under the job list). */
export function key(): HTMLElement {
  return h('ul', { class: 'legend key' }, ...STATES.map(([s, , label]) => h('li', {}, h('i', { class: `dot s-${s}` }), label)));
}

/** How far the current phase is: a plain bar with its percentage. */
export function phaseBar(p: Phase): HTMLElement {
  const all = p.done + p.left;
  const pct = all ? Math.floor((100 * p.done) / all) : 100;
  const fill = h('span', { class: 'phase-fill' });
  fill.style.width = `${pct}%`;
  return h('div', { class: 'phase-bar', role: 'progressbar', 'aria-valuenow': pct, 'aria-valuemin': 0, 'aria-valuemax': 100 }, fill, h('span', { class: 'phase-pct' }, `${pct} %`));
}

/** What the job is doing now, and which number tells how far it is. */
export interface Phase {
  name: 'rolling out' | 'canceling' | 'deleting' | 'done';
  /** How much is left (executions still open, or still to delete). */
  left: number;
  /** A number that grows as the work goes on (finished or deleted executions). */
  done: number;
}

export function phase(job: Job, c: Counts, deleted: number): Phase {
  if (job.status === 'DELETION_IN_PROGRESS') return { name: 'deleting', left: total(c), done: deleted };
  const finished = total(c) - open(c);
  if (job.status === 'CANCELED') {
    // Without force, IN_PROGRESS executions stay: only the queued ones are canceled.
    const left = job.forceCanceled ? open(c) : c.QUEUED;
    return { name: left ? 'canceling' : 'done', left, done: finished };
  }
  if (job.status === 'IN_PROGRESS' || job.status === 'SCHEDULED') return { name: 'rolling out', left: open(c), done: finished };
  return { name: 'done', left: 0, done: finished };
}

/** Rate (per second, over the last `windowMs`) and ETA from successive samples of a growing number. */
export class RateMeter {
  private samples: { t: number; v: number }[] = [];
  constructor(private windowMs = 20_000) {}

  reset(): void {
    this.samples = [];
  }

  add(v: number, t = Date.now()): void {
    const last = this.samples.at(-1);
    if (last && v < last.v) this.samples = []; // a new phase started counting from zero
    this.samples.push({ t, v });
    while (this.samples.length > 2 && t - this.samples[0]!.t > this.windowMs) this.samples.shift();
  }

  /** Per second; undefined until two samples span some time. */
  rate(): number | undefined {
    const a = this.samples[0];
    const b = this.samples.at(-1);
    if (!a || !b || b.t - a.t < 500) return undefined;
    return ((b.v - a.v) * 1000) / (b.t - a.t);
  }

  /** Seconds left at the current rate; undefined when nothing moves. */
  eta(left: number): number | undefined {
    const r = this.rate();
    if (left === 0) return 0;
    return r && r > 0 ? left / r : undefined;
  }
}

export function fmtRate(r: number | undefined): string {
  if (r === undefined) return '—';
  return `${r >= 10 ? Math.round(r) : r.toFixed(1)}/s`;
}

export function fmtEta(s: number | undefined): string {
  if (s === undefined) return '—';
  if (s < 60) return `${Math.ceil(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.ceil(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
