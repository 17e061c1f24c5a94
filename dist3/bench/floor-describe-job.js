/**
 * A floor for DescribeJob, not a product: Fastify, a SigV4 check written for exactly the request
 * the throughput benchmark sends (GET, no query, host;x-amz-content-sha256;x-amz-date signed), and
 * one prepared better-sqlite3 read of the job row, returned as JSON. No codec, no operations
 * layer, no general canonicalisation. It shows what any server that verifies each signature and
 * reads the row costs on this machine, next to bare Fastify, measured in the same run.
 *   node dist/bench/floor-describe-job.js <data dir of a stopped or running iot-jobs>
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { helpRequested } from './args.js';
helpRequested('A floor for DescribeJob: Fastify, a SigV4 check for exactly the throughput benchmark\'s request, and one prepared better-sqlite3 read of the job row. Prints its URL.', {}, {}, '<data dir of an iot-jobs server>');
const db = new Database(join(process.argv[2], 'iot-jobs.sqlite'), { readonly: true });
const byId = db.prepare('select * from jobs where job_id = ?');
const keys = new Map();
const signingKey = (date, region, service) => {
    const id = `${date}/${region}/${service}`;
    let k = keys.get(id);
    if (!k) {
        k = createHmac('sha256', 'AWS4test').update(date).digest();
        for (const part of [region, service, 'aws4_request'])
            k = createHmac('sha256', k).update(part).digest();
        keys.set(id, k);
    }
    return k;
};
const app = Fastify({ logger: false });
app.get('/jobs/:jobId', async (req, reply) => {
    const h = req.headers;
    const m = /Credential=test\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})/.exec(String(h.authorization));
    const amzDate = String(h['x-amz-date']);
    const payload = String(h['x-amz-content-sha256'] ?? createHash('sha256').update('').digest('hex'));
    if (!m || m[4] !== 'host;x-amz-content-sha256;x-amz-date')
        return reply.code(403).send({ message: 'unsupported signature' });
    const canonical = `GET\n${req.url}\n\nhost:${h.host}\nx-amz-content-sha256:${payload}\nx-amz-date:${amzDate}\n\n${m[4]}\n${payload}`;
    const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${m[1]}/${m[2]}/${m[3]}/aws4_request\n${createHash('sha256').update(canonical).digest('hex')}`;
    const expected = createHmac('sha256', signingKey(m[1], m[2], m[3])).update(toSign).digest();
    if (!timingSafeEqual(expected, Buffer.from(m[5], 'hex')))
        return reply.code(403).send({ message: 'bad signature' });
    const row = byId.get(req.params.jobId);
    if (!row)
        return reply.code(404).send({ message: 'not found' });
    return reply.header('content-type', 'application/json').send(JSON.stringify({ job: { jobId: row.job_id, status: row.status, createdAt: Number(row.created_at) / 1000 } }));
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(url);
//# sourceMappingURL=floor-describe-job.js.map