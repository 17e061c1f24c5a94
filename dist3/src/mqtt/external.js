import mqtt from 'mqtt';
import { holdLease, releaseLease } from '../store/leases.js';
import { parseRequest, REQUEST_FILTER, topicThing } from './topics.js';
import { COMMAND_RESPONSE_FILTER, parseCommandResponse } from './command-topics.js';
import { announceTopic, DEPLOYMENTS_FILTER, otherDeployment } from './deployment.js';
const LEASE = 'mqtt-requests';
/**
 * iot-jobs as a client of an external broker. Every node publishes notifications for the changes
 * it commits. Device requests are consumed by exactly one node at a time: the holder of a lease in
 * the database subscribes to `$aws/things/+/jobs/#`; the others stand by and take over when its
 * lease runs out. (Mosquitto delivers nothing to `$share` subscriptions on `$aws/...` topics.)
 */
export async function connectExternalBroker(o) {
    const leaseMs = o.leaseMs ?? 5_000;
    // MQTT 5 where the broker speaks it, so that a device's Correlation Data reaches this node and
    // comes back on its reply; MQTT 3.1.1 for a broker that refuses version 5.
    let client;
    try {
        client = await connectOnce(o, 5);
    }
    catch (err) {
        if (!/protocol version/i.test(err.message))
            throw err;
        client = await connectOnce(o, 4);
    }
    client.on('error', (err) => o.log.warn({ err: err.message }, 'mqtt broker connection error'));
    client.on('offline', () => o.log.warn({ url: o.url }, 'mqtt broker unreachable; reconnecting'));
    let leaseUntil = 0;
    let subscribed = false;
    // The lease runs on wall time, whatever the app's clock does.
    const consuming = () => leaseUntil > Date.now();
    const own = o.deployment;
    const warned = new Set();
    const announce = () => {
        if (!own)
            return;
        client.subscribe(DEPLOYMENTS_FILTER, { qos: 1 });
        client.publish(announceTopic(own.id, o.nodeId), JSON.stringify(own.about), { qos: 1, retain: true });
    };
    announce();
    client.on('connect', announce);
    client.on('message', (topic, payload, packet) => {
        const other = own && otherDeployment(topic, payload, own.id);
        if (other) {
            if (!warned.has(other.id)) {
                warned.add(other.id);
                o.log.error({ other: other.about, own: own.about, broker: o.url }, 'ANOTHER iot-jobs DEPLOYMENT USES THIS MQTT BROKER: both answer the same devices. Give each deployment its own broker, or its own Mosquitto mount point (docs/deployment.md)');
            }
            return;
        }
        const command = parseCommandResponse(topic);
        if (command !== undefined) {
            if (!consuming())
                return;
            const correlationData = packet.properties?.correlationData;
            o.onCommandResponse?.(command.id, topic, command, payload, (t, body) => client.publish(t, body, correlationData ? { qos: 0, properties: { correlationData } } : { qos: 0 }));
            return;
        }
        const request = parseRequest(topic);
        if (request === undefined || !consuming())
            return;
        const thingName = request === 'invalid' ? topicThing(topic) : request.thingName;
        const correlationData = packet.properties?.correlationData;
        o.onRequest(thingName, topic, payload, (t, body) => client.publish(t, body, correlationData ? { qos: 0, properties: { correlationData } } : { qos: 0 }));
    });
    // A reconnect starts a clean session: subscribe again if we still hold the lease.
    client.on('connect', () => {
        subscribed = false;
        void renew();
    });
    let renewing = false;
    async function renew() {
        if (renewing)
            return;
        renewing = true;
        try {
            const now = Date.now();
            const held = await holdLease(o.store.db, LEASE, o.nodeId, now, now + leaseMs).catch((err) => {
                o.log.warn({ err: err.message }, 'cannot renew the MQTT consumer lease');
                return false;
            });
            leaseUntil = held ? now + leaseMs : 0;
            if (held && !subscribed && client.connected) {
                // No Local (MQTT 5): the replies this node publishes under the filter do not come back to it.
                await client.subscribeAsync([REQUEST_FILTER, COMMAND_RESPONSE_FILTER], { qos: 1, nl: true });
                subscribed = true;
                o.log.info({ nodeId: o.nodeId }, 'this node now consumes MQTT device requests');
            }
            else if (!held && subscribed) {
                subscribed = false;
                await client.unsubscribeAsync([REQUEST_FILTER, COMMAND_RESPONSE_FILTER]).catch(() => { });
            }
        }
        catch (err) {
            o.log.warn({ err: err.message }, 'mqtt consumer lease step failed');
        }
        finally {
            renewing = false;
        }
    }
    await renew();
    const timer = setInterval(() => void renew(), Math.max(100, Math.floor(leaseMs / 3)));
    return {
        url: o.url,
        publish(topic, payload) {
            if (client.connected)
                client.publish(topic, payload, { qos: 0 });
        },
        async publishEvent(topic, payload) {
            await client.publishAsync(topic, payload, { qos: 1 });
        },
        publishCommand(r, now) {
            if (!client.connected)
                return;
            const v5 = client.options.protocolVersion === 5;
            const expiry = Math.max(1, Math.ceil((r.deadline - now) / 1000));
            client.publish(r.topic, r.payload, v5 ? { qos: 1, properties: { ...(r.contentType ? { contentType: r.contentType } : {}), messageExpiryInterval: expiry } } : { qos: 1 });
        },
        consuming,
        async close() {
            clearInterval(timer);
            while (renewing)
                await new Promise((r) => setTimeout(r, 10));
            if (leaseUntil > 0)
                await releaseLease(o.store.db, LEASE, o.nodeId).catch(() => { });
            leaseUntil = 0;
            if (own && client.connected)
                await client.publishAsync(announceTopic(own.id, o.nodeId), '', { qos: 1, retain: true }).catch(() => { });
            await client.endAsync();
        },
    };
}
/** Connects with one MQTT version; rejects on a refused CONNACK or after 10 seconds. */
async function connectOnce(o, protocolVersion) {
    const client = mqtt.connect(o.url, {
        clientId: `iot-jobs-${o.nodeId.slice(0, 12)}`,
        protocolVersion,
        clean: true,
        reconnectPeriod: 1_000,
        connectTimeout: 10_000,
        // Offline, notifications are dropped rather than piled up in memory.
        queueQoSZero: false,
        // A node that dies clears its announcement (an empty retained message).
        ...(o.deployment ? { will: { topic: announceTopic(o.deployment.id, o.nodeId), payload: Buffer.alloc(0), qos: 1, retain: true } } : {}),
    });
    await new Promise((resolve, reject) => {
        const fail = (err) => {
            client.end(true);
            reject(Object.assign(new Error(`cannot connect to the MQTT broker at ${o.url}: ${err.message}`), { code: 'EMQTT' }));
        };
        const timer = setTimeout(() => fail(new Error('timed out')), 10_000);
        client.once('connect', () => {
            clearTimeout(timer);
            resolve();
        });
        client.once('error', (err) => {
            clearTimeout(timer);
            fail(err);
        });
    });
    return client;
}
//# sourceMappingURL=external.js.map