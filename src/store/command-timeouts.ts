import type { Tx } from './tx.js';
import type { TimerRow } from './timers.js';
import { timeOutCommandExecutions } from './command-executions.js';

/** Timer kinds of AWS IoT commands (the timer engine calls the handlers below by kind). */
export const COMMAND_TIMEOUT = 'command-timeout';
export const COMMAND_DELETION = 'command-deletion';

/** An execution whose device never answered becomes TIMED_OUT ($NO_RESPONSE_FROM_DEVICE); answered ones are left alone. */
export async function fireCommandTimeouts(tx: Tx, timers: TimerRow[], now: number): Promise<void> {
  await timeOutCommandExecutions(tx, timers.map((t) => t.ref), now);
}

/** DeleteCommand's scheduled deletion: the command goes once its 12 hours are up (still pending deletion). */
export async function fireCommandDeletions(tx: Tx, timers: TimerRow[]): Promise<void> {
  const db = tx.db;
  for (const t of timers) {
    const gone = await db.deleteFrom('commands').where('command_id', '=', t.ref).where('pending_deletion', '=', 1).executeTakeFirst();
    if (gone.numDeletedRows > 0n) await db.deleteFrom('command_parameters').where('command_id', '=', t.ref).execute();
  }
}

export const commandTimerHandlers = { [COMMAND_TIMEOUT]: fireCommandTimeouts, [COMMAND_DELETION]: fireCommandDeletions };
