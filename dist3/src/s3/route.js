import { createHash } from 'node:crypto';
import { ServiceError } from '../errors.js';
import { createVerifier } from '../auth/sigv4.js';
import { OWN_S3_PATH, putObject } from './objects.js';
import { s3Check } from '../iam/actions.js';
export const MAX_OBJECT_BYTES = 64 * 1024 * 1024;
/** S3's ETag of a single-part object: the MD5 of its bytes, quoted. */
const etag = (bytes) => `"${createHash('md5').update(bytes).digest('hex')}"`;
const xml = (s) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
function s3Error(reply, status, code, message) {
    return reply
        .code(status)
        .header('content-type', 'application/xml')
        .send(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message></Error>`);
}
/** bucket and key of /_iot-jobs/s3/{bucket}/{key...}, percent-decoded. */
function location(rawUrl) {
    const q = rawUrl.indexOf('?');
    const path = (q < 0 ? rawUrl : rawUrl.slice(0, q)).slice(OWN_S3_PATH.length + 1);
    const slash = path.indexOf('/');
    if (slash <= 0 || slash === path.length - 1)
        return undefined;
    try {
        return { bucket: decodeURIComponent(path.slice(0, slash)), key: decodeURIComponent(path.slice(slash + 1)) };
    }
    catch {
        return undefined;
    }
}
export function registerOwnS3(app, o) {
    // The injected clock alone (no second, wall clock): a URL stops working when that clock says so.
    const own = new Map(o.credentials.map((c) => [c.accessKeyId, c.secretAccessKey]));
    const iam = o.iam;
    const secretOf = iam && ((id) => iam.secretOf(id) ?? own.get(id));
    const verify = createVerifier({ credentials: o.credentials, secretOf, region: o.region, clock: () => o.clock.now(), services: new Map([['s3', 's3']]), uriEscapePath: false });
    const handle = async (req, reply) => {
        const rawUrl = req.raw.url ?? '/';
        const body = Buffer.isBuffer(req.body) ? req.body : undefined;
        let accessKeyId;
        try {
            ({ accessKeyId } = verify({ method: req.method, rawUrl, headers: req.headers, body }));
        }
        catch (err) {
            const message = err instanceof ServiceError ? err.message : 'Access Denied';
            return s3Error(reply, 403, /expired/i.test(message) ? 'AccessDenied' : 'SignatureDoesNotMatch', /expired/i.test(message) ? 'Request has expired' : message);
        }
        const loc = location(rawUrl);
        if (!loc)
            return s3Error(reply, 400, 'InvalidRequest', 'The path must be /_iot-jobs/s3/{bucket}/{key}');
        if (iam && iam.secretOf(accessKeyId) !== undefined) {
            const r = await iam.authorize({ accessKeyId, sourceIp: req.ip, secure: req.protocol === 'https', checks: [s3Check(req.method, loc.bucket, loc.key)] });
            req.log.info({ iam: r.iam }, r.error ? 'S3 request denied by IAM policy' : 'S3 request allowed by IAM policy');
            if (r.error)
                return s3Error(reply, 403, 'AccessDenied', r.error.message);
        }
        else if (iam && req.method === 'PUT') {
            return s3Error(reply, 403, 'AccessDenied', 'The presigning key of iot-jobs may only read objects');
        }
        if (req.method === 'PUT') {
            const type = req.headers['content-type'];
            const bytes = body ?? Buffer.alloc(0);
            await putObject(o.store, loc, bytes, typeof type === 'string' ? type : undefined, o.clock.now());
            return reply.code(200).header('etag', etag(bytes)).send('');
        }
        const row = await o.store.db
            .selectFrom('s3_objects')
            .select(['body', 'content_type', 'updated_at'])
            .where('bucket', '=', loc.bucket)
            .where('object_key', '=', loc.key)
            .executeTakeFirst();
        if (!row)
            return s3Error(reply, 404, 'NoSuchKey', 'The specified key does not exist.');
        const bytes = Buffer.from(row.body);
        reply
            .code(200)
            .header('content-type', row.content_type ?? 'application/octet-stream')
            .header('content-length', bytes.length)
            .header('etag', etag(bytes))
            .header('last-modified', new Date(row.updated_at).toUTCString());
        return req.method === 'HEAD' ? reply.send() : reply.send(bytes);
    };
    // Firmware files are bigger than API bodies; an object is held in memory while it is stored.
    app.route({ method: ['GET', 'HEAD', 'PUT'], url: `${OWN_S3_PATH}/*`, bodyLimit: MAX_OBJECT_BYTES, handler: handle });
}
//# sourceMappingURL=route.js.map