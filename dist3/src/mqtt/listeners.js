import { createServer } from 'node:net';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';
/** A socket error is the client's problem; the broker sees the socket close. */
function quiet(handle) {
    return (socket) => {
        socket.on('error', () => { });
        handle(socket);
    };
}
// No Nagle delay: replies and notifications are small and each is awaited by a device.
export const plainListener = (handle) => createServer({ noDelay: true }, quiet(handle));
/**
 * MQTT over TLS. A client certificate is asked for but checked at CONNECT, not in the handshake:
 * the registry (registered certificates, registered CAs, --mqtt-tls-ca) is what trusts it, and it
 * changes while the server runs. The handshake still proves the client holds the certificate's key.
 */
export function tlsListener(tls, handle, log, handshakeTimeoutMs) {
    // A handshake that stalls would otherwise hold the socket for Node's default two minutes.
    const server = createTlsServer({ cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: true, rejectUnauthorized: false, noDelay: true, handshakeTimeout: handshakeTimeoutMs }, quiet(handle));
    // A failed handshake (no or a foreign certificate) is the client's problem, not the server's.
    // Node only reports a handshake that timed out: the socket stays open until it is destroyed.
    server.on('tlsClientError', (err, socket) => {
        log.debug({ err: err.message }, 'mqtt tls handshake failed');
        socket.destroy();
    });
    return server;
}
/** Listens on host:port and resolves with the port bound. */
export function listen(server, port, host) {
    return new Promise((resolve, reject) => {
        const onError = (err) => reject(err);
        server.once('error', onError);
        server.listen(port, host, () => {
            server.off('error', onError);
            resolve(server.address().port);
        });
    });
}
/** The thing a verified device certificate names (its subject CN), or undefined for other connections. */
export function certificateThing(conn) {
    if (!(conn instanceof TLSSocket) || !conn.authorized)
        return undefined;
    // null once the socket is gone (a client that hung up before its CONNECT was handled).
    const cn = conn.getPeerCertificate()?.subject?.CN;
    return typeof cn === 'string' ? cn : '';
}
//# sourceMappingURL=listeners.js.map