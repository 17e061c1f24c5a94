/** One simulated device of the MQTT benchmarks: on notify-next, start-next → update IN_PROGRESS → update SUCCEEDED. */
export class SimDevice {
    thing;
    client;
    hooks;
    working;
    version = 0;
    stage = 'done';
    constructor(thing, client, hooks) {
        this.thing = thing;
        this.client = client;
        this.hooks = hooks;
        const p = `$aws/things/${thing}/jobs`;
        client.on('message', (topic, payload) => {
            const body = JSON.parse(payload.toString());
            if (topic.endsWith('/rejected'))
                return hooks.rejected();
            if (topic === `${p}/notify-next`) {
                if (!body.execution || body.execution.status !== 'QUEUED' || this.working === body.execution.jobId)
                    return;
                this.working = body.execution.jobId;
                hooks.notified(thing);
                hooks.started();
                this.stage = 'start';
                // One process plays every device: answer after this turn's messages have all been read,
                // so that one device's latency does not include the others' replies (real devices run apart).
                setImmediate(() => client.publish(`${p}/start-next`, '{}'));
            }
            else if (topic === `${p}/start-next/accepted` && body.execution && this.stage === 'start') {
                this.stage = 'progress';
                this.version = body.execution.versionNumber;
                client.publish(`${p}/${body.execution.jobId}/update`, JSON.stringify({ status: 'IN_PROGRESS', expectedVersion: this.version, includeJobExecutionState: true }));
            }
            else if (topic.endsWith('/update/accepted')) {
                if (this.stage === 'progress') {
                    this.stage = 'done';
                    const v = body.executionState?.versionNumber ?? this.version + 1;
                    client.publish(`${p}/${this.working}/update`, JSON.stringify({ status: 'SUCCEEDED', expectedVersion: v }));
                }
                else
                    hooks.done();
            }
        });
    }
}
//# sourceMappingURL=sim-device.js.map