import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateJobCommand, CreateThingCommand, DescribeJobExecutionCommand } from '@aws-sdk/client-iot';
import { BACKENDS, startServer, thingArn } from '../support/harness.js';
const run = promisify(execFile);
/** A device written with Debian's python3-paho-mqtt (1.6), the way Python firmware tools use it. */
const PAHO_DEVICE = String.raw `
import json, os, queue, sys
import paho.mqtt.client as mqtt
host, port, thing = os.environ["MQTT_HOST"], int(os.environ["MQTT_PORT"]), os.environ["THING"]
prefix = f"$aws/things/{thing}/jobs"
inbox = queue.Queue()
c = mqtt.Client(client_id=thing, protocol=mqtt.MQTTv311)
c.on_message = lambda cl, u, m: inbox.put((m.topic, json.loads(m.payload)))
c.connect(host, port)
c.loop_start()
c.subscribe(prefix + "/#", qos=1)
def ask(path, body):
    c.publish(f"{prefix}/{path}", json.dumps(body), qos=1)
    while True:
        topic, msg = inbox.get(timeout=5)
        if topic in (f"{prefix}/{path}/accepted", f"{prefix}/{path}/rejected") and msg.get("clientToken") == body.get("clientToken"):
            return topic.rsplit("/", 1)[1], msg
out = {}
state, msg = ask("start-next", {"clientToken": "p1"})
out["start"] = [state, msg["execution"]["jobId"], msg["execution"]["status"], msg["execution"]["jobDocument"]]
state, msg = ask(msg["execution"]["jobId"] + "/update", {"clientToken": "p2", "status": "SUCCEEDED", "expectedVersion": msg["execution"]["versionNumber"], "includeJobExecutionState": True})
out["update"] = [state, msg["executionState"]["status"], isinstance(msg["timestamp"], int)]
state, msg = ask("bogus-job/update", {"clientToken": "p3", "status": "SUCCEEDED"})
out["unknown"] = [state, msg["code"]]
c.loop_stop()
c.disconnect()
print(json.dumps(out))
`;
for (const backend of BACKENDS) {
    describe(`a paho-mqtt device [${backend}]`, () => {
        let s;
        before(async () => {
            s = await startServer(backend, { mqttPort: 0 });
        });
        after(async () => {
            await s.close();
        });
        test('runs start-next and update over the embedded broker', async () => {
            await s.iot.send(new CreateThingCommand({ thingName: 'paho-1' }));
            await s.iot.send(new CreateJobCommand({ jobId: 'paho-job', targets: [thingArn('paho-1')], document: '{"url":"https://example.com/fw.bin"}' }));
            const mqttUrl = new URL(s.app.mqttUrl);
            const { stdout } = await run('/usr/bin/python3', ['-c', PAHO_DEVICE], {
                env: { ...process.env, MQTT_HOST: mqttUrl.hostname, MQTT_PORT: mqttUrl.port, THING: 'paho-1' },
                timeout: 30_000,
            });
            const out = JSON.parse(stdout);
            assert.deepEqual(out.start, ['accepted', 'paho-job', 'IN_PROGRESS', { url: 'https://example.com/fw.bin' }]);
            assert.deepEqual(out.update, ['accepted', 'SUCCEEDED', true]);
            assert.deepEqual(out.unknown, ['rejected', 'ResourceNotFound']);
            const e = await s.iot.send(new DescribeJobExecutionCommand({ jobId: 'paho-job', thingName: 'paho-1' }));
            assert.equal(e.execution?.status, 'SUCCEEDED');
        });
    });
}
//# sourceMappingURL=paho.test.js.map