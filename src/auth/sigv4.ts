import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { getCanonicalHeaders, SignatureV4Base } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';
import { ServiceError } from '../errors.js';
import { plainCanonicalRequest } from './canonical.js';
import type { Credential } from '../config/types.js';
import type { ServiceName } from '../operations/types.js';

/**
 * AWS Signature Version 4 verification. The SDK signs and never verifies, so the request is
 * canonicalised again by @smithy/signature-v4 (the same code the JavaScript SDK signs with: path
 * normalisation and escaping, query ordering, header folding), and the signature is computed with
 * Node's native HMAC from a signing key derived once per key, day, region and service, then
 * compared in constant time. Everything is synchronous: no promise on the hot path.
 *
 * The two HTTP services share paths, so the service the client signed for (the credential scope)
 * is what picks the API.
 */

/** SHA-256 on Node's native crypto, in the shape the smithy signer wants (bench/ signs with it). */
export const Sha256 = Hash.bind(null, 'sha256') as unknown as new (secret?: unknown) => InstanceType<typeof Hash>;

/** Scope service names that reach each API; older botocore and Debian's AWS CLI sign the control plane as execute-api. */
const SERVICES = new Map<string, ServiceName>([
  ['iot', 'iot'],
  ['execute-api', 'iot'],
  ['iot-jobs-data', 'iot-jobs-data'],
]);

const ALGORITHM = 'AWS4-HMAC-SHA256';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** A week, as AWS allows for presigned URLs. */
const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;

export interface SignedRequest {
  method: string;
  /** Path and query exactly as received (Node's req.url), still percent-encoded. */
  rawUrl: string;
  /** Lower-cased names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | undefined;
}

export interface Verified<S extends string = ServiceName> {
  service: S;
  accessKeyId: string;
}

export interface VerifierOptions<S extends string = ServiceName> {
  /** Scope service names accepted, and what each reaches; the two IoT APIs by default. */
  services?: ReadonlyMap<string, S>;
  /** False for S3, whose paths are escaped once (every other service escapes them twice). */
  uriEscapePath?: boolean;
  credentials: Credential[];
  /** When set, the accepted keys instead of `credentials`, looked up per request (a reloadable IAM users file). */
  secretOf?: (accessKeyId: string) => string | undefined;
  /** The region clients must sign for. */
  region: string;
  /** Epoch milliseconds; Date.now by default. */
  clock?: () => number;
  /** How far the signing time may be from the clock; AWS allows 5 minutes. */
  maxSkewMs?: number;
  /**
   * A second clock whose time is also accepted: the app's injected clock when a test has moved it.
   * Clients sign with the wall clock, and a test that moves the app's clock past the skew window
   * must still be able to call the API. In production both clocks are the same.
   */
  alsoAccept?: () => number;
  /**
   * Presigned URLs without X-Amz-Expires are accepted, their date then held to `maxSkewMs` like a
   * signed header's: AWS IoT's WebSocket URLs (its own example leaves the parameter out).
   */
  expiresOptional?: boolean;
}

export type Verify<S extends string = ServiceName> = (req: SignedRequest) => Verified<S>;

/**
 * A refusal, with the reason in a few words for the server's log (the client gets the message,
 * as AWS words it); never a secret in either.
 */
const deny = (code: string, message: string, reason: string) => Object.assign(new ServiceError(code, message), { reason });
const incomplete = (message: string, reason = 'malformed signature') => deny('IncompleteSignatureException', message, reason);
const invalid = (message: string, reason: string) => deny('InvalidSignatureException', message, reason);
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** The canonical request exactly as the JavaScript SDK builds it (uriEscapePath, as for every service but S3). */
class Canonicalizer extends SignatureV4Base {
  constructor(uriEscapePath: boolean) {
    super({ service: 'iot', region: 'us-east-1', credentials: { accessKeyId: '', secretAccessKey: '' }, sha256: Sha256, uriEscapePath });
  }
  canonicalRequest(request: HttpRequest, signedHeaders: Set<string>, payloadHash: string): string {
    return this.createCanonicalRequest(request, getCanonicalHeaders(request, undefined, signedHeaders), payloadHash);
  }
}
const canonicalizers = { true: new Canonicalizer(true), false: new Canonicalizer(false) };

/** 20240102T030405Z → epoch ms, or NaN. */
function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
}
const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d+/g, '');

function decode(s: string): string {
  if (s.indexOf('%') < 0) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Query parameters decoded once (the signer escapes them again, sorted); '+' stays '+', as SigV4 clients never send it for a space. */
function parseQuery(raw: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null);
  if (raw === '') return query;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decode(part.slice(eq + 1));
    const prev = query[key];
    query[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return query;
}

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(',') : v);

/** The parts of an Authorization header or of presigned query parameters. */
interface Authorization {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  scopeService: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  /** Presigned: seconds the signature is valid for. */
  expires?: number;
}

/** Parses `AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/iot/aws4_request, SignedHeaders=a;b, Signature=hex`. */
function fromHeader(auth: string, headers: SignedRequest['headers']): Authorization {
  if (!auth.startsWith(ALGORITHM + ' ')) {
    throw incomplete(`Authorization header requires the ${ALGORITHM} algorithm. Authorization=${auth.split(' ')[0]}`);
  }
  const parts: Record<string, string> = Object.create(null);
  for (const item of auth.slice(ALGORITHM.length + 1).split(',')) {
    const eq = item.indexOf('=');
    if (eq > 0) parts[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((k) => !parts[k]);
  const date = one(headers['x-amz-date']);
  if (missing.length || !date) {
    const why = missing.map((k) => `Authorization header requires '${k}' parameter.`);
    if (!date) why.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    throw incomplete(`${why.join(' ')} Authorization=${ALGORITHM}`);
  }
  return { ...credential(parts.Credential!), signedHeaders: parts.SignedHeaders!.split(';'), signature: parts.Signature!, amzDate: date };
}

/** Presigned URLs carry the same parts in X-Amz-* query parameters. */
function fromQuery(query: Record<string, string | string[]>, expiresOptional: boolean): Authorization {
  const get = (k: string) => one(query[k]);
  if (expiresOptional && get('X-Amz-Expires') === undefined) {
    const { expires: _, ...auth } = fromQuery({ ...query, 'X-Amz-Expires': '1' }, false);
    return auth;
  }
  if (get('X-Amz-Algorithm') !== ALGORITHM) throw incomplete(`X-Amz-Algorithm must be ${ALGORITHM}`);
  const cred = get('X-Amz-Credential');
  const signedHeaders = get('X-Amz-SignedHeaders');
  const signature = get('X-Amz-Signature');
  const date = get('X-Amz-Date');
  const expires = Number(get('X-Amz-Expires'));
  if (!cred || !signedHeaders || !signature || !date || !Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGNED_SECONDS) {
    throw incomplete(
      'AWS query-string parameters must include X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-SignedHeaders, X-Amz-Date and X-Amz-Expires (at most 604800 seconds).',
    );
  }
  return { ...credential(cred), signedHeaders: signedHeaders.split(';'), signature, amzDate: date, expires };
}

function credential(value: string): Pick<Authorization, 'accessKeyId' | 'scopeDate' | 'region' | 'scopeService'> {
  const p = value.split('/');
  if (p.length !== 5 || p[4] !== 'aws4_request' || !p[0] || !/^\d{8}$/.test(p[1]!)) {
    throw incomplete(`Credential must have the form <key>/<yyyymmdd>/<region>/<service>/aws4_request, not '${value}'.`);
  }
  return { accessKeyId: p[0], scopeDate: p[1]!, region: p[2]!, scopeService: p[3]! };
}

/**
 * The access key id a request claims to be signed with, for the log of a refused request (never
 * the secret, which a request does not carry anyway); undefined when it names none.
 */
export function claimedAccessKeyId(rawUrl: string, headers: SignedRequest['headers']): string | undefined {
  const header = one(headers['authorization']);
  const q = rawUrl.indexOf('?');
  const value = header ? /Credential=([^,\s]*)/.exec(header)?.[1] : one(parseQuery(q < 0 ? '' : rawUrl.slice(q + 1))['X-Amz-Credential']);
  const key = value?.split('/')[0];
  return key ? key.slice(0, 128) : undefined;
}

export function createVerifier<S extends string>(opts: VerifierOptions<S> & { services: ReadonlyMap<string, S> }): Verify<S>;
export function createVerifier(opts: VerifierOptions): Verify;
export function createVerifier<S extends string>(opts: VerifierOptions<S>): Verify<S> {
  const services = opts.services ?? (SERVICES as unknown as ReadonlyMap<string, S>);
  const uriEscapePath = opts.uriEscapePath !== false;
  const canonicalizer = canonicalizers[uriEscapePath ? 'true' : 'false'];
  const scopes = [...services.keys()].filter((k) => k !== 'execute-api').map((k) => `'${k}'`).join(' or ');
  const secrets = new Map(opts.credentials.map((c) => [c.accessKeyId, c.secretAccessKey]));
  const secretOf = opts.secretOf ?? ((id: string) => secrets.get(id));
  const now = opts.clock ?? Date.now;
  const maxSkew = opts.maxSkewMs ?? 5 * 60 * 1000;
  const skewWords = `${Math.round(maxSkew / 60_000)} min.`;
  // Derived signing keys, per key pair and scope: one HMAC chain a day (a reload may change a secret).
  const signingKeys = new Map<string, Buffer>();
  const signingKey = (accessKeyId: string, secret: string, scope: Authorization) => {
    const id = `${accessKeyId}\0${secret}/${scope.scopeDate}/${scope.region}/${scope.scopeService}`;
    let key = signingKeys.get(id);
    if (!key) {
      key = createHmac('sha256', `AWS4${secret}`).update(scope.scopeDate).digest();
      for (const part of [scope.region, scope.scopeService, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
      if (signingKeys.size >= 1024) signingKeys.clear();
      signingKeys.set(id, key);
    }
    return key;
  };

  /** AWS's own words for a signing time outside the window. */
  const tooSkewed = (date: string, signedAt: number, t: number) =>
    signedAt < t
      ? invalid(`Signature expired: ${date} is now earlier than ${amzDate(t - maxSkew)} (${amzDate(t)} - ${skewWords})`, 'clock skew: signed too long ago')
      : invalid(`Signature not yet current: ${date} is still later than ${amzDate(t + maxSkew)} (${amzDate(t)} + ${skewWords})`, 'clock skew: signed in the future');

  return function verify(req: SignedRequest): Verified<S> {
    const q = req.rawUrl.indexOf('?');
    const rawQuery = q < 0 ? '' : req.rawUrl.slice(q + 1);
    const query = parseQuery(rawQuery);
    const header = one(req.headers['authorization']);
    const presigned = !header && query['X-Amz-Algorithm'] !== undefined;
    if (!header && !presigned) throw deny('MissingAuthenticationTokenException', 'Missing Authentication Token', 'not signed');
    const auth = presigned ? fromQuery(query, opts.expiresOptional === true) : fromHeader(header!, req.headers);

    const service = services.get(auth.scopeService);
    if (!service) throw invalid(`Credential should be scoped to correct service: ${scopes}, not '${auth.scopeService}'.`, 'wrong service');
    const secret = secretOf(auth.accessKeyId);
    if (secret === undefined) throw deny('UnrecognizedClientException', 'The security token included in the request is invalid.', 'unknown access key');
    if (auth.region !== opts.region) throw invalid(`Credential should be scoped to a valid region, not '${auth.region}'. This server serves '${opts.region}'.`, 'wrong region');

    const signedAt = parseAmzDate(auth.amzDate);
    if (Number.isNaN(signedAt)) throw incomplete(`X-Amz-Date must be in the ISO8601 basic format yyyyMMdd'T'HHmmss'Z', not '${auth.amzDate}'.`, 'malformed date');
    if (auth.amzDate.slice(0, 8) !== auth.scopeDate) {
      throw invalid(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${auth.amzDate.slice(0, 8)}', from '${auth.amzDate}'.`, 'scope date differs from the signing date');
    }
    const t = now();
    const inWindow = (at: number) =>
      auth.expires === undefined ? Math.abs(at - signedAt) <= maxSkew : at >= signedAt - maxSkew && at <= signedAt + auth.expires * 1000;
    if (!inWindow(t) && !(opts.alsoAccept && inWindow(opts.alsoAccept()))) {
      if (auth.expires !== undefined && t > signedAt) {
        throw invalid(`Signature expired: ${auth.amzDate} is now earlier than ${amzDate(t - auth.expires * 1000)} (${amzDate(t)} - ${auth.expires} sec.)`, 'expired');
      }
      throw tooSkewed(auth.amzDate, signedAt, t);
    }

    // The payload hash: the declared one if any (it must be the body's), else the body's.
    const body = req.body && req.body.length > 0 ? req.body : undefined;
    const bodyHash = body ? createHash('sha256').update(body).digest('hex') : EMPTY_SHA256;
    const declared = one(req.headers['x-amz-content-sha256']);
    if (declared !== undefined && declared !== UNSIGNED_PAYLOAD && declared !== bodyHash) {
      throw invalid('The provided x-amz-content-sha256 header does not match what was computed.', 'body differs from its signed hash');
    }

    const headers: Record<string, string> = {};
    for (const name of auth.signedHeaders) {
      const v = one(req.headers[name]);
      if (v === undefined) throw invalid(`The request signature we calculated does not match the signature you provided: signed header '${name}' is missing from the request.`, 'a signed header is missing');
      headers[name] = v;
    }
    const path = q < 0 ? req.rawUrl : req.rawUrl.slice(0, q);
    const key = signingKey(auth.accessKeyId, secret, auth);
    const scope = `${auth.scopeDate}/${auth.region}/${auth.scopeService}/aws4_request`;
    const given = Buffer.from(auth.signature, 'hex');
    const matches = (payloadHash: string) => {
      // The plain requests most clients send are built here; everything else by smithy.
      const canonical =
        plainCanonicalRequest(req.method, path, rawQuery, auth.signedHeaders, (name) => headers[name], payloadHash, uriEscapePath) ??
        canonicalizer.canonicalRequest(new HttpRequest({ method: req.method, path, query, headers }), new Set(auth.signedHeaders), payloadHash);
      const stringToSign = `${ALGORITHM}\n${auth.amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
      const expected = createHmac('sha256', key).update(stringToSign).digest();
      return given.length === expected.length && timingSafeEqual(given, expected);
    };
    // Presigned URLs: botocore signs UNSIGNED-PAYLOAD, the JavaScript SDK the body's hash.
    const ok = matches(declared ?? bodyHash) || (presigned && declared === undefined && matches(UNSIGNED_PAYLOAD));
    if (!ok) throw invalid(MISMATCH, 'wrong secret key (or signing method)');
    return { service, accessKeyId: auth.accessKeyId };
  };
}
