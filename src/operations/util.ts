import { invalidRequest, notFound } from '../errors.js';
import type { Db } from '../store/store.js';
import { getJob, lockJob, type JobRow } from '../store/jobs.js';

/** Opaque keyset pagination tokens: the last key of the previous page. */
export function encodeToken(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeToken(token: string | undefined): unknown[] | undefined {
  if (token === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length > 0) return key;
  } catch {
    // fall through
  }
  throw invalidRequest('The nextToken is not valid');
}

export const DEFAULT_PAGE = 50;

/** Splits one extra row off a page query into the nextToken. */
export function page<T>(rows: T[], limit: number, key: (row: T) => unknown[]): { items: T[]; nextToken: string | undefined } {
  if (rows.length <= limit) return { items: rows, nextToken: undefined };
  const items = rows.slice(0, limit);
  return { items, nextToken: encodeToken(key(items[items.length - 1]!)) };
}

export const date = (ms: number | null | undefined): Date | undefined => (ms === null || ms === undefined ? undefined : new Date(ms));
/** The data plane and MQTT use whole epoch seconds. */
export const seconds = (ms: number | null | undefined): number | undefined =>
  ms === null || ms === undefined ? undefined : Math.floor(ms / 1000);

export const parseJson = <T>(text: string | null | undefined): T | undefined => (text ? (JSON.parse(text) as T) : undefined);

/** The job, or ResourceNotFoundException; with `namespaceId` given, it must match the job's. */
export const requireJob = (db: Db, jobId: string, namespaceId?: string): Promise<JobRow> => checkJob(getJob(db, jobId), jobId, namespaceId);

/** requireJob for a read-modify-write of the job: the row stays locked until the transaction ends. */
export const requireLockedJob = (db: Db, jobId: string, namespaceId?: string): Promise<JobRow> => checkJob(lockJob(db, jobId), jobId, namespaceId);

async function checkJob(read: Promise<JobRow | undefined>, jobId: string, namespaceId: string | undefined): Promise<JobRow> {
  const job = await read;
  if (!job || (namespaceId !== undefined && job.namespace_id !== namespaceId)) {
    throw notFound(namespaceId === undefined ? `Job ${jobId} not found` : `Job ${jobId} not found in namespace ${namespaceId}`);
  }
  return job;
}

/** Attribute maps are equal whatever their key order (a repeated Create* must not depend on it). */
export function sameAttributes(storedJson: string, attributes: Record<string, string>): boolean {
  const a = JSON.parse(storedJson) as Record<string, string>;
  const ka = Object.keys(a);
  return ka.length === Object.keys(attributes).length && ka.every((k) => Object.hasOwn(attributes, k) && attributes[k] === a[k]);
}
