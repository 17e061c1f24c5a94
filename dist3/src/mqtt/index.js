import { clientTokenOf, handleRequest, rejected } from './device-api.js';
import { startEmbeddedBroker } from './embedded.js';
import { connectExternalBroker } from './external.js';
import { deploymentId } from './deployment.js';
import { Notifier } from './notifier.js';
import { EventPublisher } from './event-publisher.js';
import { parseRequest } from './topics.js';
import { commandRejected, handleCommandResponse } from './command-api.js';
import { pendingCaps } from '../quotas/pending.js';
import { sentKind } from '../metrics.js';
import { hostname } from 'node:os';
import { issueServerCertificate } from '../certs/x509.js';
import { CertAuthority } from './cert-auth.js';
import { upgradeVerifier } from './application.js';
import { notifyNextTopic, notifyTopic } from './topics.js';
export const MQTT_WS_PATH = '/mqtt';
/** Requests one thing may have queued or running; more are answered RequestThrottled. */
export const MAX_QUEUED_PER_THING = 16;
/**
 * Device requests of one thing run one after another, in arrival order (a device's start-next
 * and the update after it must not race), and at most MAX_QUEUED_PER_THING wait.
 */
function perThingQueue(deps) {
    const queues = new Map();
    return (thingName, topic, payload, send) => {
        const request = parseRequest(topic) ?? 'invalid';
        deps.metrics?.mqttIn.inc({ kind: request === 'invalid' ? 'invalid' : request.api });
        const reply = (t, body) => {
            deps.metrics?.mqttOut.inc({ kind: sentKind(t) });
            send(t, body);
        };
        const q = queues.get(thingName) ?? { tail: Promise.resolve(), n: 0 };
        if (q.n >= MAX_QUEUED_PER_THING) {
            const r = rejected(topic, 'RequestThrottled', `Too many requests in flight for thing ${thingName}`, clientTokenOf(payload), Math.floor(deps.clock.now() / 1000));
            reply(r.topic, r.payload);
            return;
        }
        q.n++;
        queues.set(thingName, q);
        q.tail = q.tail
            .then(async () => {
            const r = await handleRequest(deps.dispatch, topic, request, payload, deps.clock.now(), (err) => deps.log.error({ err, topic }, 'mqtt request failed'));
            reply(r.topic, r.payload);
        })
            .catch((err) => deps.log.error({ err, topic }, 'mqtt reply failed'))
            .finally(() => {
            if (--q.n === 0)
                queues.delete(thingName);
        });
    };
}
/** A device's command status updates run one after another per client, in arrival order (IN_PROGRESS before SUCCEEDED). */
function perClientCommands(deps) {
    const tails = new Map();
    return (clientId, topic, target, payload, reply) => {
        const q = tails.get(clientId) ?? { tail: Promise.resolve(), n: 0 };
        if (q.n >= MAX_QUEUED_PER_THING) {
            const r = commandRejected(topic, target.executionId, 'RequestThrottled', `Too many updates in flight for client ${clientId}`);
            return reply(r.topic, r.payload);
        }
        q.n++;
        tails.set(clientId, q);
        q.tail = q.tail
            .then(async () => {
            const r = await handleCommandResponse(deps.dispatch, topic, target, payload, (err) => deps.log.error({ err, topic }, 'mqtt command update failed'));
            deps.metrics?.mqttOut.inc({ kind: sentKind(r.topic) });
            reply(r.topic, r.payload);
        })
            .catch((err) => deps.log.error({ err, topic }, 'mqtt command reply failed'))
            .finally(() => {
            if (--q.n === 0)
                tails.delete(clientId);
        });
    };
}
/** Starts the MQTT side of a node: the embedded broker or a client of an external one, and the notifier. */
export async function startMqtt(deps) {
    const { config, store, events, clock, log } = deps;
    const onRequest = perThingQueue(deps);
    const onCommandResponse = perClientCommands(deps);
    const counted = (publish) => (thing, topic, payload) => {
        deps.metrics?.mqttOut.inc({ kind: sentKind(topic) });
        publish(thing, topic, payload);
    };
    let broker;
    // Whether anyone could receive a topic: the embedded broker knows; an external one does not tell.
    let listened;
    let notifier;
    if (config.mqttUrl !== undefined) {
        const deployment = deps.deployment && { id: await deploymentId(store, deps.deployment.sqliteFile), about: deps.deployment.about };
        const external = await connectExternalBroker({ url: config.mqttUrl, nodeId: deps.nodeId, store, clock, onRequest, onCommandResponse, log, deployment });
        events.onCommandRequest((r) => external.publishCommand(r, clock.now()));
        broker = { url: external.url, publish: external.publishEvent, close: external.close };
        // Several PostgreSQL nodes may change the same thing: what each thing was told is kept in the store.
        const told = store.dialect === 'postgres' ? 'store' : 'memory';
        notifier = new Notifier({ store, events, clock, publish: counted((_thing, topic, payload) => external.publish(topic, payload)), told, log, resolveDocument: deps.resolveDocument, pendingCaps: pendingCaps(config.quotas?.jobs) });
    }
    else if (config.mqttPort !== undefined || config.mqttTls) {
        let tls;
        if (config.mqttTls) {
            let { cert, key } = config.mqttTls;
            if (!cert || !key) {
                if (!deps.ca)
                    throw new Error('the MQTT TLS listener needs a certificate or the own CA');
                // For the address it serves, and the names a local device uses; no SNI is needed.
                const wildcard = ['0.0.0.0', '::'].includes(config.host);
                const issued = await issueServerCertificate(deps.ca, [...(wildcard ? [hostname()] : [config.host]), 'localhost', '127.0.0.1'], new Date()); // wall time: TLS clients check it
                cert = Buffer.from(`${issued.certPem.trim()}\n${deps.ca.certPem.trim()}\n`);
                key = Buffer.from(issued.keyPem);
            }
            tls = { ...config.mqttTls, cert, key };
        }
        let embeddedRef;
        const certs = deps.scope
            ? new CertAuthority({ store, clock, scope: deps.scope, log, disconnect: (id, reason) => embeddedRef?.disconnect(id.clientId, id.stream, reason) })
            : undefined;
        await certs?.start();
        const embedded = await startEmbeddedBroker({
            host: config.host,
            port: config.mqttPort,
            tls,
            certs,
            deviceCredentials: config.deviceCredentials,
            onRequest,
            onCommandResponse,
            log,
            metrics: deps.metrics,
            onPresence: deps.onPresence,
            clock,
            scope: { region: config.region, accountId: config.accountId },
            // Signed URLs are applications; clients sign with the wall clock, or the app's if a test moved it.
            verifyUpgrade: upgradeVerifier({ credentials: config.credentials, region: config.region, alsoAccept: () => clock.now(), ...(deps.iam ? { iam: deps.iam } : {}) }),
            connectTimeoutMs: deps.connectTimeoutMs,
        });
        events.onCommandRequest((r) => embedded.deliverCommand(r, clock.now()));
        broker = embedded;
        embeddedRef = embedded;
        if (deps.http)
            embedded.attachWebSocket(deps.http.server, MQTT_WS_PATH);
        // A thing is worth notifying when its device is connected or an application listens to its notifications.
        const appListens = (thing) => embedded.hasSubscriber(notifyTopic(thing, null)) || embedded.hasSubscriber(notifyNextTopic(thing, null));
        const local = new Notifier({
            store,
            events,
            clock,
            publish: counted(embedded.deliver),
            wants: (thing) => embedded.connected(thing) || appListens(thing),
            subscribed: (thing, topic) => embedded.subscribed(thing, topic) || embedded.hasSubscriber(topic),
            told: 'memory',
            log,
            resolveDocument: deps.resolveDocument,
            pendingCaps: pendingCaps(config.quotas?.jobs),
        });
        embedded.onClient((thingName) => local.connected(thingName));
        notifier = local;
        listened = (topic) => embedded.hasSubscriber(topic);
    }
    else {
        return undefined;
    }
    // The outbox's events go out through the broker in use, embedded or external.
    const publisher = new EventPublisher({
        store,
        nodeId: deps.nodeId,
        scope: deps.scope,
        publish: (topic, payload) => broker.publish(topic, payload),
        ...(listened ? { listened } : {}),
        published: (type, n) => deps.metrics?.eventsPublished.inc({ type }, n),
        log,
    });
    publisher.start();
    return {
        url: broker.url,
        ...(broker.tlsUrl ? { tlsUrl: broker.tlsUrl } : {}),
        wsUrl: deps.http && config.mqttUrl === undefined ? `${deps.http.url.replace(/^http/, 'ws')}${MQTT_WS_PATH}` : undefined,
        notifier,
        events: publisher,
        ...(listened ? { listened } : {}),
        publish: (topic, payload) => broker.publish(topic, payload),
        async close() {
            await publisher.stop();
            await notifier.close();
            await broker.close();
        },
    };
}
//# sourceMappingURL=index.js.map