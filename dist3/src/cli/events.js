import mqtt from 'mqtt';
import { action, customEndpoint, iotClient, UsageError, withAwsOptions } from './aws.js';
import { presignMqttUrl } from '../mqtt/presign.js';
const TYPES = {
    job: 'job',
    jobExecution: 'jobExecution',
    thing: 'thing',
    thingGroup: 'thingGroup',
    thingType: 'thingType',
    thingGroupMembership: 'thingGroupMembership',
    thingGroupHierarchy: 'thingGroupHierarchy',
    thingTypeAssociation: 'thingTypeAssociation',
    presence: 'presence',
    subscriptions: 'subscriptions',
    commandExecution: 'commandExecution',
};
/** The topic filters of what the user asked for ($aws/... topics are never matched by a bare #). */
export function eventFilters(type, jobId) {
    if (type !== undefined && TYPES[type] === undefined)
        throw new UsageError(`--type must be one of ${Object.keys(TYPES).join(', ')}`);
    if (jobId !== undefined) {
        const types = type ? [TYPES[type]] : ['job', 'jobExecution'];
        if (!types.every((t) => t === 'job' || t === 'jobExecution'))
            throw new UsageError('--job-id goes with --type job or jobExecution');
        return types.map((t) => `$aws/events/${t}/${jobId}/#`);
    }
    return [type ? `$aws/events/${TYPES[type]}/#` : '$aws/events/#'];
}
/** One line for a person: time, topic, and the fields that say what happened. */
function pretty(topic, e) {
    const at = typeof e.timestamp === 'number' ? new Date(e.timestamp < 1e12 ? e.timestamp * 1000 : e.timestamp) : new Date();
    const what = ['status', 'thingArn', 'thingName', 'clientId', 'comment'].flatMap((k) => (e[k] === undefined ? [] : [`${k}=${typeof e[k] === 'string' ? e[k] : JSON.stringify(e[k])}`]));
    return `${at.toISOString().slice(11, 19)}  ${topic}  ${what.join(' ')}`;
}
export function addEventsCommands(program) {
    const events = program.command('events').description('AWS IoT events ($aws/events/...), as a back-end application sees them');
    withAwsOptions(events
        .command('tail')
        .description('connect as an application (MQTT over WebSocket signed with SigV4, or --mqtt-url for an external broker) and print events as they come')
        .option('--type <type>', `only one kind: ${Object.keys(TYPES).join(', ')}`)
        .option('--job-id <id>', "only this job's events (job and jobExecution)")
        .option('--mqtt-url <url>', 'an external broker the server publishes to (mqtt://host:port), instead of its own')).action(action(async (opts) => {
        const filters = eventFilters(opts.type, opts.jobId);
        let url = opts.mqttUrl;
        if (url === undefined) {
            const iot = await iotClient(opts);
            const endpoint = await customEndpoint(iot);
            if (!endpoint)
                throw new UsageError('no iot-jobs endpoint: give --endpoint-url (or AWS_ENDPOINT_URL), or --mqtt-url');
            const credentials = await iot.config.credentials();
            const region = await iot.config.region();
            const ws = `${endpoint.protocol === 'https:' ? 'wss' : 'ws'}://${endpoint.host}/mqtt`;
            url = await presignMqttUrl({ url: ws, region, credentials });
        }
        const client = await mqtt.connectAsync(url, { clientId: `iot-jobs-tail-${process.pid}`, protocolVersion: 5, reconnectPeriod: 0 });
        const json = opts.output === 'json' || !process.stdout.isTTY;
        client.on('message', (topic, payload) => {
            let body;
            try {
                body = JSON.parse(payload.toString());
            }
            catch {
                body = { payload: payload.toString() };
            }
            process.stdout.write(json ? `${JSON.stringify({ topic, ...body })}\n` : `${pretty(topic, body)}\n`);
        });
        await client.subscribeAsync(filters, { qos: 1 });
        process.stderr.write(`iot-jobs: listening on ${filters.join(', ')}\n`);
        const stop = () => void client.endAsync().finally(() => process.exit(0));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        await new Promise((resolve) => client.once('close', () => resolve()));
    }));
}
//# sourceMappingURL=events.js.map