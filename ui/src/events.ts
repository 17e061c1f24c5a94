import { DescribeEventConfigurationsCommand, UpdateEventConfigurationsCommand, type IoTClient } from '@aws-sdk/client-iot';
import type { MqttClient } from 'mqtt';
import { confirmAction } from './confirm.js';
import { errorText, fill, fmtTime, h, thingNameOf } from './dom.js';
import type { Session } from './session.js';
import { presignedMqttUrl } from './signed.js';

const KEEP = 50;
const TYPES = ['JOB', 'JOB_EXECUTION'] as const;

interface JobEvent {
  eventType?: string;
  operation?: string;
  timestamp?: number;
  jobId?: string;
  thingArn?: string;
  status?: string;
  statusDetails?: Record<string, string>;
}

/**
 * The job's live events: the page connects as an application (MQTT over WebSocket at /mqtt,
 * presigned with SigV4 for iotdevicegateway with the signed-in key pair), subscribes to
 * $aws/events/job/<jobId>/# and $aws/events/jobExecution/<jobId>/#, and lists what arrives.
 * Events are off until UpdateEventConfigurations turns them on: the panel says so and offers it.
 */
export function eventFeed(iot: IoTClient, s: Session, jobId: string): { el: HTMLElement; refresh(): Promise<void>; close(): void } {
  const state = h('p', { class: 'feed-state' });
  const config = h('div', { class: 'feed-config' });
  const list = h('ol', { class: 'feed', reversed: true });
  const el = h('section', { class: 'events' }, h('h2', {}, 'Live events'), config, state, list);
  let client: MqttClient | undefined;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let checkedAt = 0;
  let count = 0;

  const status = (text: string, cls: string) => {
    state.className = `feed-state ${cls}`;
    state.dataset.state = cls;
    fill(state, text);
  };

  const connect = async () => {
    if (closed) return;
    status('connecting…', 'connecting');
    try {
      // mqtt.js is loaded with the first job page (its own chunk), not with the sign-in page.
      const [{ default: mqtt }, url] = await Promise.all([import('mqtt'), presignedMqttUrl(s)]);
      if (closed) return;
      const c = mqtt.connect(url, {
        clientId: `iot-jobs-dashboard-${Math.random().toString(36).slice(2, 10)}`,
        protocolVersion: 4,
        reconnectPeriod: 0,
        connectTimeout: 10_000,
      });
      client = c;
      let connected = false;
      c.on('connect', () => {
        connected = true;
        c.subscribe([`$aws/events/job/${jobId}/#`, `$aws/events/jobExecution/${jobId}/#`], { qos: 1 }, (err) => {
          if (err) status(`subscription refused: ${err.message}`, 'error');
          else status('listening', 'live');
        });
      });
      c.on('message', (topic, payload) => add(topic, payload));
      c.on('error', (err) => status(`connection error: ${err.message}`, 'error'));
      c.on('close', () => {
        if (closed || client !== c) return;
        // A fresh presigned URL each time: the signature's date must stay recent. A server with no
        // broker on /mqtt (an external broker, or none) is asked again only now and then.
        if (connected) status('disconnected; reconnecting…', 'error');
        else status('no MQTT over WebSocket at /mqtt here (this server runs an external broker, or none); trying again in 30 s', 'error');
        retry = setTimeout(() => void connect(), connected ? 3000 : 30_000);
      });
    } catch (err) {
      status(`could not connect: ${errorText(err)}`, 'error');
    }
  };

  const add = (topic: string, payload: Uint8Array) => {
    let e: JobEvent = {};
    try {
      e = JSON.parse(new TextDecoder().decode(payload)) as JobEvent;
    } catch {
      /* shown by its topic alone */
    }
    const kind = topic.startsWith('$aws/events/jobExecution/') ? 'execution' : 'job';
    const op = e.operation ?? topic.slice(topic.lastIndexOf('/') + 1);
    const thing = thingNameOf(e.thingArn);
    count++;
    el.dataset.count = String(count);
    list.prepend(
      h(
        'li',
        { 'data-kind': kind, 'data-operation': op, ...(thing ? { 'data-thing': thing } : {}) },
        h('span', { class: 'feed-time' }, fmtTime(e.timestamp ? new Date(e.timestamp * (e.timestamp < 1e12 ? 1000 : 1)) : new Date())),
        h('span', { class: `badge ev-${kind}` }, kind === 'job' ? 'job' : 'execution'),
        h('b', {}, op),
        thing ? h('a', { href: `#/things/${encodeURIComponent(thing)}` }, thing) : null,
        e.statusDetails && Object.keys(e.statusDetails).length ? h('span', { class: 'feed-details' }, JSON.stringify(e.statusDetails)) : null,
      ),
    );
    while (list.children.length > KEEP) list.lastElementChild!.remove();
  };

  /** Whether job and execution events are on; when not, a button that turns them on (with a confirmation). */
  const refresh = async () => {
    if (Date.now() - checkedAt < 10_000) return;
    checkedAt = Date.now();
    try {
      const cfg = (await iot.send(new DescribeEventConfigurationsCommand({}))).eventConfigurations ?? {};
      const off = TYPES.filter((t) => !cfg[t]?.Enabled);
      el.dataset.eventsOn = String(!off.length);
      if (!off.length) return fill(config);
      fill(
        config,
        h(
          'p',
          { class: 'events-off' },
          `${off.join(' and ')} events are off on this server, so nothing will arrive here. They stay off until UpdateEventConfigurations turns them on (as on AWS). `,
          h(
            'button',
            {
              type: 'button',
              class: 'events-on',
              onclick: async () => {
                const ok = await confirmAction({
                  title: 'Turn job events on',
                  text: `Turn ${off.join(' and ')} events on for the whole server (UpdateEventConfigurations)? Every application subscribed to $aws/events/... will receive them, not only this page.`,
                  ok: 'Turn on',
                });
                if (!ok) return;
                try {
                  await iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: Object.fromEntries(off.map((t) => [t, { Enabled: true }])) }));
                  checkedAt = 0;
                  await refresh();
                } catch (err) {
                  fill(config, h('p', { class: 'error' }, errorText(err)));
                }
              },
            },
            'Turn them on',
          ),
        ),
      );
    } catch (err) {
      fill(config, h('p', { class: 'error' }, errorText(err)));
    }
  };

  void connect();
  return {
    el,
    refresh,
    close() {
      closed = true;
      clearTimeout(retry);
      client?.end(true);
    },
  };
}
