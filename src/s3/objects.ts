import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Clock } from '../clock.js';
import type { Credential } from '../config/types.js';
import type { Store } from '../store/store.js';

/**
 * The S3 behind presigned-URL placeholders and documentSource. With `--s3-endpoint` it is a real
 * S3-compatible store; without, iot-jobs serves the objects itself (s3/route.ts, objects kept in
 * the database). Either way URLs are presigned by the AWS SDK's own presigner, at the injected
 * clock's time, so that they expire on that clock.
 */
export interface S3Location {
  bucket: string;
  key: string;
}

/** Path under which iot-jobs serves its own objects: {http}/_iot-jobs/s3/{bucket}/{key}. */
export const OWN_S3_PATH = '/_iot-jobs/s3';

/** The default lifetime of a presigned URL, as AWS's presignedUrlConfig. */
export const DEFAULT_EXPIRES_SEC = 3600;

/**
 * Bucket and key of an AWS S3 URL: path style (https://s3.region.amazonaws.com/bucket/key,
 * https://s3.amazonaws.com/bucket/key) or virtual-hosted (https://bucket.s3.region.amazonaws.com/key).
 */
export function parseS3Url(url: string): S3Location | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  const path = u.pathname.slice(1);
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return undefined;
    }
  };
  const host = /^(?:([a-z0-9.-]+)\.)?s3(?:[.-]([a-z0-9-]+))?\.amazonaws\.com(?:\.cn)?$/.exec(u.hostname);
  if (!host) return undefined;
  if (host[1]) {
    const key = decode(path);
    return key ? { bucket: host[1], key } : undefined;
  }
  const slash = path.indexOf('/');
  if (slash <= 0) return undefined;
  const key = decode(path.slice(slash + 1));
  return key ? { bucket: path.slice(0, slash), key } : undefined;
}

export interface ObjectStoreOptions {
  store: Store;
  clock: Clock;
  region: string;
  /** Signs the URLs: for iot-jobs's own objects, one of the server's own key pairs. */
  credentials: Credential;
  /** An S3-compatible endpoint; undefined = iot-jobs serves the objects. */
  endpoint?: string | undefined;
  /** This server's HTTP URL, known once it listens. */
  ownUrl: () => string;
}

export class ObjectStore {
  private client: S3Client | undefined;
  private clientFor = '';

  constructor(private readonly o: ObjectStoreOptions) {}

  get external(): boolean {
    return this.o.endpoint !== undefined;
  }

  private s3(): S3Client {
    const endpoint = this.o.endpoint ?? `${this.o.ownUrl()}${OWN_S3_PATH}`;
    if (!this.client || this.clientFor !== endpoint) {
      this.client?.destroy();
      this.client = new S3Client({ endpoint, forcePathStyle: true, region: this.o.region, credentials: this.o.credentials, maxAttempts: 1 });
      this.clientFor = endpoint;
    }
    return this.client;
  }

  /** A GET URL valid for `expiresInSec` from the injected clock's now. */
  presignGet(loc: S3Location, expiresInSec: number): Promise<string> {
    return getSignedUrl(this.s3(), new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key }), {
      expiresIn: expiresInSec,
      signingDate: new Date(this.o.clock.now()),
    });
  }

  /** The object's bytes, or undefined when there is no such object (or bucket). */
  async get(loc: S3Location): Promise<Buffer | undefined> {
    if (!this.external) {
      const row = await this.o.store.db.selectFrom('s3_objects').select('body').where('bucket', '=', loc.bucket).where('object_key', '=', loc.key).executeTakeFirst();
      return row ? Buffer.from(row.body) : undefined;
    }
    try {
      const out = await this.s3().send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
      return Buffer.from(await out.Body!.transformToByteArray());
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === 'NoSuchKey' || name === 'NoSuchBucket' || name === 'NotFound') return undefined;
      throw err;
    }
  }

  close(): void {
    this.client?.destroy();
    this.client = undefined;
  }
}

/** Stores an object among those iot-jobs serves itself (`iot-jobs files put`, a signed PUT). */
export async function putObject(store: Store, loc: S3Location, body: Buffer, contentType: string | undefined, now: number): Promise<void> {
  await store.tx(async (db) => {
    await db
      .insertInto('s3_objects')
      .values({ bucket: loc.bucket, object_key: loc.key, body, content_type: contentType ?? null, updated_at: now })
      .onConflict((oc) => oc.columns(['bucket', 'object_key']).doUpdateSet({ body, content_type: contentType ?? null, updated_at: now }))
      .execute();
  });
}

const PLACEHOLDER = /\$\{aws:iot:s3-presigned-url:([^}]+)\}/g;
export const hasPresignedPlaceholder = (document: string) => document.includes('${aws:iot:s3-presigned-url:');
export const presignedPlaceholders = (document: string): number => document.match(PLACEHOLDER)?.length ?? 0;

/**
 * The document with every ${aws:iot:s3-presigned-url:URL} replaced by a presigned GET URL
 * (JSON-escaped, since it lands inside a JSON string). A URL that is not an S3 URL stays as it is.
 */
export async function presignDocument(objects: ObjectStore, document: string, expiresInSec: number): Promise<string> {
  const found = [...document.matchAll(PLACEHOLDER)];
  if (found.length === 0) return document;
  const urls = await Promise.all(
    found.map(async (m) => {
      const loc = parseS3Url(m[1]!);
      return loc ? JSON.stringify(await objects.presignGet(loc, expiresInSec)).slice(1, -1) : m[0];
    }),
  );
  let i = 0;
  return document.replace(PLACEHOLDER, () => urls[i++]!);
}
