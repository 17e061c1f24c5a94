import { Sha256 } from '@aws-crypto/sha256-browser';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { h, fill } from './dom.js';
import type { Session } from './session.js';

/** GET/POST /_iot-jobs/clock (issue 10): signed like every route, with the control plane's service name. */
export interface ClockState {
  mode: 'manual' | 'system';
  now: string;
}

async function call(s: Session, method: 'GET' | 'POST', body?: object): Promise<Response> {
  const url = new URL('/_iot-jobs/clock', location.origin);
  const text = body ? JSON.stringify(body) : undefined;
  const signer = new SignatureV4({
    service: 'iot',
    region: s.region,
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
    sha256: Sha256,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      headers: { host: url.host, ...(text ? { 'content-type': 'application/json' } : {}) },
      body: text,
    }),
  );
  // The browser sets Host itself (it may not be set by a script); it is the signed value.
  const { host: _host, ...headers } = signed.headers;
  return fetch(url, { method, headers, body: text });
}

/** The clock, or undefined when the server has no clock route (404). */
export async function getClock(s: Session): Promise<ClockState | undefined> {
  const res = await call(s, 'GET');
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`GET /_iot-jobs/clock: ${res.status} ${await res.text()}`);
  return (await res.json()) as ClockState;
}

export async function advanceClock(s: Session, seconds: number): Promise<ClockState> {
  const res = await call(s, 'POST', { advanceSeconds: seconds });
  if (!res.ok) throw new Error(`POST /_iot-jobs/clock: ${res.status} ${await res.text()}`);
  return (await res.json()) as ClockState;
}

const STEPS: [string, number][] = [
  ['+1 min', 60],
  ['+10 min', 600],
  ['+1 h', 3600],
];

/** Buttons that advance a manual clock; hidden with the system clock or without the route. */
export function clockWidget(el: HTMLElement, s: Session, onMoved: () => void): { refresh(): Promise<void> } {
  let busy = false;
  const show = (c: ClockState | undefined) => {
    el.hidden = c?.mode !== 'manual';
    if (!c || c.mode !== 'manual') return fill(el);
    fill(
      el,
      h('span', { class: 'clock-now', 'data-now': c.now }, `manual clock ${c.now.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}`),
      ...STEPS.map(([label, seconds]) =>
        h(
          'button',
          {
            type: 'button',
            class: 'clock-step',
            disabled: busy,
            onclick: async () => {
              busy = true;
              try {
                show(await advanceClock(s, seconds));
                onMoved();
              } catch (err) {
                alert((err as Error).message);
              } finally {
                busy = false;
                await refresh();
              }
            },
          },
          label,
        ),
      ),
    );
  };
  // A server without the route (or with the system clock) is asked again only now and then.
  let quietUntil = 0;
  const refresh = async () => {
    if (busy || Date.now() < quietUntil) return;
    try {
      const c = await getClock(s);
      if (c?.mode !== 'manual') quietUntil = Date.now() + 30_000;
      show(c);
    } catch {
      show(undefined);
    }
  };
  return { refresh };
}
