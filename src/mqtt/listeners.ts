import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';
import { constants } from 'node:crypto';
import type { MqttTls } from '../config/types.js';
import type { Logger } from './types.js';

type Handle = (stream: Socket) => void;

/** A socket error is the client's problem; the broker sees the socket close. */
function quiet(handle: Handle): Handle {
  return (socket) => {
    socket.on('error', () => {});
    handle(socket);
  };
}

// No Nagle delay: replies and notifications are small and each is awaited by a device.
export const plainListener = (handle: Handle): Server => createServer({ noDelay: true }, quiet(handle));

/**
 * MQTT over TLS. A client certificate is asked for but checked at CONNECT, not in the handshake:
 * the registry (registered certificates, registered CAs, --mqtt-tls-ca) is what trusts it, and it
 * changes while the server runs. The handshake still proves the client holds the certificate's key.
 */
export function tlsListener(tls: MqttTls & { cert: Buffer; key: Buffer }, handle: Handle, log: Logger, handshakeTimeoutMs: number): Server {
  const server = createTlsServer(
    {
      cert: tls.cert,
      key: tls.key,
      ca: tls.ca,
      requestCert: true,
      rejectUnauthorized: false,
      noDelay: true,
      // A handshake that stalls would otherwise hold the socket for Node's default two minutes.
      handshakeTimeout: handshakeTimeoutMs,
      // No session resumption (docs/compatibility.md): every connect is a full handshake. TLS 1.3
      // session tickets cost a fifth of a handshake's server CPU (OpenSSL copies the session,
      // client certificate included, for each of two tickets), and the device SDKs and samples
      // this project runs never resume; a ticket offered back is simply not accepted.
      secureOptions: constants.SSL_OP_NO_TICKET,
    },
    quiet(handle),
  );
  // A failed handshake (no or a foreign certificate) is the client's problem, not the server's.
  // Node only reports a handshake that timed out: the socket stays open until it is destroyed.
  server.on('tlsClientError', (err, socket) => {
    log.debug({ err: err.message }, 'mqtt tls handshake failed');
    socket.destroy();
  });
  return server;
}

/** Listens on host:port and resolves with the port bound. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The thing a verified device certificate names (its subject CN), or undefined for other connections. */
export function certificateThing(conn: unknown): string | undefined {
  if (!(conn instanceof TLSSocket) || !conn.authorized) return undefined;
  // null once the socket is gone (a client that hung up before its CONNECT was handled).
  const cn = (conn.getPeerCertificate() as ReturnType<TLSSocket['getPeerCertificate']> | null)?.subject?.CN;
  return typeof cn === 'string' ? cn : '';
}
