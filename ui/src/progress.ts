import type { Job, JobProcessDetails } from '@aws-sdk/client-iot';
import type { Frame } from '../../src/cli/progress.js';
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
/** `of`: what the bar is out of (the job's targets); the part not started yet is left empty. */
export function progressBar(c: Counts, of = total(c)): HTMLElement {
  const n = Math.max(of, total(c));
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

/** What the job is doing now, and which number tells how far it is (from `jobs watch`'s frame). */
export interface Phase {
  name: 'rolling out' | 'canceling' | 'canceled' | 'deleting' | 'done';
  /** How much is left: targets not done yet, executions still to cancel or delete, or still in progress after a cancel. */
  left: number;
  /** A number that grows as the work goes on (finished or deleted executions). */
  done: number;
}

/**
 * The phase from the frame `jobs watch` computes (src/cli/progress.ts: progress against the
 * targets). A canceled job whose cancel is worked off but whose IN_PROGRESS executions go on
 * (canceled without force) says how many, not "nothing left to do".
 */
export function phase(job: Job, f: Frame): Phase {
  if (f.phase === 'deleting') return { name: 'deleting', left: f.total - f.done, done: f.done };
  if (job.status === 'CANCELED') {
    if (job.isConcurrent) return { name: 'canceling', left: f.queued + (job.forceCanceled ? f.inProgress : 0), done: f.done };
    return { name: f.inProgress ? 'canceled' : 'done', left: f.inProgress, done: f.done };
  }
  if (job.status === 'IN_PROGRESS' || job.status === 'SCHEDULED') return { name: 'rolling out', left: f.total - f.done, done: f.done };
  return { name: 'done', left: 0, done: f.done };
}

export function fmtRate(r: number | null | undefined): string {
  if (r === undefined || r === null) return '—';
  return `${r >= 10 ? Math.round(r) : r.toFixed(1)}/s`;
}

export function fmtEta(s: number | null | undefined): string {
  if (s === undefined || s === null) return '—';
  if (s < 60) return `${Math.ceil(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.ceil(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
