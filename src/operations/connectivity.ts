import { saveConnectivity } from '../store/fleet-index.js';
import { connectivityOn, readIndexingConfig } from './fleet-index.js';
import { refreshThing } from './dynamic-groups.js';
import type { OperationContext } from './types.js';

/**
 * The embedded broker saw a thing's client connect or disconnect: with connectivity indexing on,
 * its connectivity is stored and the thing's index and dynamic groups follow (not an AWS
 * operation). A client id that names no thing is ignored, as AWS indexes only those.
 */
export async function recordConnectivity(ctx: OperationContext, thingName: string, connected: boolean, disconnectReason?: string): Promise<void> {
  if (!connectivityOn(await readIndexingConfig(ctx.store.db))) return;
  const now = ctx.clock.now();
  const changed = await ctx.store.tx(async (db) => {
    const t = await db.selectFrom('things').select('thing_name').where('thing_name', '=', thingName).forUpdate().executeTakeFirst();
    if (!t) return false;
    await saveConnectivity(db, thingName, { connected: connected ? 1 : 0, ts: now, disconnect_reason: connected ? null : (disconnectReason ?? null) });
    return refreshThing(db, thingName, now);
  });
  if (changed) ctx.events.pendingChanged([thingName]);
}
