import { RC } from './reason-codes.js';
/** The lifecycle reason for a DISCONNECT reason code the server sends. */
export function disconnectReasonOf(reasonCode) {
    switch (reasonCode) {
        case RC.SESSION_TAKEN_OVER:
            return 'DUPLICATE_CLIENTID';
        case RC.SERVER_SHUTTING_DOWN:
            return 'SERVER_INITIATED_DISCONNECT';
        case RC.NOT_AUTHORIZED:
            return 'AUTH_ERROR';
        case RC.KEEP_ALIVE_TIMEOUT:
            return 'MQTT_KEEP_ALIVE_TIMEOUT';
        default:
            return 'CLIENT_ERROR';
    }
}
export const presenceTopic = (event, clientId) => `$aws/events/presence/${event}/${clientId}`;
export const subscriptionTopic = (event, clientId) => `$aws/events/subscriptions/${event}/${clientId}`;
/** AWS publishes no lifecycle event for a client id with a wildcard in it. */
export const hasLifecycleEvents = (clientId) => clientId !== '' && !/[#+]/.test(clientId);
export function connectedEvent(who, timestamp, ipAddress, versionNumber) {
    return { ...base(who, timestamp, 'connected'), ...(ipAddress ? { ipAddress } : {}), versionNumber };
}
export function disconnectedEvent(who, timestamp, reason, versionNumber) {
    return { ...base(who, timestamp, 'disconnected'), clientInitiatedDisconnect: reason === 'CLIENT_INITIATED_DISCONNECT', disconnectReason: reason, versionNumber };
}
export function subscriptionEvent(who, timestamp, event, topics) {
    return { ...base(who, timestamp, event), topics };
}
function base(who, timestamp, eventType) {
    return {
        clientId: who.clientId,
        ...(who.thingName !== undefined ? { thingName: who.thingName } : {}),
        timestamp,
        eventType,
        sessionIdentifier: who.sessionIdentifier,
        principalIdentifier: who.principalIdentifier,
    };
}
/** AWS resets a client id's versionNumber after about an hour disconnected. */
const VERSION_RESET_MS = 3600_000;
/**
 * versionNumber per client id: one more at each connect (a connection keeps its number for its
 * disconnect), back to 0 once the client id has been away an hour. Protocol time (wall clock).
 */
export class PresenceVersions {
    versions = new Map();
    lastPrune = 0;
    connected(clientId, now = Date.now()) {
        this.prune(now);
        const v = this.versions.get(clientId);
        const n = v === undefined || (v.goneAt !== undefined && now - v.goneAt > VERSION_RESET_MS) ? 0 : v.n + 1;
        this.versions.set(clientId, { n });
        return n;
    }
    /** The client id has no connection left. */
    gone(clientId, now = Date.now()) {
        const v = this.versions.get(clientId);
        if (v)
            v.goneAt = now;
    }
    /** Forgets client ids away for over an hour, at most once a minute: the map holds about the last hour's clients. */
    prune(now) {
        if (now - this.lastPrune < 60_000)
            return;
        this.lastPrune = now;
        for (const [id, v] of this.versions)
            if (v.goneAt !== undefined && now - v.goneAt > VERSION_RESET_MS)
                this.versions.delete(id);
    }
}
//# sourceMappingURL=lifecycle.js.map