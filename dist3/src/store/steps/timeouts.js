import { move } from '../lifecycle/executions.js';
/**
 * Fires execution timeouts (timer kind 'timeout', ref = the execution's id), set-based: the
 * lifecycle moves the executions still IN_PROGRESS whose deadline has come to TIMED_OUT, with
 * their retries, abort criteria and notifications.
 */
export async function fireTimeouts(tx, timers, now) {
    await move(tx, { timedOut: timers.map((t) => Number(t.ref)) }, 'TIMED_OUT', now);
}
//# sourceMappingURL=timeouts.js.map