import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ServiceError } from '../errors.js';
import type { Config } from '../config/types.js';
import type { Dispatch, ServiceName } from '../operations/types.js';
import { decodeRequest, encodeError, encodeResponse, type WireResponse } from './codec.js';
import { matchOperation } from './router.js';
import { createVerifier } from './sigv4.js';
import { CLOCK_PATH, clockBody, parseClockMove, type ClockControl } from './clock-route.js';

export interface HttpServerOptions {
  config: Config;
  dispatch: Dispatch;
  clock?: { now(): number };
  /** Readiness for GET /health (the database answers). */
  ready?: () => Promise<boolean>;
  log: FastifyBaseLogger;
  /** GET/POST /_iot-jobs/clock. */
  clockControl?: ClockControl;
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

/** GET answers the clock; POST moves a manual clock (signed like every request, verified before this). */
async function clockRoute(control: ClockControl, method: string, body: Buffer | undefined, reply: FastifyReply, requestId: string): Promise<FastifyReply> {
  const json = (now: number) =>
    reply.code(200).header('content-type', 'application/json').header('x-amzn-requestid', requestId).send(JSON.stringify(clockBody(control.mode, now)));
  if (method === 'GET') return (await control.refresh?.(), json(control.now()));
  if (method !== 'POST') throw new ServiceError('UnknownOperationException', `No operation matches ${method} ${CLOCK_PATH}`);
  if (control.mode !== 'manual') throw new ServiceError('InvalidRequestException', 'The clock is the system clock; start the server with --clock manual to move it');
  return json(await control.move(parseClockMove(body)));
}

/** The HTTP wire adapter: one listener, both services, the service picked from the SigV4 scope. */
export async function createHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const { config, dispatch } = opts;
  const app = Fastify({
    loggerInstance: opts.log,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    keepAliveTimeout: 72_000,
    routerOptions: { ignoreTrailingSlash: false },
    return503OnClosing: true,
    // A path Fastify cannot decode (GET /things/%ZZ) never reaches a route: answer it the AWS way.
    frameworkErrors: (err, _req, reply) =>
      send(reply, randomUUID(), encodeError('iot', new ServiceError(err.code === 'FST_ERR_BAD_URL' ? 'InvalidRequestException' : 'SerializationException', err.message))),
  });
  // Clients sign with the wall clock; a signature made for the app's (moved) clock is accepted too.
  const verify = createVerifier({ credentials: config.credentials, region: config.region, alsoAccept: opts.clock ? () => opts.clock!.now() : undefined });

  // SigV4 covers the exact body bytes: keep every body raw, whatever its content type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.get('/health', async (_req, reply) => {
    const ok = opts.ready ? await opts.ready() : true;
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable' });
  });

  const handle = async (req: FastifyRequest, reply: FastifyReply) => {
    const requestId = randomUUID();
    let service: ServiceName = 'iot';
    try {
      const rawUrl = req.raw.url ?? '/';
      const body = Buffer.isBuffer(req.body) ? req.body : undefined;
      ({ service } = await verify({ method: req.method, rawUrl, headers: req.headers, body }));
      const q = rawUrl.indexOf('?');
      const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
      if (path === CLOCK_PATH && opts.clockControl) return await clockRoute(opts.clockControl, req.method, body, reply, requestId);
      const match = matchOperation(service, req.method, path);
      if (!match) throw new ServiceError('UnknownOperationException', `No ${service} operation matches ${req.method} ${path}`);
      const input = decodeRequest(service, match.operation, {
        labels: match.labels,
        query: new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1)),
        headers: req.headers,
        body,
      });
      const output = await dispatch(service, match.operation, input);
      return send(reply, requestId, encodeResponse(service, match.operation, output));
    } catch (err) {
      if (!(err instanceof ServiceError)) req.log.error({ err, requestId }, 'unexpected error');
      return send(reply, requestId, encodeError(service, err));
    }
  };
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

  const url = await app.listen({ host: config.host, port: config.port });
  return { app, url, close: () => app.close() };
}
