import { h, fill } from './dom.js';
import { confirmAction } from './confirm.js';
import type { Session } from './session.js';
import { signedFetch } from './signed.js';
import { setServerNow } from './time.js';

/** GET/POST /_iot-jobs/clock (issue 10): signed like every route, with the control plane's service name. */
export interface ClockState {
  mode: 'manual' | 'system';
  now: string;
  /** Manual clock: the next timer due (timeout, rollout step, schedule, command timeout), or null. */
  nextDeadline?: string | null;
}

/** A paced rollout's next release, from GET /_iot-jobs/clock?jobId= (undefined without the route). */
export interface NextRelease {
  nextRelease: string | null;
  count?: number;
  ratePerMinute?: number;
}

export async function getNextRelease(s: Session, jobId: string): Promise<NextRelease | undefined> {
  const res = await signedFetch(s, 'GET', `/_iot-jobs/clock?jobId=${encodeURIComponent(jobId)}`);
  if (!res.ok) return undefined;
  return ((await res.json()) as { job?: NextRelease }).job;
}

/** The clock, or undefined when the server has no clock route (404). */
export async function getClock(s: Session): Promise<ClockState | undefined> {
  const res = await signedFetch(s, 'GET', '/_iot-jobs/clock');
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`GET /_iot-jobs/clock: ${res.status} ${await res.text()}`);
  return (await res.json()) as ClockState;
}

export async function moveClock(s: Session, body: { advanceSeconds: number } | { now: string }): Promise<ClockState> {
  const res = await signedFetch(s, 'POST', '/_iot-jobs/clock', body);
  if (!res.ok) throw new Error(`POST /_iot-jobs/clock: ${res.status} ${await res.text()}`);
  return (await res.json()) as ClockState;
}

const STEPS: [string, number][] = [
  ['+1 min', 60],
  ['+10 min', 600],
  ['+1 h', 3600],
];

const short = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

/** Buttons that advance a manual clock; hidden with the system clock or without the route. */
export function clockWidget(el: HTMLElement, s: Session, onMoved: () => void): { refresh(): Promise<void> } {
  let busy = false;
  const move = async (body: { advanceSeconds: number } | { now: string }) => {
    busy = true;
    try {
      show(await moveClock(s, body));
      onMoved();
    } catch (err) {
      alert((err as Error).message);
    } finally {
      busy = false;
      await refresh();
    }
  };
  const show = (c: ClockState | undefined) => {
    el.hidden = c?.mode !== 'manual';
    setServerNow(c?.mode === 'manual' ? Date.parse(c.now) : undefined);
    if (!c || c.mode !== 'manual') return fill(el);
    const next = c.nextDeadline;
    fill(
      el,
      h('span', { class: 'clock-now', 'data-now': c.now }, `manual clock ${short(c.now)}`),
      ...STEPS.map(([label, seconds]) => h('button', { type: 'button', class: 'clock-step', disabled: busy, onclick: () => move({ advanceSeconds: seconds }) }, label)),
      h(
        'button',
        {
          type: 'button',
          class: 'clock-next',
          disabled: busy || !next,
          'data-next': next ?? '',
          title: next ? `the next timer falls due at ${short(next)}` : 'no timer is due',
          onclick: async () => {
            if (!next) return;
            const ok = await confirmAction({
              title: 'Advance to the next deadline',
              text: `Move the manual clock to ${short(next)}? Whatever falls due then (timeouts, retries, rollout steps, schedules) runs before the page refreshes.`,
              ok: 'Advance',
            });
            if (ok) await move({ now: next });
          },
        },
        'next deadline',
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
