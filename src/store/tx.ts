import { sql, type Selectable, type Transaction } from 'kysely';
import type { DB, DialectName, JobsTable } from './schema.js';
import { recordEvent, recordEvents, type OutboxBody } from './outbox.js';
import type { EventType } from '../domain/event-types.js';
import type { CommandRequest } from '../events.js';

export type JobRow = Selectable<JobsTable>;

/** What a lifecycle transaction owes after COMMIT: app.ts sends it to the notifier and the engine. */
export interface Effects {
  /** Things whose pending executions changed, of jobs in one namespace (undefined: any). */
  pendingChanged(thingNames: string[], namespaceId: string | null | undefined): void;
  /** New background work was committed (a cancel, a deletion, a fan-out). */
  wake(): void;
  /** Events were written to the outbox. */
  eventsOwed?(): void;
  /** A command execution's request is owed to its device. */
  commandRequested?(r: CommandRequest): void;
}

/**
 * Which events are owed: the types turned on (UpdateEventConfigurations; all off until told), and,
 * given a topic, whether anyone could receive it (an embedded broker knows its subscribers; an
 * event no subscriber exists for is not written at all).
 */
export type EventSwitch = (type: EventType, topic?: string) => boolean;
export const ALL_EVENTS_OFF: EventSwitch = () => false;
/** Whether anyone could receive a topic (an embedded broker knows; otherwise always true). */
export type Listened = (topic: string) => boolean;

/**
 * One transaction of the lifecycle layer. The lock order is built in: executions of a job are
 * written only after the job's row is locked (lockJob / lock / lockJobs, in job_id order), and the
 * writers check it with assertLocked. On SQLite, whose writers are serialised, a lock is only
 * recorded; on PostgreSQL it is SELECT ... FOR UPDATE. What the transaction owes after COMMIT is
 * collected here and published by Store.run once the commit is done, never by hand.
 */
export class Tx {
  private readonly locked = new Set<string>();
  private readonly owed: { things: string[]; namespaceId: string | null | undefined }[] = [];
  private woken = false;
  private eventsWritten = false;
  private readonly commands: CommandRequest[] = [];

  constructor(
    readonly db: Transaction<DB>,
    readonly dialect: DialectName,
    private readonly eventsOn: EventSwitch = ALL_EVENTS_OFF,
    /** Region and account, for the ARNs events carry (Store.scope). */
    readonly scope?: { region: string; accountId: string },
    private readonly listened: Listened = () => true,
  ) {}

  /** Whether events of this type are on (so a caller can skip building what would not be written). */
  wants(type: EventType, topic?: string): boolean {
    return this.eventsOn(type, topic);
  }

  /** An event owed by this transaction, written to the outbox in it (if its type is on); published after COMMIT. */
  async event(type: EventType, body: OutboxBody): Promise<void> {
    if (!this.eventsOn(type, 'topic' in body ? body.topic : undefined)) return;
    await recordEvent(this.db, type, body);
    this.eventsWritten = true;
  }

  /**
   * Events no configuration turns off (command executions'), written to the outbox as `event` does,
   * in multi-row INSERTs; those on a topic nobody could receive (embedded broker) are not written.
   */
  async eventsAlways(label: string, bodies: OutboxBody[]): Promise<void> {
    const heard = new Map<string, boolean>();
    const wanted = bodies.filter((b) => {
      if (!('topic' in b)) return true;
      let h = heard.get(b.topic);
      if (h === undefined) heard.set(b.topic, (h = this.listened(b.topic)));
      return h;
    });
    if (wanted.length === 0) return;
    await recordEvents(this.db, label, wanted);
    this.eventsWritten = true;
  }

  get postgres(): boolean {
    return this.dialect === 'postgres';
  }

  /** The job's row, locked until the transaction ends. */
  async lockJob(jobId: string): Promise<JobRow | undefined> {
    let q = this.db.selectFrom('jobs').selectAll().where('job_id', '=', jobId);
    if (this.postgres) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    if (row) this.locked.add(jobId);
    return row;
  }

  /** Locks a job's row without reading it (the device hot path: on SQLite, no statement at all). */
  async lock(jobId: string): Promise<void> {
    if (this.locked.has(jobId)) return;
    if (this.postgres) await sql`select 1 from jobs where job_id = ${jobId} for update`.execute(this.db);
    this.locked.add(jobId);
  }

  /** Locks several jobs, in job_id order, so that two such transactions cannot deadlock. */
  async lockJobs(jobIds: Iterable<string>): Promise<void> {
    const ids = [...new Set(jobIds)].filter((id) => !this.locked.has(id)).sort();
    if (ids.length === 0) return;
    if (this.postgres) await this.db.selectFrom('jobs').select('job_id').where('job_id', 'in', ids).orderBy('job_id').forUpdate().execute();
    for (const id of ids) this.locked.add(id);
  }

  isLocked(jobId: string): boolean {
    return this.locked.has(jobId);
  }

  /** A writer of a job's executions calls this first: writing without the job's lock is a bug. */
  assertLocked(jobId: string): void {
    if (!this.locked.has(jobId)) throw new Error(`lock order: executions of job ${jobId} written before the job's row was locked`);
  }

  /** After COMMIT, tell these things' devices that their pending list changed. */
  pendingChanged(thingNames: string[], namespaceId: string | null | undefined): void {
    if (thingNames.length) this.owed.push({ things: thingNames, namespaceId });
  }

  /** After COMMIT, send a command execution's request to its device (StartCommandExecution). */
  commandRequested(r: CommandRequest): void {
    this.commands.push(r);
  }

  /** After COMMIT, wake the engine: work is owed. */
  wake(): void {
    this.woken = true;
  }

  /** Called by Store.run after COMMIT. */
  publish(effects: Effects): void {
    for (const o of this.owed) effects.pendingChanged(o.things, o.namespaceId);
    if (this.woken) effects.wake();
    if (this.eventsWritten) effects.eventsOwed?.();
    for (const r of this.commands) effects.commandRequested?.(r);
  }
}
