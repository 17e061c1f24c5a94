/**
 * Token buckets over wall time (on purpose: a rate limit is about real load, and `--clock manual`
 * must not freeze or flood it). One bucket per profile entry, per account (this server has one
 * account), or per thing name for `per: thing` entries. On several nodes each node holds a share
 * of every account bucket (src/quotas/shares.ts); `share` scales rate and size.
 */
class Bucket {
    rate;
    size;
    tokens;
    last;
    constructor(rate, size, now) {
        this.rate = rate;
        this.size = size;
        this.tokens = size;
        this.last = now;
    }
    refill(now) {
        if (now > this.last)
            this.tokens = Math.min(this.size, this.tokens + ((now - this.last) * this.rate) / 1000);
        this.last = now;
    }
}
/** A thing bucket left full this long is dropped (it would be full again anyway). */
const IDLE_THING_MS = 60_000;
export class RateLimiter {
    now;
    account = new Map();
    perThing = new Map();
    entries = new Map();
    /** By `name` (account) or `name thingName` (thing). */
    buckets = new Map();
    /** This node's fraction of each account bucket, by entry name (1 alone). */
    shares = new Map();
    /** Requests per account bucket since the last report (the demand the shares follow). */
    demand = new Map();
    thingShare = 1;
    lastSweep = 0;
    constructor(profile, now = Date.now) {
        this.now = now;
        for (const [name, entry] of Object.entries(profile.rates)) {
            this.entries.set(name, entry);
            const target = entry.per === 'thing' ? this.perThing : this.account;
            for (const op of entry.operations ?? [name])
                target.set(op, { name, entry });
        }
    }
    /** Names of the account buckets (those shared between nodes). */
    accountBuckets() {
        return [...new Set([...this.account.values()].map((b) => b.name))];
    }
    /** Takes one token from each bucket the request draws from, or none and says which one is empty. */
    take(service, operation, thingName) {
        const op = `${service}:${operation}`;
        const now = this.now();
        const acct = this.account.get(op);
        const thing = thingName === undefined ? undefined : this.perThing.get(op);
        if (acct)
            this.demand.set(acct.name, (this.demand.get(acct.name) ?? 0) + 1);
        const a = acct && this.bucket(acct.name, acct.entry, this.shares.get(acct.name) ?? 1, now);
        const t = thing && this.bucket(`${thing.name} ${thingName}`, thing.entry, this.thingShare, now);
        if (a && a.tokens < 1)
            return { bucket: acct.name };
        if (t && t.tokens < 1)
            return { bucket: thing.name };
        if (a)
            a.tokens -= 1;
        if (t)
            t.tokens -= 1;
        if (this.perThing.size && now - this.lastSweep > IDLE_THING_MS)
            this.sweep(now);
        return undefined;
    }
    bucket(key, entry, share, now) {
        let b = this.buckets.get(key);
        // A share never leaves a node without one whole token: a tiny share would refuse everything.
        const size = Math.max(1, entry.burst * share);
        if (!b)
            this.buckets.set(key, (b = new Bucket(entry.rate * share, size, now)));
        b.refill(now);
        return b;
    }
    /** Demand per account bucket since the last call, reset. */
    takeDemand() {
        const out = Object.fromEntries(this.demand);
        this.demand = new Map();
        return out;
    }
    /** New shares from the nodes' reports: account buckets by name, thing buckets one share for all. */
    setShares(shares, thingShare) {
        this.shares = shares;
        this.thingShare = thingShare;
        const now = this.now();
        for (const [key, b] of this.buckets) {
            const space = key.indexOf(' ');
            const name = space < 0 ? key : key.slice(0, space);
            const entry = this.entries.get(name);
            const share = space < 0 ? (shares.get(name) ?? 1) : thingShare;
            b.refill(now);
            b.rate = entry.rate * share;
            b.size = Math.max(1, entry.burst * share);
            b.tokens = Math.min(b.tokens, b.size);
        }
    }
    sweep(now) {
        this.lastSweep = now;
        for (const [key, b] of this.buckets) {
            if (!key.includes(' '))
                continue;
            b.refill(now);
            if (b.tokens >= b.size)
                this.buckets.delete(key);
        }
    }
}
//# sourceMappingURL=limiter.js.map