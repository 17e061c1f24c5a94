import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AddThingToThingGroupCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand } from '@aws-sdk/client-iot';
import { BACKENDS, eventually, groupArn, startServer } from '../support/harness.js';
import { Device } from '../support/device.js';
/**
 * A burst of devices connects, subscribes, and right after the last one a job is rolled out to
 * all of them: every device must be told on notify-next. (The embedded broker measures what a
 * device is told from the state at its connection; that state used to be read later, queued
 * behind the other connections, and then already held the new job: the device was never told.)
 */
const N = 300;
for (const backend of BACKENDS) {
    describe(`a burst of connections, then a rollout (${backend})`, () => {
        let s;
        const devices = [];
        before(async () => {
            s = await startServer(backend, { mqttPort: 0 });
        });
        after(async () => {
            await Promise.allSettled(devices.map((d) => d.close()));
            await s.close();
        });
        test(`${N} devices connect at once; every one is told of the job created right after`, async () => {
            const names = Array.from({ length: N }, (_, i) => `burst-${i}`);
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'burst' }));
            for (const thingName of names) {
                await s.iot.send(new CreateThingCommand({ thingName }));
                await s.iot.send(new AddThingToThingGroupCommand({ thingName, thingGroupName: 'burst' }));
            }
            devices.push(...(await Promise.all(names.map((n) => Device.connect(s.app.mqttUrl, n)))));
            await s.iot.send(new CreateJobCommand({ jobId: 'burst-job', targets: [groupArn('burst')], document: '{}' }));
            const told = (d) => d.on(`${d.prefix}/notify-next`).some((m) => m.body.execution?.jobId === 'burst-job');
            await eventually(async () => devices.every(told), 60_000, 'every device to be told').catch(() => undefined);
            const missed = devices.filter((d) => !told(d)).map((d) => d.thing);
            assert.deepEqual(missed, [], `${missed.length} of ${N} devices were never told`);
        });
    });
}
//# sourceMappingURL=mqtt-connect-burst.test.js.map