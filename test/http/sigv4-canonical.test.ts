import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCanonicalHeaders, SignatureV4, SignatureV4Base } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { plainCanonicalRequest } from '../../src/auth/canonical.js';
import { createVerifier, Sha256 } from '../../src/auth/sigv4.js';

/**
 * The focused canonical-request builder (src/auth/canonical.ts) against @smithy/signature-v4 on
 * generated requests: paths (plain, escaped, with dot and empty segments, non-ASCII), queries,
 * headers (case, tabs, runs of spaces, line breaks, unsignable names) and bodies. Wherever the
 * builder answers, its canonical request is smithy's, byte for byte; and a verifier built on it
 * accepts exactly the requests smithy signed, and refuses each one once changed.
 */

/** A seeded generator, so that a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}
const R = rng(27);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(R() * xs.length)]!;
const int = (n: number) => Math.floor(R() * n);

const PATH_PIECES = ['jobs', 'things', 'bench-job', 'a.b', 'x_y~z', '$next', '%24next', '%20', 'caf%C3%A9', '.', '..', '', 'A9', 'job%2Fslash', 'ü', "it's", '(1)', '*', 'a+b', '%', 'Z-'];
/** Half of the paths of the plain kind SDKs send, half from every piece. */
function path(): string {
  const n = 1 + int(5);
  const pieces = R() < 0.5 ? PATH_PIECES.filter((x) => /^[A-Za-z0-9\-_.~%$]+$/.test(x) && x !== '.' && x !== '..') : PATH_PIECES;
  let p = '';
  for (let i = 0; i < n; i++) p += '/' + pick(pieces);
  return R() < 0.1 ? p + '/' : p;
}
const QUERY_PIECES = ['', '', '', '', '', '', 'maxResults=10', 'status=QUEUED&maxResults=2', 'a=1&a=0', 'nextToken=a%2Bb%3D', 'k', 'x=%20y', 'b=2&a=1'];
const NAMES = ['host', 'x-amz-date', 'x-amz-content-sha256', 'content-type', 'content-length', 'x-amz-user-agent', 'X-Custom', 'x-b', 'user-agent', 'amz-sdk-request', 'x-amzn-trace-id', 'proxy-a', 'sec-b', '0x'];
const VALUES = ['application/json', '127.0.0.1:7020', 'a  b', ' lead', 'trail ', 'tab\there', 'line\nbreak', '', 'plain-value', 'attempt=1; max=3', 'ünï', '20240102T030405Z'];

interface Gen {
  method: string;
  path: string;
  rawQuery: string;
  headers: Record<string, string>;
  signed: string[];
  payloadHash: string;
}
function generate(): Gen {
  const headers: Record<string, string> = {};
  const chosen = new Set<string>(['host']);
  for (let i = int(5); i > 0; i--) chosen.add(pick(NAMES));
  for (const name of chosen) headers[name.toLowerCase()] = R() < 0.7 ? pick(VALUES.slice(8)) : pick(VALUES);
  const names = Object.keys(headers);
  let signed = R() < 0.8 ? [...names].sort() : names;
  if (R() < 0.05) signed = [...signed, signed[0]!];
  return { method: pick(['GET', 'PUT', 'POST', 'DELETE', 'PATCH']), path: path(), rawQuery: pick(QUERY_PIECES), headers, signed, payloadHash: pick(['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'UNSIGNED-PAYLOAD']) };
}

class Smithy extends SignatureV4Base {
  constructor(uriEscapePath: boolean) {
    super({ service: 'iot', region: 'us-east-1', credentials: { accessKeyId: '', secretAccessKey: '' }, sha256: Sha256, uriEscapePath });
  }
  canonical(g: Gen): string {
    const query: Record<string, string | string[]> = {};
    for (const part of g.rawQuery.split('&').filter(Boolean)) {
      const [k, v = ''] = part.split('=');
      const prev = query[k!];
      query[k!] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    const headers: Record<string, string> = {};
    for (const n of g.signed) headers[n] = g.headers[n]!;
    const request = new HttpRequest({ method: g.method, path: g.path, query, headers });
    return this.createCanonicalRequest(request, getCanonicalHeaders(request, undefined, new Set(g.signed)), g.payloadHash);
  }
}

test('wherever the plain builder answers, it builds exactly smithy’s canonical request (5,000 generated requests)', () => {
  let answered = 0;
  for (const uriEscapePath of [true, false]) {
    const smithy = new Smithy(uriEscapePath);
    for (let i = 0; i < 2500; i++) {
      const g = generate();
      const ours = plainCanonicalRequest(g.method, g.path, g.rawQuery, g.signed, (n) => g.headers[n], g.payloadHash, uriEscapePath);
      if (ours === undefined) continue;
      answered++;
      assert.equal(ours, smithy.canonical(g), JSON.stringify(g));
    }
  }
  // The generator must exercise the builder, not only its fallback.
  assert.ok(answered > 1000, `only ${answered} plain requests`);
});

test('the SDKs’ plain requests take the fast path', () => {
  const headers: Record<string, string> = { host: '127.0.0.1:7020', 'x-amz-content-sha256': 'e3', 'x-amz-date': '20240102T030405Z' };
  for (const p of ['/jobs/bench-job', '/things/t-1/jobs/%24next', '/things/t/jobs/$next', '/jobs/a%2Fb', '/'])
    assert.notEqual(plainCanonicalRequest('GET', p, '', Object.keys(headers), (n) => headers[n], 'e3', true), undefined, p);
});

test('a verifier on the plain builder accepts what smithy signed and refuses every changed request (2,000 signed requests)', async () => {
  const creds = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
  const signer = new SignatureV4({ service: 'iot-jobs-data', region: 'us-east-1', credentials: creds, sha256: Sha256 });
  const verify = createVerifier({ credentials: [creds], region: 'us-east-1' });
  const outcome = (method: string, rawUrl: string, headers: Record<string, string>, body: Buffer | undefined) => {
    try {
      verify({ method, rawUrl, headers, body });
      return 'accepted';
    } catch (err) {
      return (err as { name?: string; code?: string }).name ?? 'refused';
    }
  };
  for (let i = 0; i < 2000; i++) {
    const g = generate();
    const p = g.path;
    // What a client sends: smithy signs the decoded query, the wire carries it escaped.
    const query: Record<string, string> = {};
    for (const part of g.rawQuery.split('&').filter(Boolean)) {
      const [k, v = ''] = part.split('=');
      query[decodeURIComponent(k!)] = decodeURIComponent(v);
    }
    const wireQuery = Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const body = R() < 0.4 ? Buffer.from(`{"n":${i}}`) : undefined;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(g.headers)) if (!/[\r\n]/.test(v) && !['user-agent', 'x-amzn-trace-id', 'x-amz-date', 'x-amz-content-sha256'].includes(k)) headers[k] = v;
    let signed;
    try {
      signed = await signer.sign(new HttpRequest({ method: g.method, path: p, query, headers, body }));
    } catch {
      continue; // a path smithy cannot escape is no request
    }
    const wire: Record<string, string> = {};
    for (const [k, v] of Object.entries(signed.headers)) wire[k.toLowerCase()] = String(v);
    const rawUrl = wireQuery ? `${p}?${wireQuery}` : p;
    assert.equal(outcome(g.method, rawUrl, wire, body), 'accepted', JSON.stringify({ rawUrl, wire }));
    // One change at a time, each must be refused.
    const name = Object.keys(headers).find((k) => k !== 'host' && (wire.authorization ?? '').includes(k));
    const changes: [string, string, Record<string, string>, Buffer | undefined][] = [
      [g.method === 'GET' ? 'PUT' : 'GET', rawUrl, wire, body],
      [g.method, `${p}x${wireQuery ? `?${wireQuery}` : ''}`, wire, body],
      [g.method, wireQuery ? `${rawUrl}&z=1` : `${rawUrl}?z=1`, wire, body],
    ];
    if (wire.host !== undefined) changes.push([g.method, rawUrl, { ...wire, host: `${wire.host}0` }, body]);
    if (name) changes.push([g.method, rawUrl, { ...wire, [name]: `${wire[name]}x` }, body]);
    if (body) changes.push([g.method, rawUrl, { ...wire, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body]);
    for (const [m, u, h, b] of changes) if (outcome(m, u, h, b) === 'accepted') assert.fail(JSON.stringify({ signed: [g.method, rawUrl], m, u, h }));
  }
});
