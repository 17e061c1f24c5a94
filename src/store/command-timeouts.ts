import type { Db } from './store.js';
import type { TimerRow } from './timers.js';
import { timeOutCommandExecutions } from './command-executions.js';
import type { Fired } from '../workers/timer-worker.js';

/** Timer kinds of AWS IoT commands (the timer engine calls the handlers below by kind). */
export const COMMAND_TIMEOUT = 'command-timeout';
export const COMMAND_DELETION = 'command-deletion';

const NOTHING: Fired = { things: [] };

/** An execution whose device never answered becomes TIMED_OUT ($NO_RESPONSE_FROM_DEVICE); answered ones are left alone. */
export async function fireCommandTimeouts(db: Db, timers: TimerRow[], now: number): Promise<Fired> {
  await timeOutCommandExecutions(db, timers.map((t) => t.ref), now);
  return NOTHING;
}

/** DeleteCommand's scheduled deletion: the command goes once its 12 hours are up (still pending deletion). */
export async function fireCommandDeletions(db: Db, timers: TimerRow[]): Promise<Fired> {
  for (const t of timers) {
    const gone = await db.deleteFrom('commands').where('command_id', '=', t.ref).where('pending_deletion', '=', 1).executeTakeFirst();
    if (gone.numDeletedRows > 0n) await db.deleteFrom('command_parameters').where('command_id', '=', t.ref).execute();
  }
  return NOTHING;
}

export const commandTimerHandlers = { [COMMAND_TIMEOUT]: fireCommandTimeouts, [COMMAND_DELETION]: fireCommandDeletions };
