import { ListJobsCommand, type IoTClient } from '@aws-sdk/client-iot';
import { clockWidget } from './clock.js';
import { errorText, fill, h } from './dom.js';
import { clearSession, iotClient, loadSession, saveSession, type Session } from './session.js';
import { createView } from './views/create.js';
import { executionView } from './views/execution.js';
import { jobView } from './views/job.js';
import { jobsView } from './views/jobs.js';
import { thingView } from './views/thing.js';
import type { View } from './views/view.js';
import './style.css';

/** How often a shown page re-reads what it shows (through the signed SDK calls, like any client). */
const POLL_MS = 1000;

const main = document.getElementById('main')!;
const who = document.getElementById('who')!;

function signIn(): void {
  const key = h('input', { name: 'accessKeyId', autocomplete: 'username', required: true, 'aria-label': 'access key id' });
  const secret = h('input', { name: 'secretAccessKey', type: 'password', autocomplete: 'current-password', required: true, 'aria-label': 'secret access key' });
  const region = h('input', { name: 'region', value: 'us-east-1', required: true, 'aria-label': 'region' });
  const error = h('p', { class: 'error', hidden: true });
  const form = h(
    'form',
    {
      class: 'signin',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const s: Session = { accessKeyId: key.value.trim(), secretAccessKey: secret.value, region: region.value.trim() };
        try {
          // One signed call proves the key pair before it is kept.
          await iotClient(s).send(new ListJobsCommand({ maxResults: 1 }));
          saveSession(s);
          start(s);
        } catch (err) {
          error.hidden = false;
          fill(error, errorText(err));
        }
      },
    },
    h('h1', {}, 'Sign in'),
    h('p', {}, 'An access key pair that iot-jobs accepts (--credentials). It stays in this browser tab only, and every call is signed with it (SigV4).'),
    h('label', {}, 'Access key ID', key),
    h('label', {}, 'Secret access key', secret),
    h('label', {}, 'Region', region),
    error,
    h('button', { type: 'submit' }, 'Sign in'),
  );
  fill(who);
  fill(main, form);
  key.focus();
}

function route(iot: IoTClient, s: Session, changed: () => void): View {
  const path = location.hash.replace(/^#/, '') || '/';
  if (path === '/create') return createView(iot);
  const x = /^\/jobs\/([^/]+)\/things\/([^/]+)$/.exec(path);
  if (x) return executionView(iot, decodeURIComponent(x[1]!), decodeURIComponent(x[2]!), changed);
  const m = /^\/(jobs|things)\/(.+)$/.exec(path);
  if (m?.[1] === 'jobs') return jobView(iot, s, decodeURIComponent(m[2]!), changed);
  if (m?.[1] === 'things') return thingView(iot, decodeURIComponent(m[2]!));
  return jobsView(iot);
}

function start(s: Session): void {
  const iot = iotClient(s);
  const clock = clockWidget(document.getElementById('clock')!, s, () => void tick());
  fill(
    who,
    h('span', {}, s.accessKeyId),
    h('button', { type: 'button', class: 'signout', onclick: () => { clearSession(); location.hash = '#/'; location.reload(); } }, 'sign out'),
  );
  let view: View | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  // One refresh at a time; the next is scheduled when it ends, so a slow server is never flooded.
  const tick = async () => {
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = true;
    do {
      again = false;
      await Promise.all([view!.refresh(), clock.refresh()]);
    } while (again);
    running = false;
    timer = setTimeout(tick, POLL_MS);
  };
  const show = () => {
    view?.close?.();
    view = route(iot, s, () => void tick());
    document.title = `${view.title} · iot-jobs`;
    fill(main, view.el);
    void tick();
  };
  window.onhashchange = show;
  show();
}

const session = loadSession();
if (session) start(session);
else signIn();
