import { sql } from 'kysely';
import type { Db } from './store.js';
import { isPostgres } from './store.js';
import type { Tx } from './tx.js';
import { commandArn } from '../domain/arn.js';
import type { CommandExecutionsTable } from './schema.js';
import { OPEN_STATUSES, NO_RESPONSE, type CommandExecutionStatus } from '../domain/commands.js';

/** Command execution rows, and the one function through which their status changes. */

export type CommandExecutionRow = CommandExecutionsTable;

/** What a status change hands on (the event's members), not the whole row. */
const CHANGED = ['execution_id', 'command_id', 'target_arn', 'status', 'reason_code', 'reason_description', 'version'] as const;
export type ChangedExecution = Pick<CommandExecutionRow, (typeof CHANGED)[number]>;

export interface StatusChange {
  status: CommandExecutionStatus;
  /** Who set it: a service-set TIMED_OUT leaves the execution open to a late final report. */
  by: 'device' | 'service';
  reasonCode?: string | undefined;
  reasonDescription?: string | undefined;
  /** The device's result, with the model's S/B/BIN keys (stored as JSON text); undefined keeps the last one. */
  result?: Record<string, unknown> | undefined;
}

export interface Expected {
  /** The statuses the rows must still have (checked in the UPDATE). */
  statuses: readonly CommandExecutionStatus[];
  /** The version the row must still have (a device update read it before deciding). */
  version?: number;
}

const idList = (db: Db, ids: string[]) =>
  isPostgres(db) ? sql<boolean>`execution_id = any(cast(${ids} as text[]))` : sql<boolean>`execution_id in (select value from json_each(${JSON.stringify(ids)}))`;

/**
 * THE place where a command execution's status changes: one conditional UPDATE of one row (a
 * device's report, version-checked) or of a set (a batch of timeouts). Rows that moved on since
 * they were read are left alone; the changed rows are returned. Whatever a status change owes
 * (events on $aws/events/commandExecution/<commandId>/<status>, see commandExecutionEvent, and
 * later the engine's hooks) hangs off this function's result.
 */
export async function setCommandExecutionStatus(tx: Tx, ids: string[], expected: Expected, change: StatusChange, now: number): Promise<ChangedExecution[]> {
  if (ids.length === 0) return [];
  const db = tx.db;
  const byService = change.by === 'service' && change.status === 'TIMED_OUT';
  const final = change.status !== 'IN_PROGRESS' && !byService;
  let q = db
    .updateTable('command_executions')
    .set({
      status: change.status,
      timed_out_by_service: byService ? 1 : 0,
      reason_code: change.reasonCode ?? null,
      reason_description: change.reasonDescription ?? null,
      ...(change.result !== undefined ? { result: JSON.stringify(change.result) } : {}),
      last_updated_at: now,
      // Only what changes: each column set rewrites the index entries that hold it (completed_at is in three).
      ...(final ? { completed_at: now } : {}),
      version: sql<number>`version + 1`,
    })
    .where(ids.length === 1 ? sql<boolean>`execution_id = ${ids[0]}` : idList(db, ids))
    .where('status', 'in', [...expected.statuses]);
  if (expected.version !== undefined) q = q.where('version', '=', expected.version);
  const changed = await q.returning(CHANGED).execute();
  // Every status change owes its event, written in this transaction (AWS publishes them always).
  await commandEvents(tx, changed, now);
  return changed;
}

/** The COMMAND_EXECUTION events of rows' new statuses, to the outbox in the caller's transaction (one INSERT a batch). */
export async function commandEvents(tx: Tx, rows: ChangedExecution[], now: number): Promise<void> {
  const scope = tx.scope;
  if (!scope || rows.length === 0) return;
  await tx.eventsAlways(
    'COMMAND_EXECUTION',
    rows.map((row) => commandExecutionEvent(row, commandArn(scope, row.command_id), now)),
  );
}

/** The event AWS publishes for a status change (docs: command-events.html), built from a changed row. */
export function commandExecutionEvent(row: ChangedExecution, commandArn: string, timestamp: number): { topic: string; payload: Record<string, unknown> } {
  const payload: Record<string, unknown> = { executionId: row.execution_id, status: row.status };
  if (row.reason_code !== null) payload.statusReason = { reasonCode: row.reason_code, reasonDescription: row.reason_description ?? '' };
  Object.assign(payload, { eventType: 'COMMAND_EXECUTION', commandArn, targetArn: row.target_arn, timestamp });
  return { topic: `$aws/events/commandExecution/${row.command_id}/${row.status}`, payload };
}

/** The service's timeout of a set of executions that are still open (the timer handler's step). */
export const timeOutCommandExecutions = (tx: Tx, ids: string[], now: number) =>
  setCommandExecutionStatus(tx, ids, { statuses: OPEN_STATUSES }, { status: 'TIMED_OUT', by: 'service', reasonCode: NO_RESPONSE }, now);

export const getCommandExecution = (db: Db, executionId: string) =>
  db.selectFrom('command_executions').selectAll().where('execution_id', '=', executionId).executeTakeFirst();
