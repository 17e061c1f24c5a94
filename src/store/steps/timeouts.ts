import type { Tx } from '../tx.js';
import type { TimerRow } from '../timers.js';
import { move } from '../lifecycle/executions.js';

/**
 * Fires execution timeouts (timer kind 'timeout', ref = the execution's id), set-based: the
 * lifecycle moves the executions still IN_PROGRESS whose deadline has come to TIMED_OUT, with
 * their retries, abort criteria and notifications.
 */
export async function fireTimeouts(tx: Tx, timers: TimerRow[], now: number): Promise<void> {
  await move(tx, { timedOut: timers.map((t) => Number(t.ref)) }, 'TIMED_OUT', now);
}
