import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ACCOUNT, CREDENTIALS, REGION } from './harness.js';
const run = promisify(execFile);
/** /usr/bin/aws against a server, as a user would call it; returns the parsed JSON output ({} for none). */
export async function aws(url, args) {
    const { stdout } = await run('/usr/bin/aws', ['--endpoint-url', url, '--output', 'json', ...args], {
        env: { ...process.env, AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, AWS_DEFAULT_REGION: REGION, AWS_PAGER: '' },
        timeout: 60_000,
    });
    return stdout.trim() ? JSON.parse(stdout) : {};
}
export const arn = (type, name) => `arn:aws:iot:${REGION}:${ACCOUNT}:${type}/${name}`;
/** The minimal policy of AWS's jobs sample (perimeter.md §4.6) for `thing`, statements by name so a test can drop one. */
export function jobsSamplePolicy(thing) {
    const topic = (t) => arn('topic', `$aws/things/${thing}/jobs/${t}`);
    const filter = (t) => arn('topicfilter', `$aws/things/${thing}/jobs/${t}`);
    return {
        publish: { Effect: 'Allow', Action: 'iot:Publish', Resource: ['start-next', '*/update', '*/get', 'get'].map(topic) },
        receive: { Effect: 'Allow', Action: 'iot:Receive', Resource: ['notify', 'notify-next', 'start-next/*', '*/update/*', 'get/*', '*/get/*'].map(topic) },
        subscribe: { Effect: 'Allow', Action: 'iot:Subscribe', Resource: ['notify', 'notify-next', 'start-next/*', '*/update/*', 'get/*', '*/get/*'].map(filter) },
        connect: { Effect: 'Allow', Action: 'iot:Connect', Resource: arn('client', 'test-*') },
    };
}
export const policyDocument = (statements) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
/**
 * The four commands of AWS's getting-started guide: create-thing, create-keys-and-certificate
 * --set-as-active, attach-thing-principal, create-policy + attach-policy; then the CA from
 * /_iot-jobs/ca.pem and the endpoint from describe-endpoint.
 */
export async function provision(url, thing, policyName, document) {
    const dir = mkdtempSync(join(tmpdir(), 'iot-jobs-device-'));
    const certFile = join(dir, 'device.pem.crt');
    const keyFile = join(dir, 'private.pem.key');
    const caFile = join(dir, 'ca.pem');
    await aws(url, ['iot', 'create-thing', '--thing-name', thing]);
    const made = await aws(url, ['iot', 'create-keys-and-certificate', '--set-as-active', '--certificate-pem-outfile', certFile, '--private-key-outfile', keyFile]);
    const certificateArn = made.certificateArn;
    await aws(url, ['iot', 'attach-thing-principal', '--thing-name', thing, '--principal', certificateArn]);
    writeFileSync(join(dir, 'policy.json'), document);
    await aws(url, ['iot', 'create-policy', '--policy-name', policyName, '--policy-document', `file://${join(dir, 'policy.json')}`]);
    await aws(url, ['iot', 'attach-policy', '--policy-name', policyName, '--target', certificateArn]);
    const ca = await fetch(`${url}/_iot-jobs/ca.pem`);
    writeFileSync(caFile, await ca.text());
    const endpoint = (await aws(url, ['iot', 'describe-endpoint', '--endpoint-type', 'iot:Data-ATS'])).endpointAddress;
    const [host, port] = endpoint.split(':');
    return { dir, certFile, keyFile, caFile, certificateArn, certificateId: made.certificateId, host: host, port: Number(port ?? 8883) };
}
//# sourceMappingURL=provision.js.map