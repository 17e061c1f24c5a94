import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { CreateThingCommand, DescribeThingCommand } from '@aws-sdk/client-iot';
import { BACKENDS, PG_URL, startServer } from '../support/harness.js';
import { rejectsWith } from '../support/assert.js';
/** A TCP proxy in front of PostgreSQL that can be cut and restored, like a network partition. */
class Proxy {
    target;
    server;
    sockets = new Set();
    port = 0;
    constructor(target) {
        this.target = target;
    }
    async open() {
        this.server = net.createServer((client) => {
            const upstream = net.connect(this.target);
            for (const s of [client, upstream]) {
                this.sockets.add(s);
                s.on('close', () => this.sockets.delete(s));
                s.on('error', () => s.destroy());
            }
            client.pipe(upstream).pipe(client);
        });
        await new Promise((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
        this.port = this.server.address().port;
    }
    async cut() {
        for (const s of this.sockets)
            s.destroy();
        await new Promise((resolve) => this.server.close(() => resolve()));
    }
}
describe('PostgreSQL connection loss', { skip: !BACKENDS.includes('postgres') && 'PostgreSQL backend not selected' }, () => {
    const pgUrl = new URL(PG_URL);
    const proxy = new Proxy({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
    let s;
    before(async () => {
        await proxy.open();
        const via = new URL(PG_URL);
        via.port = String(proxy.port);
        s = await startServer('postgres', { databaseUrl: via.toString() });
    });
    after(async () => {
        await s.close().catch(() => { });
        await proxy.cut();
    });
    test('requests answer 503 ServiceUnavailableException while the database is away, and work again when it is back', async () => {
        await s.iot.send(new CreateThingCommand({ thingName: 'before-loss' }));
        await proxy.cut();
        await rejectsWith(s.iot.send(new DescribeThingCommand({ thingName: 'before-loss' })), 'ServiceUnavailableException', 503);
        await rejectsWith(s.iot.send(new CreateThingCommand({ thingName: 'during-loss' })), 'ServiceUnavailableException', 503);
        const health = await fetch(`${s.url}/health`);
        assert.equal(health.status, 503);
        await proxy.open();
        const back = await s.iot.send(new DescribeThingCommand({ thingName: 'before-loss' }));
        assert.equal(back.thingName, 'before-loss');
        await s.iot.send(new CreateThingCommand({ thingName: 'after-loss' }));
        assert.equal((await fetch(`${s.url}/health`)).status, 200);
    });
});
//# sourceMappingURL=db-loss.test.js.map