import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { IoTClient } from '@aws-sdk/client-iot';
import { IoTJobsDataPlaneClient } from '@aws-sdk/client-iot-jobs-data-plane';
import { startApp } from '../../src/app.js';
/** Backends every end-to-end test runs on; IOT_JOBS_TEST_BACKENDS=sqlite narrows it. */
export const BACKENDS = (process.env.IOT_JOBS_TEST_BACKENDS ?? 'sqlite,postgres').split(',').map((s) => s.trim());
export const PG_URL = process.env.IOT_JOBS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The Mosquitto on this machine (.ci/run starts it); shared, so tests give their things unique names. */
export const MOSQUITTO_URL = process.env.IOT_JOBS_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export function testConfig(overrides = {}) {
    return {
        host: '127.0.0.1',
        port: 0,
        dataDir: overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'iot-jobs-test-')),
        databaseUrl: undefined,
        dbPoolSize: 5,
        region: REGION,
        accountId: ACCOUNT,
        credentials: [{ accessKeyId: 'test', secretAccessKey: 'test' }],
        defaultCredentials: true,
        deletionRate: 0,
        mqttPort: undefined,
        mqttUrl: undefined,
        deviceCredentials: new Map(),
        logLevel: 'warn',
        ...overrides,
    };
}
/** A fresh PostgreSQL schema name, so that test runs never see each other. */
export function freshSchema() {
    return `t_${process.pid}_${randomBytes(4).toString('hex')}`;
}
export async function dropSchema(schema) {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
        await c.query(`drop schema if exists "${schema}" cascade`);
    }
    finally {
        await c.end();
    }
}
export function clients(url) {
    const common = { endpoint: url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 };
    return { iot: new IoTClient(common), data: new IoTJobsDataPlaneClient(common) };
}
export async function startServer(backend, overrides = {}, opts = {}) {
    const schema = backend === 'postgres' ? (opts.pgSchema ?? freshSchema()) : undefined;
    const config = testConfig({ ...(backend === 'postgres' ? { databaseUrl: PG_URL } : {}), ...overrides });
    const app = await startApp(config, { ...opts, ...(schema ? { pgSchema: schema } : {}) });
    const { iot, data } = clients(app.httpUrl);
    let stopped = false;
    const server = {
        app,
        url: app.httpUrl,
        config,
        iot,
        data,
        async stop() {
            if (stopped)
                return;
            stopped = true;
            iot.destroy();
            data.destroy();
            await app.close();
        },
        async close() {
            await server.stop();
            if (schema)
                await dropSchema(schema);
            else
                rmSync(config.dataDir, { recursive: true, force: true });
        },
        async restart(more = {}, whileDown) {
            await server.stop();
            await whileDown?.();
            return startServer(backend, { ...overrides, dataDir: config.dataDir, ...more }, { ...opts, ...(schema ? { pgSchema: schema } : {}) });
        },
    };
    return server;
}
/** Two (or more) nodes on one fresh PostgreSQL schema, on the manual clock: one cluster in one process. */
export async function pgNodes(n, overrides = {}) {
    const schema = freshSchema();
    const nodes = [];
    for (let i = 0; i < n; i++)
        nodes.push(await startServer('postgres', { clock: 'manual', dbPoolSize: 10, ...overrides }, { pgSchema: schema }));
    return {
        nodes,
        async close() {
            for (const node of nodes)
                await node.stop();
            await dropSchema(schema);
        },
    };
}
/** Polls until `check` returns a value that is not undefined/false, or fails after `ms`. */
export async function eventually(check, ms = 10_000, what = 'condition') {
    const end = Date.now() + ms;
    let last;
    for (;;) {
        try {
            const v = await check();
            if (v !== undefined && v !== false)
                return v;
            // A check that ran without an error but gave no value: an older error no longer explains the wait.
            last = undefined;
        }
        catch (err) {
            last = err;
        }
        if (Date.now() > end)
            throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
        await new Promise((r) => setTimeout(r, 25));
    }
}
export const thingArn = (name) => `arn:aws:iot:${REGION}:${ACCOUNT}:thing/${name}`;
export const groupArn = (name) => `arn:aws:iot:${REGION}:${ACCOUNT}:thinggroup/${name}`;
//# sourceMappingURL=harness.js.map