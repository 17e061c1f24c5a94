export class Events {
    listeners = [];
    capacityChecks = [];
    commandListeners = [];
    /** The MQTT side delivers command requests; several nodes' listeners may each have the device. */
    onCommandRequest(listener) {
        this.commandListeners.push(listener);
    }
    commandRequested(r) {
        for (const l of this.commandListeners)
            l(r);
    }
    /** A listener with a backlog registers here, so that bulk producers can wait for it. */
    addCapacityCheck(check) {
        this.capacityChecks.push(check);
    }
    /** Resolves when every listener can take more events; the rollout worker awaits it per batch. */
    async capacity() {
        for (const check of this.capacityChecks)
            await check();
    }
    on(listener) {
        this.listeners.push(listener);
        return () => {
            this.listeners = this.listeners.filter((l) => l !== listener);
        };
    }
    /** Names may repeat: the notifier queues per thing (a Set here cost a bulk cancel 0.3 s per 1,000,000). */
    pendingChanged(thingNames, namespaceId) {
        const names = Array.isArray(thingNames) ? thingNames : [...thingNames];
        if (names.length === 0 || this.listeners.length === 0)
            return;
        const event = { type: 'pendingChanged', thingNames: names, namespaceId };
        for (const l of this.listeners)
            l(event);
    }
}
//# sourceMappingURL=events.js.map