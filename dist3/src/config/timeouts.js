export const TIMEOUTS = {
    headersMs: 30_000,
    requestMs: 60_000,
    // Below 75 s, and above the 60 s idle timeout of the common load balancers in front of a server.
    keepAliveMs: 72_000,
    mqttConnectMs: 30_000,
    checkEveryMs: 1_000,
};
export const timeouts = (over = {}) => ({ ...TIMEOUTS, ...over });
//# sourceMappingURL=timeouts.js.map