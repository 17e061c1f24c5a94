import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '../auth/sigv4.js';
import { CLOCK_PATH } from '../http/clock-route.js';

export interface ClockEndpoint {
  url: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined };
}

export interface ClockAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** GET or POST /_iot-jobs/clock, SigV4-signed for the control plane like any AWS client request. */
export async function clockRequest(ep: ClockEndpoint, body?: Record<string, unknown>): Promise<ClockAnswer> {
  const u = new URL(ep.url);
  const method = body === undefined ? 'GET' : 'POST';
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { host: u.host };
  if (text !== undefined) headers['content-type'] = 'application/json';
  const signer = new SignatureV4({ service: 'iot', region: ep.region, credentials: ep.credentials, sha256: Sha256 });
  const signed = await signer.sign(new HttpRequest({ method, protocol: u.protocol, hostname: u.hostname, port: u.port ? Number(u.port) : undefined, path: CLOCK_PATH, headers, body: text }));
  const res = await fetch(new URL(CLOCK_PATH, ep.url), { method, headers: signed.headers as Record<string, string>, body: text });
  const raw = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    parsed = { message: raw };
  }
  return { status: res.status, body: parsed };
}

/** "90s", "5m", "2h", "1d" or plain seconds ("1.5") as seconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h' | 'd'];
  const seconds = n * unit;
  return seconds > 0 ? seconds : undefined;
}
