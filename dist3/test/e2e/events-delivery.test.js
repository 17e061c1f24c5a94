/**
 * The delivery promise of events: an acknowledged transition's event survives kill -9 between
 * COMMIT and publish (an outbox in the same transaction), and across PostgreSQL nodes each event is
 * published once in normal operation.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { CreateJobCommand, CreateThingCommand, UpdateEventConfigurationsCommand } from '@aws-sdk/client-iot';
import { UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, MOSQUITTO_URL, clients, eventually, pgNodes, thingArn } from '../support/harness.js';
import { spawnServer, storage } from '../support/process.js';
for (const backend of BACKENDS)
    describe(`events survive kill -9 [${backend}]`, () => {
        const cleanups = [];
        after(async () => {
            for (const c of cleanups.reverse())
                await c().catch(() => { });
        });
        test('a subscriber with a persistent session on Mosquitto receives the event of every acknowledged transition of a node killed mid-stream', async () => {
            const run = randomBytes(3).toString('hex');
            const jobId = `evk-${run}`;
            const store = await storage(backend);
            cleanups.push(store.cleanup);
            const args = [...store.args, '--mqtt-url', MOSQUITTO_URL];
            const first = await spawnServer(args);
            cleanups.push(async () => void first.child.kill('SIGKILL'));
            let c = clients(first.url);
            await c.iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: { JOB_EXECUTION: { Enabled: true } } }));
            const things = Array.from({ length: 100 }, (_, i) => `evk-${run}-${i}`);
            for (const t of things)
                await c.iot.send(new CreateThingCommand({ thingName: t }));
            await c.iot.send(new CreateJobCommand({ jobId, targets: things.map(thingArn), document: '{}' }));
            // The application: a persistent session (clean: false) and QoS 1, so Mosquitto keeps what
            // arrives while it is away; it stays connected through the crash anyway.
            const received = new Set();
            const sub = await mqtt.connectAsync(MOSQUITTO_URL, { clientId: `evk-app-${run}`, clean: false, protocolVersion: 4 });
            cleanups.push(async () => void (await sub.endAsync()));
            sub.on('message', (_topic, payload) => {
                const e = JSON.parse(payload.toString());
                if (e.operation === 'succeeded')
                    received.add(e.thingArn);
            });
            await sub.subscribeAsync(`$aws/events/jobExecution/${jobId}/#`, { qos: 1 });
            // Devices finish their executions as fast as they can; the node is killed in the middle.
            const acknowledged = [];
            let stop = false;
            const loops = Array.from({ length: 8 }, async (_, w) => {
                for (let i = w; i < 100 && !stop; i += 8) {
                    try {
                        await c.data.send(new UpdateJobExecutionCommand({ thingName: things[i], jobId, status: 'SUCCEEDED' }));
                        acknowledged.push(thingArn(things[i]));
                    }
                    catch {
                        return; // the node is gone: this update was not acknowledged
                    }
                }
            });
            await eventually(async () => acknowledged.length >= 30, 20_000, 'updates under way');
            first.child.kill('SIGKILL');
            stop = true;
            await Promise.all(loops);
            await first.exited;
            c.iot.destroy();
            c.data.destroy();
            assert.ok(acknowledged.length >= 30);
            const second = await spawnServer(args);
            cleanups.push(async () => {
                second.child.kill('SIGTERM');
                await second.exited;
            });
            c = clients(second.url);
            await eventually(async () => acknowledged.every((arn) => received.has(arn)), 30_000, `the events of ${acknowledged.length} acknowledged updates`);
            c.iot.destroy();
            c.data.destroy();
        });
    });
describe('events on two PostgreSQL nodes', () => {
    test('each event is published once, whichever node committed it', async () => {
        if (!BACKENDS.includes('postgres'))
            return;
        const run = randomBytes(3).toString('hex');
        const jobId = `ev2-${run}`;
        const { nodes, close } = await pgNodes(2, { mqttUrl: MOSQUITTO_URL });
        try {
            const [a, b] = nodes;
            await a.iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: { JOB_EXECUTION: { Enabled: true }, JOB: { Enabled: true } } }));
            // The other node's cache follows within a second.
            await new Promise((r) => setTimeout(r, 1500));
            const things = Array.from({ length: 60 }, (_, i) => `ev2-${run}-${i}`);
            for (const t of things)
                await a.iot.send(new CreateThingCommand({ thingName: t }));
            const ids = [];
            const topics = [];
            const sub = await mqtt.connectAsync(MOSQUITTO_URL, { clientId: `ev2-app-${run}`, protocolVersion: 5 });
            sub.on('message', (topic, payload) => {
                topics.push(topic);
                ids.push(JSON.parse(payload.toString()).eventId);
            });
            await sub.subscribeAsync([`$aws/events/jobExecution/${jobId}/#`, `$aws/events/job/${jobId}/#`], { qos: 1 });
            await b.iot.send(new CreateJobCommand({ jobId, targets: things.map(thingArn), document: '{}' }));
            await Promise.all(things.map((t, i) => (i % 2 ? a : b).data.send(new UpdateJobExecutionCommand({ thingName: t, jobId, status: i % 3 ? 'SUCCEEDED' : 'FAILED' }))));
            await eventually(async () => topics.includes(`$aws/events/job/${jobId}/completed`) && topics.length >= things.length + 1, 20_000, 'every event');
            // Time for a duplicate to show up, if a node were to publish what the other did.
            await new Promise((r) => setTimeout(r, 1500));
            await sub.endAsync();
            assert.equal(topics.length, things.length + 1, 'one event per execution and one for the job');
            assert.equal(new Set(ids).size, ids.length, 'no eventId twice');
            assert.equal(topics.filter((t) => t.endsWith('/succeeded')).length, things.filter((_, i) => i % 3).length);
        }
        finally {
            await close();
        }
    });
});
//# sourceMappingURL=events-delivery.test.js.map