import { createVerifier } from '../dist/src/http/sigv4.js';
import { matchOperation } from '../dist/src/http/router.js';
import { decodeRequest, encodeResponse } from '../dist/src/http/codec.js';
import { Store } from '../dist/src/store/store.js';
import { createDispatch } from '../dist/src/operations/index.js';
import { signedHeaders } from '../dist/bench/support.js';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
fs.rmSync('/tmp/kq', { recursive: true, force: true });
const store = await Store.open({ dataDir: '/tmp/kq' });
await store.db.insertInto('jobs').values({ job_id: 'bench-job', status: 'IN_PROGRESS', target_selection: 'SNAPSHOT', targets: '["arn:aws:iot:us-east-1:000000000000:thing/bench-thing"]', document: '{"op":"fw"}', config: '{}', force_canceled: 0, created_at: 1, last_updated_at: 1, n_queued: 0, n_in_progress: 0, n_succeeded: 0, n_failed: 0, n_rejected: 0, n_canceled: 0, n_removed: 0, n_timed_out: 0 }).execute();
const headers = await signedHeaders('http://127.0.0.1:1234', 'GET', '/jobs/bench-job', 'iot');
const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
const verify = createVerifier({ credentials: [{ accessKeyId: 'test', secretAccessKey: 'test' }], region: 'us-east-1' });
const dispatch = createDispatch({ store, config: { region: 'us-east-1', accountId: '000000000000' }, clock: { now: () => Date.now() }, events: { emit() {}, on() {} } });
const N = 30000;
async function time(name, f) { for (let i = 0; i < 2000; i++) await f(); const t = process.hrtime.bigint(); for (let i = 0; i < N; i++) await f(); console.log(name.padEnd(12), (Number(process.hrtime.bigint() - t) / N / 1000).toFixed(1), 'µs'); }
const req = { method: 'GET', rawUrl: '/jobs/bench-job', headers: lower, body: undefined };
const match = matchOperation('iot', 'GET', '/jobs/bench-job');
const input = decodeRequest('iot', match.operation, { labels: match.labels, query: new URLSearchParams(''), headers: lower, body: undefined });
let out;
try { out = await dispatch('iot', match.operation, input); } catch (e) { console.log(e); }
for (let r = 0; r < 2; r++) {
await time('verify', () => verify(req));
await time('route', () => matchOperation('iot', 'GET', '/jobs/bench-job'));
await time('decode', () => decodeRequest('iot', match.operation, { labels: match.labels, query: new URLSearchParams(''), headers: lower, body: undefined }));
await time('dispatch', () => dispatch('iot', match.operation, input));
await time('encode', () => encodeResponse('iot', match.operation, out));
await time('uuid', () => randomUUID());
}
console.log(encodeResponse('iot', match.operation, out).body.length);
await store.close();
