import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateCommandCommand, CreateThingCommand, GetCommandExecutionCommand } from '@aws-sdk/client-iot';
import { StartCommandExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { ACCOUNT, BACKENDS, CREDENTIALS, REGION, clients, thingArn } from '../support/harness.js';
import { spawnServer, storage } from '../support/process.js';
import { CommandDevice } from '../support/command-device.js';
import { clockRequest } from '../../src/cli/clock-client.js';
const THING = 'commands-crash-thing';
const COMMAND = 'commands-crash-cmd';
const commandArn = `arn:aws:iot:${REGION}:${ACCOUNT}:command/${COMMAND}`;
for (const backend of BACKENDS)
    describe(`commands survive kill -9 [${backend}]`, () => {
        const cleanups = [];
        after(async () => {
            for (const c of cleanups)
                await c();
        });
        test('every acknowledged StartCommandExecution and device update is there after a crash, and the timeouts still fire', async () => {
            const store = await storage(backend);
            cleanups.push(store.cleanup);
            const first = await spawnServer([...store.args, '--clock', 'manual']);
            cleanups.push(async () => void first.child.kill('SIGKILL'));
            let { iot, data } = clients(first.url);
            await iot.send(new CreateThingCommand({ thingName: THING }));
            await iot.send(new CreateCommandCommand({ commandId: COMMAND, payload: { content: new TextEncoder().encode('{}'), contentType: 'application/json' } }));
            const device = await CommandDevice.connect(first.mqttUrl, THING, 'thing');
            // Starts keep coming while the process is killed; those answered must all exist afterwards.
            const acknowledged = [];
            let stop = false;
            const starter = (async () => {
                while (!stop) {
                    try {
                        const r = await data.send(new StartCommandExecutionCommand({ commandArn, targetArn: thingArn(THING), executionTimeoutSeconds: 300 }));
                        acknowledged.push(r.executionId);
                    }
                    catch {
                        return;
                    }
                }
            })();
            while (acknowledged.length < 30)
                await new Promise((r) => setTimeout(r, 10));
            const succeeded = acknowledged.slice(0, 10);
            for (const id of succeeded)
                assert.equal((await device.update(id, { status: 'SUCCEEDED', result: { n: { s: id } } })).accepted, true);
            first.child.kill('SIGKILL');
            assert.equal(await first.exited, 'SIGKILL');
            stop = true;
            await starter;
            await device.close().catch(() => { });
            iot.destroy();
            data.destroy();
            const second = await spawnServer([...store.args, '--clock', 'manual']);
            cleanups.push(async () => {
                second.child.kill('SIGTERM');
                await second.exited;
            });
            ({ iot, data } = clients(second.url));
            const get = (id) => iot.send(new GetCommandExecutionCommand({ executionId: id, targetArn: thingArn(THING), includeResult: true }));
            for (const id of acknowledged) {
                const e = await get(id);
                if (succeeded.includes(id)) {
                    assert.equal(e.status, 'SUCCEEDED');
                    assert.equal(e.result.n.S, id);
                }
                else
                    assert.equal(e.status, 'CREATED');
            }
            // The durable timers came through the crash: moving the clock times the rest out.
            const r = await clockRequest({ url: second.url, region: REGION, credentials: CREDENTIALS }, { advanceSeconds: 301 });
            assert.equal(r.status, 200);
            for (const id of acknowledged.slice(10)) {
                const e = await get(id);
                assert.deepEqual([e.status, e.statusReason?.reasonCode], ['TIMED_OUT', '$NO_RESPONSE_FROM_DEVICE']);
            }
            assert.equal((await get(succeeded[0])).status, 'SUCCEEDED');
            iot.destroy();
            data.destroy();
        });
    });
//# sourceMappingURL=commands-crash.test.js.map