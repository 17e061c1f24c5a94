/**
 * How long a client may take before its connection is closed (README, Configuration; docs/reliability.md).
 * Without them a socket that stalls holds a file descriptor for good. Not flags: tests shorten
 * them through startApp's options to see them work without waiting minutes.
 */
export interface Timeouts {
  /** An HTTP request's headers, from the first byte of the request (or the connection's start). */
  headersMs: number;
  /** A whole HTTP request, body included. */
  requestMs: number;
  /** An idle keep-alive connection between requests (Node adds up to 1 s before it closes it). */
  keepAliveMs: number;
  /** The MQTT CONNECT after the connection opened (TCP, TLS handshake included, or WebSocket). */
  mqttConnectMs: number;
  /** How often Node looks for requests past their deadline: the slack on headersMs and requestMs. */
  checkEveryMs: number;
}

export const TIMEOUTS: Timeouts = {
  headersMs: 30_000,
  requestMs: 60_000,
  // Below 75 s, and above the 60 s idle timeout of the common load balancers in front of a server.
  keepAliveMs: 72_000,
  mqttConnectMs: 30_000,
  checkEveryMs: 1_000,
};

export const timeouts = (over: Partial<Timeouts> = {}): Timeouts => ({ ...TIMEOUTS, ...over });
