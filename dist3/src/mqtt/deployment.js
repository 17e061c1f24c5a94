import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
/**
 * Two deployments on one broker answer each other's devices. Each node announces its deployment on
 * a retained topic of its own, cleared by its will and on close; a node that sees another
 * deployment's announcement says so loudly.
 */
export const DEPLOYMENTS_FILTER = 'iot-jobs/deployments/+/+';
export const announceTopic = (deploymentId, nodeId) => `iot-jobs/deployments/${deploymentId}/${nodeId}`;
/** The deployment's id: the same on every node of one database (PostgreSQL server, database and schema; a SQLite file). */
export async function deploymentId(store, sqliteFile) {
    let key;
    if (store.dialect === 'postgres') {
        const r = await sql `select concat_ws('/', inet_server_addr()::text, inet_server_port()::text, current_database(), current_schema()) as k`.execute(store.db);
        key = `postgres:${r.rows[0]?.k ?? ''}`;
    }
    else
        key = `sqlite:${hostname()}:${sqliteFile}`;
    return createHash('sha256').update(key).digest('hex').slice(0, 16);
}
/** The deployment an announcement names, when it is another one; undefined otherwise. */
export function otherDeployment(topic, payload, own) {
    const parts = topic.split('/');
    if (parts.length !== 4 || parts[0] !== 'iot-jobs' || parts[1] !== 'deployments' || parts[2] === own || payload.length === 0)
        return undefined;
    try {
        return { id: parts[2], about: JSON.parse(payload.toString()) };
    }
    catch {
        return { id: parts[2], about: {} };
    }
}
//# sourceMappingURL=deployment.js.map