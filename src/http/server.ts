import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ServiceError } from '../errors.js';
import type { Config } from '../config/types.js';
import { TIMEOUTS, type Timeouts } from '../config/timeouts.js';
import type { Dispatch, ServiceName } from '../operations/types.js';
import { decodeRequest, encodeError, encodeResponse, type WireResponse } from '../codec/codec.js';
import { matchOperation } from './router.js';
import { claimedAccessKeyId, createVerifier } from '../auth/sigv4.js';
import { registerUi } from './ui.js';
import type { Metrics } from '../metrics.js';
import { CLOCK_PATH, clockBody, parseClockMove, releaseBody, type ClockControl } from './clock-route.js';
import { throttledBucket } from '../quotas/throttle.js';
import { checksFor, clockCheck, type Check } from '../iam/actions.js';
import type { HttpAuthorize } from '../iam/http.js';

export const CA_PEM_PATH = '/_iot-jobs/ca.pem';

export interface HttpServerOptions {
  config: Config;
  dispatch: Dispatch;
  clock?: { now(): number };
  /** Readiness for GET /health (the database answers). */
  ready?: () => Promise<boolean>;
  log: FastifyBaseLogger;
  /** Further routes (iot-jobs's own S3), registered ahead of the catch-all. */
  routes?: (app: FastifyInstance) => void;
  metrics?: Metrics | undefined;
  /** GET/POST /_iot-jobs/clock. */
  clockControl?: ClockControl;
  /** The own CA's certificate, public like AmazonRootCA1.pem: GET /_iot-jobs/ca.pem, unsigned. */
  caPem?: string;
  /** With --iam-policies: the accepted keys, and each request's authorization after its signature check. */
  iam?: { secretOf: (accessKeyId: string) => string | undefined; authorize: HttpAuthorize };
  timeouts?: Timeouts;
}

/** What the request line says about a request, filled in as the request is handled. */
interface RequestNote {
  operation?: string;
  service?: ServiceName;
  thingName?: string | undefined;
  jobId?: string | undefined;
  accessKeyId?: string | undefined;
  /** The signature check failed (logged as such, with the access key id it claimed). */
  denied?: boolean;
  /** The --quotas bucket that refused it. */
  throttledBy?: string | undefined;
  /** The IAM decision(s), with --iam-policies. */
  iam?: unknown;
  /** Why, in a few words (wrong region, unknown access key, clock skew...), and what the client was told. */
  reason?: string | undefined;
  message?: string | undefined;
}

export interface HttpServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** A job document is at most 32 KB; leave room for the rest of a CreateJob body. */
const BODY_LIMIT = 256 * 1024;

function send(reply: FastifyReply, requestId: string, res: WireResponse): FastifyReply {
  return reply.code(res.statusCode).headers(res.headers).header('x-amzn-requestid', requestId).send(res.body);
}

/** A path label as the client meant it, for the log; undefined if absent or not decodable. */
function label(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** GET answers the clock; POST moves a manual clock (signed like every request, verified before this). */
async function clockRoute(control: ClockControl, method: string, body: Buffer | undefined, reply: FastifyReply, requestId: string, jobId?: string): Promise<FastifyReply> {
  const json = async (now: number) => {
    const next = control.mode === 'manual' && control.nextDeadline ? ((await control.nextDeadline(now)) ?? null) : undefined;
    // ?jobId=: that job's next paced release too (the dashboard's "next 10 at 18:20").
    const job = jobId !== undefined && control.nextRelease ? { jobId, ...releaseBody(await control.nextRelease(jobId)) } : undefined;
    const out = { ...clockBody(control.mode, now, next), ...(job ? { job } : {}) };
    return reply.code(200).header('content-type', 'application/json').header('x-amzn-requestid', requestId).send(JSON.stringify(out));
  };
  if (method === 'GET') return (await control.refresh?.(), await json(control.now()));
  if (method !== 'POST') throw new ServiceError('UnknownOperationException', `No operation matches ${method} ${CLOCK_PATH}`);
  if (control.mode !== 'manual') throw new ServiceError('InvalidRequestException', 'The clock is the system clock; start the server with --clock manual to move it');
  return await json(await control.move(parseClockMove(body)));
}

/** The HTTP wire adapter: one listener, both services, the service picked from the SigV4 scope. */
export async function createHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const { config, dispatch } = opts;
  const t = opts.timeouts ?? TIMEOUTS;
  const app = Fastify({
    loggerInstance: opts.log,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    // Slow clients (a request that never ends, a socket that sends nothing) are cut off on time:
    // Node answers 408 (through clientErrorHandler) and closes the connection.
    http: { headersTimeout: t.headersMs, requestTimeout: t.requestMs, connectionsCheckingInterval: t.checkEveryMs },
    requestTimeout: t.requestMs,
    keepAliveTimeout: t.keepAliveMs,
    routerOptions: { ignoreTrailingSlash: false },
    return503OnClosing: true,
    // A path Fastify cannot decode (GET /things/%ZZ) never reaches a route: answer it the AWS way.
    // Framing errors Node's parser finds (headers over 16 KB, a broken request line): an AWS-shaped
    // answer that says `Connection: close`, so a keep-alive client does not reuse the closed socket.
    clientErrorHandler: (err: NodeJS.ErrnoException, socket) => {
      if (err.code === 'ECONNRESET' || socket.destroyed) return;
      const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
      const late = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
      const res = encodeError(
        'iot',
        tooLarge
          ? new ServiceError('RequestHeaderFieldsTooLargeException', 'The request headers are too large')
          : late
            ? new ServiceError('RequestTimeoutException', `The request did not arrive in time (headers within ${t.headersMs / 1000} s, the whole request within ${t.requestMs / 1000} s)`)
            : new ServiceError('SerializationException', 'The request is not valid HTTP'),
      );
      const status = tooLarge ? 431 : late ? 408 : 400;
      const head = Object.entries(res.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      if (socket.writable) socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}content-length: ${Buffer.byteLength(res.body)}\r\nconnection: close\r\n\r\n${res.body}`);
      else socket.destroy();
    },
    frameworkErrors: (err, _req, reply) =>
      send(reply, randomUUID(), encodeError('iot', new ServiceError(err.code === 'FST_ERR_BAD_URL' ? 'InvalidRequestException' : 'SerializationException', err.message))),
  });
  const notes = new WeakMap<FastifyRequest, RequestNote>();
  const note = (req: FastifyRequest): RequestNote => {
    let n = notes.get(req);
    if (!n) notes.set(req, (n = {}));
    return n;
  };
  // One line and one sample per request, whatever answered it (an operation, a framework error, 404).
  app.addHook('onResponse', async (req, reply) => {
    const n = notes.get(req) ?? {};
    // The dashboard's static files have no AWS operation: counted as `ui`, apart from refusals.
    if (n.operation === undefined && /^\/ui(\/|$)/.test(req.routeOptions.url ?? '')) n.operation = 'ui';
    const status = reply.statusCode;
    const ms = Math.round(reply.elapsedTime * 100) / 100;
    opts.metrics?.httpRequests.inc({ operation: n.operation ?? 'none', status });
    opts.metrics?.httpDuration.observe({ operation: n.operation ?? 'none', status }, ms / 1000);
    const errorCode = reply.getHeader('x-amzn-errortype');
    const line = {
      operation: n.operation,
      service: n.service,
      method: req.method,
      // Without the query: a presigned URL's is a credential for as long as it is valid.
      path: req.url.split('?', 1)[0],
      status,
      errorCode,
      ms,
      requestId: reply.getHeader('x-amzn-requestid'),
      thingName: n.thingName,
      jobId: n.jobId,
      accessKeyId: n.accessKeyId,
      throttledBy: n.throttledBy,
      ...(n.iam !== undefined && { iam: n.iam }),
    };
    // Probes and scrapes come every few seconds: they stay out of the info log.
    if (n.operation === 'health' || n.operation === 'metrics') req.log.debug(line, 'request');
    else if (n.denied) req.log.info({ ...line, reason: n.reason, message: n.message }, 'request refused: signature check failed');
    else req.log.info(line, 'request');
  });
  // Clients sign with the wall clock; a signature made for the app's (moved) clock is accepted too.
  const verify = createVerifier({ credentials: config.credentials, secretOf: opts.iam?.secretOf, region: config.region, alsoAccept: opts.clock ? () => opts.clock!.now() : undefined });

  // SigV4 covers the exact body bytes: keep every body raw, whatever its content type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.get('/health', async (req, reply) => {
    note(req).operation = 'health';
    const ok = opts.ready ? await opts.ready() : true;
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable' });
  });

  const caPem = opts.caPem;
  if (caPem !== undefined) {
    app.get(CA_PEM_PATH, async (req, reply) => {
      note(req).operation = 'ca.pem';
      return reply.code(200).header('content-type', 'application/x-pem-file').send(caPem);
    });
  }

  await registerUi(app, opts.log);
  // Unsigned, like /health: Prometheus scrapers do not sign. It shows counts, never ids.
  const metrics = opts.metrics;
  if (metrics) {
    app.get('/metrics', async (req, reply) => {
      note(req).operation = 'metrics';
      let text: string;
      try {
        text = await metrics.text();
      } catch (err) {
        // The data gauges read the database; without it there is nothing true to say.
        req.log.warn({ err: (err as Error).message }, 'metrics unavailable');
        return reply.code(503).header('content-type', 'text/plain').send('metrics unavailable: the database does not answer\n');
      }
      return reply.code(200).header('content-type', metrics.contentType).send(text);
    });
  }

  const scope = { region: config.region, accountId: config.accountId };
  /** Throws AWS's AccessDeniedException when the signing user's policies do not allow every check. */
  const authorize = async (req: FastifyRequest, n: RequestNote, checks: Check[]) => {
    const r = await opts.iam!.authorize({ accessKeyId: n.accessKeyId!, sourceIp: req.ip, secure: req.protocol === 'https', checks });
    n.iam = r.iam;
    if (r.error) throw r.error;
  };

  const handle = async (req: FastifyRequest, reply: FastifyReply) => {
    const requestId = randomUUID();
    let service: ServiceName = 'iot';
    const n = note(req);
    try {
      const rawUrl = req.raw.url ?? '/';
      const body = Buffer.isBuffer(req.body) ? req.body : undefined;
      try {
        ({ service, accessKeyId: n.accessKeyId } = await verify({ method: req.method, rawUrl, headers: req.headers, body }));
      } catch (err) {
        n.denied = true;
        n.accessKeyId = claimedAccessKeyId(rawUrl, req.headers);
        if (err instanceof ServiceError) ({ reason: n.reason, message: n.message } = err);
        throw err;
      }
      n.service = service;
      const q = rawUrl.indexOf('?');
      const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
      if (path === CLOCK_PATH && opts.clockControl) {
        const jobId = q < 0 ? undefined : (new URLSearchParams(rawUrl.slice(q + 1)).get('jobId') ?? undefined);
        // A job's rollout is read with the right to describe that job.
        if (opts.iam) await authorize(req, n, [clockCheck(req.method), ...(jobId !== undefined ? checksFor('iot', 'DescribeJob', { jobId }, scope) : [])]);
        return await clockRoute(opts.clockControl, req.method, body, reply, requestId, jobId);
      }
      const match = matchOperation(service, req.method, path);
      if (!match) throw new ServiceError('UnknownOperationException', `No ${service} operation matches ${req.method} ${path}`);
      n.operation = match.operation;
      n.thingName = label(match.labels.thingName);
      n.jobId = label(match.labels.jobId);
      const input = decodeRequest(service, match.operation, {
        labels: match.labels,
        query: new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1)),
        headers: req.headers,
        body,
      });
      if (opts.iam) await authorize(req, n, checksFor(service, match.operation, input, scope));
      const output = await dispatch(service, match.operation, input);
      return send(reply, requestId, encodeResponse(service, match.operation, output));
    } catch (err) {
      n.throttledBy = throttledBucket(err);
      if (!(err instanceof ServiceError)) req.log.error({ err, requestId }, 'unexpected error');
      return send(reply, requestId, encodeError(service, err));
    }
  };
  opts.routes?.(app);
  const methods = ['GET', 'PUT', 'POST', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
  app.route({ method: methods, url: '/*', handler: handle });
  app.route({ method: methods, url: '/', handler: handle });
  app.setNotFoundHandler((req, reply) =>
    send(reply, randomUUID(), encodeError('iot', new ServiceError('UnknownOperationException', `No operation matches ${req.method} ${req.url}`))),
  );

  // Errors Fastify raises before the handler (body too large, bad framing) are AWS-shaped too.
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    const tooLarge = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
    const e = new ServiceError(tooLarge ? 'RequestEntityTooLargeException' : 'SerializationException', tooLarge ? 'The request body is too large' : err.message);
    return send(reply, randomUUID(), encodeError('iot', e));
  });

  // Listen on Node's server, not app.listen: Fastify's own "Server listening at" line would come
  // ahead of a later start failure (the MQTT port taken) and says less than our ready line.
  await app.ready();
  await new Promise<void>((resolve, reject) => {
    app.server.once('error', reject);
    app.server.listen({ host: config.host, port: config.port }, () => (app.server.off('error', reject), resolve()));
  });
  return { app, url: listeningUrl(app.server.address() as AddressInfo), close: () => app.close() };
}

/** The URL a local client reaches the listener at: a wildcard address means this machine's loopback. */
function listeningUrl(a: AddressInfo): string {
  const host = a.address === '0.0.0.0' ? '127.0.0.1' : a.address === '::' ? '::1' : a.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${a.port}`;
}
