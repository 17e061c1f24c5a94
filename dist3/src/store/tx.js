import { sql } from 'kysely';
import { recordEvent } from './outbox.js';
export const ALL_EVENTS_OFF = () => false;
/**
 * One transaction of the lifecycle layer. The lock order is built in: executions of a job are
 * written only after the job's row is locked (lockJob / lock / lockJobs, in job_id order), and the
 * writers check it with assertLocked. On SQLite, whose writers are serialised, a lock is only
 * recorded; on PostgreSQL it is SELECT ... FOR UPDATE. What the transaction owes after COMMIT is
 * collected here and published by Store.run once the commit is done, never by hand.
 */
export class Tx {
    db;
    dialect;
    eventsOn;
    scope;
    locked = new Set();
    owed = [];
    woken = false;
    eventsWritten = false;
    commands = [];
    constructor(db, dialect, eventsOn = ALL_EVENTS_OFF, 
    /** Region and account, for the ARNs events carry (Store.scope). */
    scope) {
        this.db = db;
        this.dialect = dialect;
        this.eventsOn = eventsOn;
        this.scope = scope;
    }
    /** Whether events of this type are on (so a caller can skip building what would not be written). */
    wants(type, topic) {
        return this.eventsOn(type, topic);
    }
    /** An event owed by this transaction, written to the outbox in it (if its type is on); published after COMMIT. */
    async event(type, body) {
        if (!this.eventsOn(type, 'topic' in body ? body.topic : undefined))
            return;
        await recordEvent(this.db, type, body);
        this.eventsWritten = true;
    }
    /** An event no configuration turns off (command executions'), written to the outbox as `event` does. */
    async eventAlways(label, body) {
        await recordEvent(this.db, label, body);
        this.eventsWritten = true;
    }
    get postgres() {
        return this.dialect === 'postgres';
    }
    /** The job's row, locked until the transaction ends. */
    async lockJob(jobId) {
        let q = this.db.selectFrom('jobs').selectAll().where('job_id', '=', jobId);
        if (this.postgres)
            q = q.forUpdate();
        const row = await q.executeTakeFirst();
        if (row)
            this.locked.add(jobId);
        return row;
    }
    /** Locks a job's row without reading it (the device hot path: on SQLite, no statement at all). */
    async lock(jobId) {
        if (this.locked.has(jobId))
            return;
        if (this.postgres)
            await sql `select 1 from jobs where job_id = ${jobId} for update`.execute(this.db);
        this.locked.add(jobId);
    }
    /** Locks several jobs, in job_id order, so that two such transactions cannot deadlock. */
    async lockJobs(jobIds) {
        const ids = [...new Set(jobIds)].filter((id) => !this.locked.has(id)).sort();
        if (ids.length === 0)
            return;
        if (this.postgres)
            await this.db.selectFrom('jobs').select('job_id').where('job_id', 'in', ids).orderBy('job_id').forUpdate().execute();
        for (const id of ids)
            this.locked.add(id);
    }
    isLocked(jobId) {
        return this.locked.has(jobId);
    }
    /** A writer of a job's executions calls this first: writing without the job's lock is a bug. */
    assertLocked(jobId) {
        if (!this.locked.has(jobId))
            throw new Error(`lock order: executions of job ${jobId} written before the job's row was locked`);
    }
    /** After COMMIT, tell these things' devices that their pending list changed. */
    pendingChanged(thingNames, namespaceId) {
        if (thingNames.length)
            this.owed.push({ things: thingNames, namespaceId });
    }
    /** After COMMIT, send a command execution's request to its device (StartCommandExecution). */
    commandRequested(r) {
        this.commands.push(r);
    }
    /** After COMMIT, wake the engine: work is owed. */
    wake() {
        this.woken = true;
    }
    /** Called by Store.run after COMMIT. */
    publish(effects) {
        for (const o of this.owed)
            effects.pendingChanged(o.things, o.namespaceId);
        if (this.woken)
            effects.wake();
        if (this.eventsWritten)
            effects.eventsOwed?.();
        for (const r of this.commands)
            effects.commandRequested?.(r);
    }
}
//# sourceMappingURL=tx.js.map