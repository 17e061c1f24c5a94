import { setTimeout as sleep } from 'node:timers/promises';
import { decide } from './sim-mix.js';
export { noCommands } from './sim-mix.js';
const FINAL = {
    succeed: { status: 'SUCCEEDED', count: 'commandsSucceeded', result: { done: { b: true } } },
    fail: { status: 'FAILED', count: 'commandsFailed', statusReason: { reasonCode: 'SIMULATED_FAILURE', reasonDescription: 'simulated failure' } },
    reject: { status: 'REJECTED', count: 'commandsRejected', statusReason: { reasonCode: 'SIMULATED_REJECTION', reasonDescription: 'simulated rejection' } },
};
/**
 * A simulated device's commands side: it takes every request on its thing's commands topics and
 * answers with the same outcome mix as its jobs (--succeed/--fail/--reject/--hang, --work-time):
 * a rejection at once, else IN_PROGRESS, the work time, then SUCCEEDED or FAILED; a hang says nothing.
 */
export async function answerCommands(thing, client, opts, totals) {
    const base = `$aws/commands/things/${thing}/executions`;
    const request = new RegExp(`^${base.replace(/\$/g, '\\$')}/([^/]+)/request(?:/(json|cbor))?$`);
    client.on('message', (topic) => {
        const m = request.exec(topic);
        if (!m)
            return;
        const executionId = m[1];
        totals.commands++;
        const { outcome, workMs } = decide(opts.seed, thing, `command:${executionId}`, 1, opts.mix, opts.workMs);
        if (outcome === 'hang')
            return void totals.commandsHung++;
        const final = FINAL[outcome];
        const send = (body) => client.publishAsync(`${base}/${executionId}/response/json`, JSON.stringify(body), { qos: 1 });
        void (async () => {
            if (outcome !== 'reject') {
                await send({ status: 'IN_PROGRESS' });
                await sleep(workMs);
            }
            const { count, ...body } = final;
            await send(body);
            totals[count]++;
        })().catch(() => { });
    });
    await client.subscribeAsync([`${base}/+/request/json`, `${base}/+/request/cbor`, `${base}/+/request`], { qos: 1 });
}
//# sourceMappingURL=sim-commands.js.map