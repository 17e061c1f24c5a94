import { invalidRequest } from '../errors.js';
import type { ClockMode } from '../clock.js';

/** The clock as the /_iot-jobs/clock route sees it (app.ts wires it). */
export interface ClockControl {
  mode: ClockMode;
  now(): number;
  /** Reloads a shared clock moved by another node. */
  refresh?: () => Promise<unknown>;
  /**
   * Moves a manual clock to `to(current)` and resolves once everything due up to the new time is
   * done and its notifications are handed to the broker.
   */
  move(to: (current: number) => number): Promise<number>;
  /** When the next timer (a timeout, a rollout step, a schedule, a command timeout) falls due after `now`, if any. */
  nextDeadline?(now: number): Promise<number | undefined>;
  /** A paced rollout's next release: when, and how many it may create then (a minute's worth on the manual clock, one on the system clock). */
  nextRelease?(jobId: string): Promise<NextRelease | undefined>;
}

export interface NextRelease {
  at: number;
  /** Executions the pace allows at `at` (fewer when fewer targets are left). */
  count: number;
  /** The pace now, per minute. */
  ratePerMinute: number;
}

export const CLOCK_PATH = '/_iot-jobs/clock';

/** The latest time a Date can hold. */
const MAX_TIME = 8.64e15;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** A job's next release as GET /_iot-jobs/clock?jobId= answers it (null: none is scheduled). */
export const releaseBody = (r: NextRelease | undefined) =>
  r ? { nextRelease: new Date(r.at).toISOString(), count: r.count, ratePerMinute: r.ratePerMinute } : { nextRelease: null };

/** `nextDeadline` (manual clock only): what "advance to the next deadline" moves the clock to, or null when nothing is due. */
export const clockBody = (mode: ClockMode, now: number, next?: number | null) => ({
  mode,
  now: new Date(now).toISOString(),
  ...(next !== undefined ? { nextDeadline: next === null ? null : new Date(next).toISOString() } : {}),
});

/** The target of a POST body, as a function of the current time; a bad body is a 400. */
export function parseClockMove(body: Buffer | undefined): (current: number) => number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body?.toString('utf8') ?? '');
  } catch {
    throw invalidRequest('The body must be JSON: {"advanceSeconds": N} or {"now": "<ISO-8601 time with a zone>"}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidRequest('The body must be a JSON object');
  const keys = Object.keys(parsed);
  const o = parsed as Record<string, unknown>;
  if (keys.length !== 1 || (keys[0] !== 'advanceSeconds' && keys[0] !== 'now'))
    throw invalidRequest('The body must hold exactly one of advanceSeconds and now');
  if (keys[0] === 'advanceSeconds') {
    const n = o.advanceSeconds;
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) throw invalidRequest('advanceSeconds must be a number greater than 0');
    return (current) => {
      const next = current + Math.round(n * 1000);
      if (next > MAX_TIME) throw invalidRequest('advanceSeconds moves the clock past the latest representable time');
      return next;
    };
  }
  const text = o.now;
  const t = typeof text === 'string' && ISO_WITH_ZONE.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(t)) throw invalidRequest('now must be an ISO-8601 time with a zone, such as 2026-01-01T12:00:00.000Z');
  return (current) => {
    if (t < current) throw invalidRequest(`now must not be earlier than the clock (${new Date(current).toISOString()})`);
    return t;
  };
}
