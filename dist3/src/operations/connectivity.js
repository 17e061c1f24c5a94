import { saveConnectivity } from '../store/fleet-index.js';
import { forUpdate } from '../store/store.js';
import { connectivityOn, readIndexingConfig } from './fleet-index.js';
import { refreshThing } from './dynamic-groups.js';
/**
 * The embedded broker saw a thing's client connect or disconnect: with connectivity indexing on,
 * its connectivity is stored and the thing's index and dynamic groups follow (not an AWS
 * operation). A client id that names no thing is ignored, as AWS indexes only those.
 */
export async function recordConnectivity(ctx, thingName, connected, at, disconnectReason) {
    if (!connectivityOn(await readIndexingConfig(ctx.store.db)))
        return;
    const changed = await ctx.store.run(async (tx) => {
        const db = tx.db;
        const t = await forUpdate(db, db.selectFrom('things').select('thing_name').where('thing_name', '=', thingName)).executeTakeFirst();
        if (!t)
            return false;
        await saveConnectivity(db, thingName, { connected: connected ? 1 : 0, ts: at, disconnect_reason: connected ? null : (disconnectReason ?? null) });
        return refreshThing(tx, thingName, ctx.clock.now());
    });
}
/**
 * Records a thing's connects and disconnects one after the other, in the order the broker saw
 * them (a quick reconnect must not end up stored as disconnected).
 */
export function connectivityRecorder(ctx, onError) {
    const chains = new Map();
    return (thingName, connected, disconnectReason) => {
        const at = ctx.clock.now();
        const next = (chains.get(thingName) ?? Promise.resolve())
            .then(() => recordConnectivity(ctx, thingName, connected, at, disconnectReason))
            .catch((err) => onError(err, thingName))
            .finally(() => {
            if (chains.get(thingName) === next)
                chains.delete(thingName);
        });
        chains.set(thingName, next);
    };
}
//# sourceMappingURL=connectivity.js.map