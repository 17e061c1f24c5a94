import { saveConnectivity } from '../store/fleet-index.js';
import { forUpdate } from '../store/store.js';
import { connectivityOn, readIndexingConfig } from './fleet-index.js';
import { refreshThing } from './dynamic-groups.js';
import type { OperationContext } from './types.js';

/**
 * The embedded broker saw a thing's client connect or disconnect: with connectivity indexing on,
 * its connectivity is stored and the thing's index and dynamic groups follow (not an AWS
 * operation). A client id that names no thing is ignored, as AWS indexes only those.
 */
export async function recordConnectivity(ctx: OperationContext, thingName: string, connected: boolean, at: number, disconnectReason?: string): Promise<void> {
  if (!connectivityOn(await readIndexingConfig(ctx.store.db))) return;
  const changed = await ctx.store.run(async (tx) => {
    const db = tx.db;
    const t = await forUpdate(db, db.selectFrom('things').select('thing_name').where('thing_name', '=', thingName)).executeTakeFirst();
    if (!t) return false;
    await saveConnectivity(db, thingName, { connected: connected ? 1 : 0, ts: at, disconnect_reason: connected ? null : (disconnectReason ?? null) });
    return refreshThing(tx, thingName, ctx.clock.now());
  });
}

/**
 * Records a thing's connects and disconnects one after the other, in the order the broker saw
 * them (a quick reconnect must not end up stored as disconnected).
 */
export function connectivityRecorder(ctx: OperationContext, onError: (err: unknown, thingName: string) => void) {
  const chains = new Map<string, Promise<void>>();
  return (thingName: string, connected: boolean, disconnectReason?: string): void => {
    const at = ctx.clock.now();
    const next = (chains.get(thingName) ?? Promise.resolve())
      .then(() => recordConnectivity(ctx, thingName, connected, at, disconnectReason))
      .catch((err: unknown) => onError(err, thingName))
      .finally(() => {
        if (chains.get(thingName) === next) chains.delete(thingName);
      });
    chains.set(thingName, next);
  };
}
