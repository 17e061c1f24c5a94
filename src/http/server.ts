import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ServiceError } from '../errors.js';
import type { Config } from '../config/types.js';
import type { Dispatch, ServiceName } from '../operations/types.js';
import { decodeRequest, encodeError, encodeResponse, type WireResponse } from './codec.js';
import { matchOperation } from './router.js';
import { createVerifier } from './sigv4.js';

export interface HttpServerOptions {
  config: Config;
  dispatch: Dispatch;
  clock?: { now(): number };
  /** Readiness for GET /health (the database answers). */
  ready?: () => Promise<boolean>;
  log: FastifyBaseLogger;
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
    // Framing errors Node's parser finds (headers over 16 KB, a broken request line): an AWS-shaped
    // answer that says `Connection: close`, so a keep-alive client does not reuse the closed socket.
    clientErrorHandler: (err: NodeJS.ErrnoException, socket) => {
      if (err.code === 'ECONNRESET' || socket.destroyed) return;
      const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
      const res = encodeError('iot', new ServiceError(tooLarge ? 'RequestHeaderFieldsTooLargeException' : 'SerializationException', tooLarge ? 'The request headers are too large' : 'The request is not valid HTTP'));
      const status = tooLarge ? 431 : 400;
      const head = Object.entries(res.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      if (socket.writable) socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}content-length: ${Buffer.byteLength(res.body)}\r\nconnection: close\r\n\r\n${res.body}`);
      else socket.destroy();
    },
    frameworkErrors: (err, _req, reply) =>
      send(reply, randomUUID(), encodeError('iot', new ServiceError(err.code === 'FST_ERR_BAD_URL' ? 'InvalidRequestException' : 'SerializationException', err.message))),
  });
  const verify = createVerifier({ credentials: config.credentials, region: config.region, clock: opts.clock ? () => opts.clock!.now() : undefined });

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
