import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { execFile, execFileSync } from 'node:child_process';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { IoTClient, CreateJobCommand, DeleteJobCommand, DescribeJobExecutionCommand as ControlDescribeExecution } from '@aws-sdk/client-iot';
import { IoTJobsDataPlaneClient, DescribeJobExecutionCommand as DeviceDescribeExecution, StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand, } from '@aws-sdk/client-iot-jobs-data-plane';
import { createVerifier, Sha256 } from '../../src/auth/sigv4.js';
import { ServiceError } from '../../src/errors.js';
/**
 * Requests really signed by the AWS SDK for JavaScript v3 and by botocore, captured off the wire by
 * a local HTTP server, then verified. No signer of ours is involved on the signing side.
 */
const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const REGION = 'us-east-1';
/** A tiny HTTP server that records what clients send and answers `{}`. */
class Capture {
    requests = [];
    server;
    url = '';
    async start() {
        this.server = createServer((req, res) => {
            const chunks = [];
            req.on('data', (c) => chunks.push(c));
            req.on('end', () => {
                this.requests.push({ method: req.method, rawUrl: req.url, headers: req.headers, body: Buffer.concat(chunks), at: Date.now() });
                res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
            });
        });
        await new Promise((r) => this.server.listen(0, '127.0.0.1', r));
        this.url = `http://127.0.0.1:${this.server.address().port}`;
    }
    async send(fn) {
        const n = this.requests.length;
        await fn();
        assert.equal(this.requests.length, n + 1);
        return this.requests[n];
    }
    stop() {
        return new Promise((r) => this.server.close(r));
    }
}
const verifier = (clock = Date.now, extra = {}) => createVerifier({ credentials: [{ accessKeyId: 'other', secretAccessKey: 'x' }, CREDS], region: REGION, clock, ...extra });
function rejects(fn, code, message) {
    try {
        fn();
    }
    catch (err) {
        assert.ok(err instanceof ServiceError, `expected a ServiceError, got ${String(err)}`);
        assert.equal(err.code, code, err.message);
        if (message)
            assert.match(err.message, message);
        return;
    }
    assert.fail(`expected ${code}`);
}
describe('SigV4 verification of requests signed by the AWS SDK for JavaScript v3', () => {
    const capture = new Capture();
    let iot;
    let data;
    const sent = {};
    before(async () => {
        await capture.start();
        const common = { endpoint: capture.url, region: REGION, credentials: CREDS, maxAttempts: 1 };
        iot = new IoTClient(common);
        data = new IoTJobsDataPlaneClient(common);
        sent.createJob = await capture.send(() => iot.send(new CreateJobCommand({ jobId: 'job-1', targets: ['arn:aws:iot:us-east-1:000000000000:thing/t1'], document: '{"op":"ünïcode ✓"}' })));
        sent.controlDescribe = await capture.send(() => iot.send(new ControlDescribeExecution({ jobId: 'job-1', thingName: 'thing:with:colons' })));
        sent.deleteJob = await capture.send(() => iot.send(new DeleteJobCommand({ jobId: 'job-1', force: true, namespaceId: 'x' })));
        sent.startNext = await capture.send(() => data.send(new StartNextPendingJobExecutionCommand({ thingName: 'thing:1', statusDetails: { step: 'a b' } })));
        sent.describeNext = await capture.send(() => data.send(new DeviceDescribeExecution({ thingName: 'thing:1', jobId: '$next', includeJobDocument: true })));
        sent.update = await capture.send(() => data.send(new UpdateJobExecutionCommand({ thingName: 'thing:1', jobId: 'job-1', status: 'SUCCEEDED', expectedVersion: 2 })));
    });
    after(async () => {
        iot?.destroy();
        data?.destroy();
        await capture.stop();
    });
    test('the paths and queries on the wire are the ones under test', () => {
        assert.equal(sent.controlDescribe.rawUrl, '/things/thing%3Awith%3Acolons/jobs/job-1');
        assert.equal(sent.deleteJob.rawUrl, '/jobs/job-1?force=true&namespaceId=x');
        assert.equal(sent.startNext.rawUrl, '/things/thing%3A1/jobs/$next');
        assert.match(sent.describeNext.rawUrl, /^\/things\/thing%3A1\/jobs\/%24next\?includeJobDocument=true$/);
        assert.ok(sent.createJob.body.length > 0);
    });
    test('control-plane requests verify as iot, with the access key', () => {
        const verify = verifier();
        for (const r of [sent.createJob, sent.controlDescribe, sent.deleteJob]) {
            assert.deepEqual(verify(r), { service: 'iot', accessKeyId: CREDS.accessKeyId }, r.rawUrl);
        }
    });
    test('device-plane requests verify as iot-jobs-data ($next raw and encoded, a thing name with ":")', () => {
        const verify = verifier();
        for (const r of [sent.startNext, sent.describeNext, sent.update]) {
            assert.deepEqual(verify(r), { service: 'iot-jobs-data', accessKeyId: CREDS.accessKeyId }, r.rawUrl);
        }
    });
    test('no Authorization header: MissingAuthenticationTokenException', () => {
        const { authorization: _, ...headers } = sent.deleteJob.headers;
        rejects(() => verifier()({ ...sent.deleteJob, headers }), 'MissingAuthenticationTokenException', /^Missing Authentication Token$/);
    });
    test('an unknown access key: UnrecognizedClientException', () => {
        const verify = createVerifier({ credentials: [{ accessKeyId: 'someone-else', secretAccessKey: 'x' }], region: REGION, clock: Date.now });
        rejects(() => verify(sent.createJob), 'UnrecognizedClientException', /^The security token included in the request is invalid\.$/);
    });
    test('a wrong secret: InvalidSignatureException', () => {
        const verify = createVerifier({ credentials: [{ ...CREDS, secretAccessKey: 'not-it' }], region: REGION, clock: Date.now });
        rejects(() => verify(sent.createJob), 'InvalidSignatureException', /^The request signature we calculated does not match the signature you provided/);
    });
    test('a tampered body, path, query or signed header: InvalidSignatureException', () => {
        const verify = verifier();
        const r = sent.createJob;
        const body = Buffer.from(`${r.body.toString('utf8')} `);
        rejects(() => verify({ ...r, body }), 'InvalidSignatureException', /does not match/);
        rejects(() => verify({ ...r, body: undefined }), 'InvalidSignatureException', /does not match/);
        rejects(() => verify({ ...sent.controlDescribe, rawUrl: '/things/thing%3Awith%3Acolon/jobs/job-1' }), 'InvalidSignatureException', /does not match/);
        rejects(() => verify({ ...sent.deleteJob, rawUrl: '/jobs/job-1?force=false&namespaceId=x' }), 'InvalidSignatureException', /does not match/);
        rejects(() => verify({ ...sent.deleteJob, method: 'GET' }), 'InvalidSignatureException', /does not match/);
        rejects(() => verify({ ...r, headers: { ...r.headers, host: 'evil.example:80' } }), 'InvalidSignatureException', /does not match/);
        // Headers the client did not sign may change (proxies add them).
        assert.equal(verify({ ...r, headers: { ...r.headers, 'x-forwarded-for': '10.0.0.1', 'user-agent': 'changed' } }).service, 'iot');
    });
    test('a clock more than 5 minutes away: InvalidSignatureException in AWS words', () => {
        const r = sent.createJob;
        const amzDate = String(r.headers['x-amz-date']);
        rejects(() => verifier(() => r.at + 5 * 60_000 + 2000)(r), 'InvalidSignatureException', new RegExp(`^Signature expired: ${amzDate} is now earlier than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z - 5 min\\.\\)$`));
        rejects(() => verifier(() => r.at - 5 * 60_000 - 2000)(r), 'InvalidSignatureException', new RegExp(`^Signature not yet current: ${amzDate} is still later than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z \\+ 5 min\\.\\)$`));
        assert.equal(verifier(() => r.at + 4 * 60_000)(r).service, 'iot');
        rejects(() => verifier(() => r.at + 90_000, { maxSkewMs: 60_000 })(r), 'InvalidSignatureException', /^Signature expired: .* - 1 min\.\)$/);
    });
    test('a second accepted clock (a test that moved the app clock) still lets wall-clock signatures in', () => {
        const r = sent.createJob;
        const moved = () => r.at + 3600_000;
        rejects(() => verifier(moved)(r), 'InvalidSignatureException', /^Signature expired/);
        assert.equal(verifier(moved, { alsoAccept: () => r.at })(r).service, 'iot');
    });
    test('x-amz-content-sha256, when sent, must be the hash of the body', () => {
        const r = sent.createJob;
        const headers = { ...r.headers, 'x-amz-content-sha256': '0'.repeat(64) };
        rejects(() => verifier()({ ...r, headers }), 'InvalidSignatureException', /x-amz-content-sha256/);
    });
    test('a region other than the server’s: InvalidSignatureException naming it', () => {
        const verify = createVerifier({ credentials: [CREDS], region: 'eu-west-1', clock: Date.now });
        rejects(() => verify(sent.createJob), 'InvalidSignatureException', /us-east-1.*eu-west-1/);
    });
    test('a malformed Authorization header: IncompleteSignatureException', () => {
        const r = sent.createJob;
        rejects(() => verifier()({ ...r, headers: { ...r.headers, authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE' } }), 'IncompleteSignatureException', /SignedHeaders/);
        rejects(() => verifier()({ ...r, headers: { ...r.headers, authorization: 'Bearer abc' } }), 'IncompleteSignatureException');
    });
});
/** Signs like a client with the smithy signer directly, for scopes and presigned URLs the SDK clients do not make. */
async function smithySigned(service, presign = false) {
    const signer = new SignatureV4({ service, region: REGION, credentials: CREDS, sha256: Sha256 });
    const req = new HttpRequest({ method: 'GET', hostname: '127.0.0.1', port: 7020, path: '/things/a%3Ab/jobs', query: { maxResults: '5' }, headers: { host: '127.0.0.1:7020' } });
    const signed = presign ? await signer.presign(req, { expiresIn: 60 }) : await signer.sign(req);
    const query = Object.entries(signed.query ?? {})
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
        .join('&');
    return { method: 'GET', rawUrl: `${signed.path}?${query}`, headers: signed.headers, body: undefined };
}
describe('SigV4 scopes and presigned URLs (smithy signer)', () => {
    test('a scope for another service is refused with 403 InvalidSignatureException', async () => {
        const r = await smithySigned('s3');
        rejects(() => verifier()(r), 'InvalidSignatureException', /scoped to correct service/);
    });
    test('presigned query authentication verifies, and expires', async () => {
        const r = await smithySigned('iot', true);
        assert.match(r.rawUrl, /X-Amz-Signature=/);
        assert.equal(r.headers.authorization, undefined);
        assert.equal(verifier()(r).service, 'iot');
        rejects(() => verifier(() => Date.now() + 61_000)(r), 'InvalidSignatureException', /^Signature expired/);
        rejects(() => verifier()({ ...r, rawUrl: r.rawUrl.replace('maxResults=5', 'maxResults=6') }), 'InvalidSignatureException', /does not match/);
    });
});
/** botocore: python3 with botocore, signing with SigV4Auth for each scope name and with real clients. */
const BOTOCORE = String.raw `
import base64, json, sys
import botocore, botocore.session
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import Credentials
from botocore.config import Config
url = sys.argv[1]
creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
out = []
def record(name, method, full_url, headers, body):
    if isinstance(body, str):
        body = body.encode()
    out.append({"name": name, "method": method, "url": full_url, "headers": {k: (v.decode() if isinstance(v, bytes) else v) for k, v in headers.items()},
                "body": base64.b64encode(body or b"").decode()})
for service in ["iot", "execute-api", "iot-jobs-data"]:
    for method, path, body in [
        ("GET", "/things/thing%3Awith%3Acolons/jobs/job-1", None),
        ("PUT", "/things/thing%3A1/jobs/$next", b'{"statusDetails":{"step":"a b"}}'),
        ("DELETE", "/jobs/job-1?force=true&namespaceId=x", None),
        ("POST", "/things/thing%3A1/jobs/job-1", b'{"status":"SUCCEEDED","expectedVersion":2}'),
    ]:
        req = AWSRequest(method=method, url=url + path, data=body, headers={"Content-Type": "application/json"} if body else {})
        SigV4Auth(creds, service, "us-east-1").add_auth(req)
        p = req.prepare()
        record(f"SigV4Auth {service} {method} {path}", p.method, p.url, p.headers, p.body)
req = AWSRequest(method="GET", url=url + "/jobs?maxResults=5&status=IN_PROGRESS")
SigV4QueryAuth(creds, "iot", "us-east-1", expires=60).add_auth(req)
p = req.prepare()
record("SigV4QueryAuth iot GET /jobs", p.method, p.url, p.headers, p.body)
class Raw:
    def stream(self, **kw):
        yield b"{}"
session = botocore.session.get_session()
for service in ["iot", "iot-jobs-data"]:
    client = session.create_client(service, endpoint_url=url, region_name="us-east-1", aws_access_key_id=creds.access_key,
                                   aws_secret_access_key=creds.secret_key, config=Config(retries={"max_attempts": 1}))
    def capture(request, service=service, **kw):
        record(f"client {service} {request.method} {request.url}", request.method, request.url, request.headers, request.body)
        return AWSResponse(request.url, 200, {"content-type": "application/json"}, Raw())
    client.meta.events.register("before-send", capture)
    if service == "iot":
        client.describe_job_execution(jobId="job-1", thingName="thing:with:colons")
        client.delete_job(jobId="job-1", force=True, namespaceId="x")
        client.create_job(jobId="job-1", targets=["arn:aws:iot:us-east-1:000000000000:thing/t1"], document='{"op":"ünïcode ✓"}')
    else:
        client.start_next_pending_job_execution(thingName="thing:1", statusDetails={"step": "a b"})
        client.describe_job_execution(thingName="thing:1", jobId="$next", includeJobDocument=True)
print(json.dumps({"version": botocore.__version__, "requests": out}))
`;
function hasBotocore() {
    try {
        execFileSync('/usr/bin/python3', ['-c', 'import botocore'], { stdio: 'ignore' });
        return true;
    }
    catch {
        return false;
    }
}
const botocore = hasBotocore();
describe(`SigV4 verification of requests signed by botocore${botocore ? '' : ' (skipped: python3 with botocore is not installed)'}`, { skip: !botocore }, () => {
    let signed = [];
    let version = '';
    before(async () => {
        const at = Date.now();
        const stdout = await new Promise((resolve, reject) => execFile('/usr/bin/python3', ['-c', BOTOCORE, 'http://127.0.0.1:7020'], (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out))));
        const parsed = JSON.parse(stdout);
        version = parsed.version;
        signed = parsed.requests.map((r) => {
            const u = new URL(r.url);
            const headers = { host: u.host };
            for (const [k, v] of Object.entries(r.headers))
                headers[k.toLowerCase()] = v;
            // What Node gives a server: the request target as sent (urllib3 sends the prepared URL's path and query).
            const rawUrl = r.url.slice(u.origin.length);
            return { name: r.name, at, req: { method: r.method, rawUrl, headers, body: Buffer.from(r.body, 'base64') } };
        });
    });
    test('every request verifies, with the service its scope names (execute-api is the control plane)', () => {
        assert.ok(signed.length >= 18, `botocore ${version} signed ${signed.length} requests`);
        const verify = verifier();
        for (const { name, req } of signed) {
            const expected = / (iot-jobs-data) /.test(name) ? 'iot-jobs-data' : 'iot';
            assert.deepEqual(verify(req), { service: expected, accessKeyId: CREDS.accessKeyId }, `${name} (botocore ${version})`);
        }
    });
    test('the real botocore clients sent the encoded thing name and $next', () => {
        const urls = signed.filter((s) => s.name.startsWith('client')).map((s) => s.req.rawUrl);
        assert.ok(urls.includes('/things/thing%3Awith%3Acolons/jobs/job-1'), urls.join(' '));
        assert.ok(urls.includes('/things/thing%3A1/jobs/$next'), urls.join(' '));
        assert.ok(urls.some((u) => u.startsWith('/jobs/job-1?') && u.includes('force=true') && u.includes('namespaceId=x')), urls.join(' '));
    });
    test('a tampered botocore request fails', () => {
        const { req } = signed.find((s) => s.name.startsWith('SigV4Auth execute-api PUT'));
        rejects(() => verifier()({ ...req, body: Buffer.from('{"statusDetails":{"step":"a c"}}') }), 'InvalidSignatureException', /does not match/);
    });
});
//# sourceMappingURL=sigv4.test.js.map