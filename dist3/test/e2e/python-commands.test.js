import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { CreateThingCommand } from '@aws-sdk/client-iot';
import { BACKENDS, startServer } from '../support/harness.js';
const run = promisify(execFile);
/**
 * Debian's python3-boto3 (botocore 1.29) predates AWS IoT commands, so the operator side runs on
 * the pyenv python3 with a current boto3 (botocore 1.43); the device is Debian's python3-paho-mqtt 1.6.
 */
const BOTO3_PYTHON = 'python3';
const PAHO_PYTHON = '/usr/bin/python3';
const PAHO_DEVICE = String.raw `
import json, os, queue
import paho.mqtt.client as mqtt
host, port, thing = os.environ["MQTT_HOST"], int(os.environ["MQTT_PORT"]), os.environ["THING"]
base = f"$aws/commands/things/{thing}/executions"
inbox = queue.Queue()
c = mqtt.Client(client_id=thing, protocol=mqtt.MQTTv311)
c.on_message = lambda cl, u, m: inbox.put((m.topic, m.payload))
c.on_subscribe = lambda cl, u, mid, granted: inbox.put(("subscribed", b"{}"))
c.connect(host, port)
c.loop_start()
c.subscribe([(base + "/+/request/json", 1), (base + "/+/response/accepted/json", 1), (base + "/+/response/rejected/json", 1)])
assert inbox.get(timeout=5)[0] == "subscribed"
print("READY", flush=True)
out = {}
topic, payload = inbox.get(timeout=15)
execution_id = topic.split("/")[5]
out["request"] = [topic.rsplit("/", 2)[1:], json.loads(payload)]
c.publish(f"{base}/{execution_id}/response/json", json.dumps({"status": "IN_PROGRESS"}), qos=1)
c.publish(f"{base}/{execution_id}/response/json", json.dumps({"status": "SUCCEEDED", "result": {"temp": {"s": "21.5"}, "ok": {"b": True}}}), qos=1)
c.publish(f"{base}/{execution_id}/response/json", json.dumps({"status": "FAILED"}), qos=1)
replies = [inbox.get(timeout=5) for _ in range(3)]
out["replies"] = [[t.rsplit("/", 2)[1], json.loads(p)] for t, p in replies]
c.loop_stop()
c.disconnect()
print(json.dumps(out), flush=True)
`;
const BOTO3_OPERATOR = String.raw `
import json, os, sys, time, boto3, botocore
url, thing, cmd = os.environ["ENDPOINT"], os.environ["THING"], os.environ["COMMAND"]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
          config=botocore.config.Config(retries={"max_attempts": 1}))
iot = boto3.client("iot", **kw)
data = boto3.client("iot-jobs-data", **kw)
def err(fn):
    try:
        fn()
    except botocore.exceptions.ClientError as e:
        return [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Message"]]
    return None
out = {}
arn = iot.create_command(commandId=cmd, payload={"content": json.dumps({"op": "read"}).encode(), "contentType": "application/json"})["commandArn"]
target = iot.describe_thing(thingName=thing)["thingArn"]
out["badTimeout"] = err(lambda: data.start_command_execution(targetArn=target, commandArn=arn, executionTimeoutSeconds=43201))
ex = data.start_command_execution(targetArn=target, commandArn=arn, executionTimeoutSeconds=60)["executionId"]
for _ in range(400):
    g = iot.get_command_execution(executionId=ex, targetArn=target, includeResult=True)
    if g["status"] == "SUCCEEDED":
        break
    time.sleep(0.025)
out["status"] = g["status"]
out["result"] = g.get("result")
out["completed"] = hasattr(g.get("completedAt"), "year")
out["listed"] = [e["executionId"] == ex for e in iot.list_command_executions(commandArn=arn)["commandExecutions"]]
out["both"] = err(lambda: iot.list_command_executions(commandArn=arn, targetArn=target))
iot.delete_command_execution(executionId=ex, targetArn=target)
out["gone"] = err(lambda: iot.get_command_execution(executionId=ex, targetArn=target))[:2]
d = iot.delete_command(commandId=cmd)
out["delete"] = d["ResponseMetadata"]["HTTPStatusCode"]
out["pending"] = iot.get_command(commandId=cmd)["pendingDeletion"]
print(json.dumps(out))
`;
for (const backend of BACKENDS)
    describe(`commands with boto3 (both planes) and a paho-mqtt device [${backend}]`, () => {
        let s;
        before(async () => {
            s = await startServer(backend, { mqttPort: 0 });
        });
        after(async () => s.close());
        test('boto3 starts a command; the paho device answers IN_PROGRESS, SUCCEEDED, then a refused FAILED', async () => {
            const suffix = randomBytes(3).toString('hex');
            const thing = `commands-py-${suffix}`;
            await s.iot.send(new CreateThingCommand({ thingName: thing }));
            const mqttUrl = new URL(s.app.mqttUrl);
            const env = { ...process.env, MQTT_HOST: mqttUrl.hostname, MQTT_PORT: mqttUrl.port, THING: thing, ENDPOINT: s.url, COMMAND: `commands-py-${suffix}` };
            const { spawn } = await import('node:child_process');
            const device = spawn(PAHO_PYTHON, ['-c', PAHO_DEVICE], { env });
            let stdout = '';
            let stderr = '';
            device.stderr.on('data', (b) => (stderr += b.toString()));
            const ready = new Promise((resolve, reject) => {
                device.stdout.on('data', (b) => {
                    stdout += b.toString();
                    if (stdout.includes('READY'))
                        resolve();
                });
                device.once('exit', () => reject(new Error(`device exited: ${stderr}`)));
            });
            await ready;
            const deviceDone = new Promise((r) => device.once('exit', r));
            const operator = await run(BOTO3_PYTHON, ['-c', BOTO3_OPERATOR], { env, timeout: 60_000 });
            assert.equal(await deviceDone, 0, stderr);
            const dev = JSON.parse(stdout.split('\n').filter((l) => l.startsWith('{')).pop());
            assert.deepEqual(dev.request, [['request', 'json'], { op: 'read' }]);
            const replies = dev.replies;
            assert.deepEqual(replies.map(([t]) => t), ['accepted', 'accepted', 'rejected']);
            assert.equal(replies[2][1].error, 'TerminalStateReached');
            const op = JSON.parse(operator.stdout);
            assert.deepEqual(op.badTimeout.slice(0, 2), ['ValidationException', 400]);
            assert.equal(op.status, 'SUCCEEDED');
            assert.deepEqual(op.result, { temp: { S: '21.5' }, ok: { B: true } });
            assert.equal(op.completed, true);
            assert.deepEqual(op.listed, [true]);
            assert.deepEqual(op.both.slice(0, 2), ['ValidationException', 400]);
            assert.deepEqual(op.gone, ['ResourceNotFoundException', 404]);
            assert.equal(op.delete, 202);
            assert.equal(op.pending, true);
        });
    });
//# sourceMappingURL=python-commands.test.js.map