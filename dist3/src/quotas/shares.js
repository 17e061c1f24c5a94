/**
 * Buckets per service, not per node, on PostgreSQL: every node reports, twice a second, how many
 * requests each account bucket saw on it (table quota_nodes), reads the other live nodes' reports,
 * and takes a share of each bucket in proportion to its demand. Requests never wait on the
 * database; the shares follow the load within a refresh or two (docs/compatibility.md,
 * "Throttling and quotas", for the tolerance). Wall time, on purpose (a lease).
 */
export const REFRESH_MS = 500;
/** A node that has not reported for this long is gone; its share goes to the others. */
export const LIVE_MS = 2000;
/**
 * This node's share of each bucket: its demand plus a floor, over all nodes' (the floor keeps an
 * idle node able to answer its first requests, and splits evenly when nobody asks).
 */
export function computeShares(self, reports, buckets) {
    const n = Math.max(1, reports.length);
    const shares = new Map();
    for (const b of buckets) {
        const total = reports.reduce((s, r) => s + (r.demand[b] ?? 0), 0);
        const floor = Math.max(1, total / (20 * n));
        const mine = (reports.find((r) => r.nodeId === self)?.demand[b] ?? 0) + floor;
        shares.set(b, reports.length <= 1 ? 1 : mine / (total + floor * n));
    }
    return { shares, nodes: n };
}
export class QuotaShares {
    store;
    limiter;
    nodeId;
    log;
    timer;
    running;
    constructor(store, limiter, nodeId, log) {
        this.store = store;
        this.limiter = limiter;
        this.nodeId = nodeId;
        this.log = log;
    }
    async start() {
        await this.refresh();
        this.timer = setInterval(() => {
            this.running ??= this.refresh()
                .catch((err) => this.log.warn({ err: err.message }, 'quota shares not refreshed'))
                .finally(() => (this.running = undefined));
        }, REFRESH_MS);
        this.timer.unref();
    }
    async refresh() {
        const now = Date.now();
        const demand = JSON.stringify(this.limiter.takeDemand());
        const db = this.store.db;
        await db
            .insertInto('quota_nodes')
            .values({ node_id: this.nodeId, seen_at: now, demand })
            .onConflict((oc) => oc.column('node_id').doUpdateSet({ seen_at: now, demand }))
            .execute();
        const rows = await db.selectFrom('quota_nodes').select(['node_id', 'demand']).where('seen_at', '>', now - LIVE_MS).execute();
        const reports = rows.map((r) => ({ nodeId: r.node_id, demand: JSON.parse(r.demand) }));
        const { shares, nodes } = computeShares(this.nodeId, reports, this.limiter.accountBuckets());
        this.limiter.setShares(shares, 1 / nodes);
    }
    async stop() {
        if (this.timer)
            clearInterval(this.timer);
        await this.running;
        await this.store.db.deleteFrom('quota_nodes').where((eb) => eb.or([eb('node_id', '=', this.nodeId), eb('seen_at', '<', Date.now() - 60_000)])).execute();
    }
}
//# sourceMappingURL=shares.js.map