import { Sha256 } from '@aws-crypto/sha256-browser';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Session } from './session.js';

const signer = (s: Session, service: string) =>
  new SignatureV4({ service, region: s.region, credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey }, sha256: Sha256 });

/** A same-origin request to one of iot-jobs' own routes (/_iot-jobs/...), signed as the SDK signs (service `iot`). */
export async function signedFetch(s: Session, method: 'GET' | 'POST', path: string, body?: object): Promise<Response> {
  const url = new URL(path, location.origin);
  const text = body ? JSON.stringify(body) : undefined;
  const query = Object.fromEntries(url.searchParams);
  const signed = await signer(s, 'iot').sign(
    new HttpRequest({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      headers: { host: url.host, ...(text ? { 'content-type': 'application/json' } : {}) },
      body: text,
    }),
  );
  // The browser sets Host itself (it may not be set by a script); it is the signed value.
  const { host: _host, ...headers } = signed.headers;
  return fetch(url, { method, headers, body: text });
}

/**
 * The application path to the broker (docs/mqtt.md): ws://host:port/mqtt presigned with SigV4 for
 * the service `iotdevicegateway`, as AWS's device gateway takes it.
 */
export async function presignedMqttUrl(s: Session): Promise<string> {
  const url = new URL('/mqtt', location.origin);
  const presigned = await signer(s, 'iotdevicegateway').presign(
    new HttpRequest({
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      headers: { host: url.host },
    }),
    { expiresIn: 300 },
  );
  const q = new URLSearchParams(presigned.query as Record<string, string>);
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}${url.pathname}?${q}`;
}
