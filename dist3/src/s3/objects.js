import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
/** Path under which iot-jobs serves its own objects: {http}/_iot-jobs/s3/{bucket}/{key}. */
export const OWN_S3_PATH = '/_iot-jobs/s3';
/** The default lifetime of a presigned URL, as AWS's presignedUrlConfig. */
export const DEFAULT_EXPIRES_SEC = 3600;
/**
 * Bucket and key of an AWS S3 URL: path style (https://s3.region.amazonaws.com/bucket/key,
 * https://s3.amazonaws.com/bucket/key) or virtual-hosted (https://bucket.s3.region.amazonaws.com/key).
 */
export function parseS3Url(url) {
    let u;
    try {
        u = new URL(url);
    }
    catch {
        return undefined;
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:')
        return undefined;
    const path = u.pathname.slice(1);
    const decode = (s) => {
        try {
            return decodeURIComponent(s);
        }
        catch {
            return undefined;
        }
    };
    const host = /^(?:([a-z0-9.-]+)\.)?s3(?:[.-]([a-z0-9-]+))?\.amazonaws\.com(?:\.cn)?$/.exec(u.hostname);
    if (!host)
        return undefined;
    if (host[1]) {
        const key = decode(path);
        return key ? { bucket: host[1], key } : undefined;
    }
    const slash = path.indexOf('/');
    if (slash <= 0)
        return undefined;
    const key = decode(path.slice(slash + 1));
    return key ? { bucket: path.slice(0, slash), key } : undefined;
}
export class ObjectStore {
    o;
    client;
    clientFor = '';
    constructor(o) {
        this.o = o;
    }
    get external() {
        return this.o.endpoint !== undefined;
    }
    s3() {
        const endpoint = this.o.endpoint ?? `${this.o.ownUrl()}${OWN_S3_PATH}`;
        if (!this.client || this.clientFor !== endpoint) {
            this.client?.destroy();
            this.client = new S3Client({ endpoint, forcePathStyle: true, region: this.o.region, credentials: this.o.credentials, maxAttempts: 1 });
            this.clientFor = endpoint;
        }
        return this.client;
    }
    /** A GET URL valid for `expiresInSec` from the injected clock's now. */
    presignGet(loc, expiresInSec) {
        return getSignedUrl(this.s3(), new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key }), {
            expiresIn: expiresInSec,
            signingDate: new Date(this.o.clock.now()),
        });
    }
    /** The object's bytes, or undefined when there is no such object (or bucket). */
    async get(loc) {
        if (!this.external) {
            const row = await this.o.store.db.selectFrom('s3_objects').select('body').where('bucket', '=', loc.bucket).where('object_key', '=', loc.key).executeTakeFirst();
            return row ? Buffer.from(row.body) : undefined;
        }
        try {
            const out = await this.s3().send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
            return Buffer.from(await out.Body.transformToByteArray());
        }
        catch (err) {
            const name = err.name;
            if (name === 'NoSuchKey' || name === 'NoSuchBucket' || name === 'NotFound')
                return undefined;
            throw err;
        }
    }
    close() {
        this.client?.destroy();
        this.client = undefined;
    }
}
/** Stores an object among those iot-jobs serves itself (`iot-jobs files put`, a signed PUT). */
export async function putObject(store, loc, body, contentType, now) {
    await store.tx(async (db) => {
        await db
            .insertInto('s3_objects')
            .values({ bucket: loc.bucket, object_key: loc.key, body, content_type: contentType ?? null, updated_at: now })
            .onConflict((oc) => oc.columns(['bucket', 'object_key']).doUpdateSet({ body, content_type: contentType ?? null, updated_at: now }))
            .execute();
    });
}
const PLACEHOLDER = /\$\{aws:iot:s3-presigned-url:([^}]+)\}/g;
export const hasPresignedPlaceholder = (document) => document.includes('${aws:iot:s3-presigned-url:');
export const presignedPlaceholders = (document) => document.match(PLACEHOLDER)?.length ?? 0;
/**
 * The document with every ${aws:iot:s3-presigned-url:URL} replaced by a presigned GET URL
 * (JSON-escaped, since it lands inside a JSON string). A URL that is not an S3 URL stays as it is.
 */
export async function presignDocument(objects, document, expiresInSec) {
    const found = [...document.matchAll(PLACEHOLDER)];
    if (found.length === 0)
        return document;
    const urls = await Promise.all(found.map(async (m) => {
        const loc = parseS3Url(m[1]);
        return loc ? JSON.stringify(await objects.presignGet(loc, expiresInSec)).slice(1, -1) : m[0];
    }));
    let i = 0;
    return document.replace(PLACEHOLDER, () => urls[i++]);
}
//# sourceMappingURL=objects.js.map