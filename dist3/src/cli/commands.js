import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeEndpointCommand, GetCommandCommand, GetCommandExecutionCommand } from '@aws-sdk/client-iot';
import { IoTJobsDataPlaneClient, StartCommandExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { action, customEndpoint, iotClient, printJson, UsageError, withAwsOptions } from './aws.js';
import { details } from './table.js';
const collect = (value, previous = []) => [...previous, value];
/** A --param value as the member its declared type names (STRING when the command declares none). */
export function parameterValue(name, raw, type) {
    const bad = (what) => new UsageError(`--param ${name}: ${raw} is not ${what}`);
    switch (type) {
        case 'INTEGER':
        case 'LONG': {
            if (!/^-?\d+$/.test(raw))
                throw bad('a whole number');
            return type === 'INTEGER' ? { I: Number(raw) } : { L: Number(raw) };
        }
        case 'DOUBLE':
            if (raw.trim() === '' || !Number.isFinite(Number(raw)))
                throw bad('a number');
            return { D: Number(raw) };
        case 'UNSIGNEDLONG':
            if (!/^\d{1,20}$/.test(raw))
                throw bad('an unsigned whole number');
            return { UL: raw };
        case 'BOOLEAN':
            if (raw !== 'true' && raw !== 'false')
                throw bad('true or false');
            return { B: raw === 'true' };
        case 'BINARY':
            return { BIN: Buffer.from(raw, 'base64') };
        default:
            return { S: raw };
    }
}
const OPEN = new Set(['CREATED', 'IN_PROGRESS']);
/** `iot-jobs commands send`: start a command on one device, wait for its outcome, print it. */
export function addCommandsCommands(program) {
    const commands = program.command('commands').description('AWS IoT commands: send one to a device and wait for its result');
    withAwsOptions(commands
        .command('send')
        .description('StartCommandExecution on a thing (or --client), then GetCommandExecution until it is over; exit 0 on SUCCEEDED, 1 otherwise')
        .argument('<thing>', 'the thing name (or the MQTT client id with --client)')
        .argument('<commandId>'))
        .option('--param <name=value>', 'a parameter of a dynamic command, typed as the command declares it (repeatable)', collect, [])
        .option('--timeout <seconds>', 'executionTimeoutSeconds (default: the service default, 10)')
        .option('--client', 'the target is an MQTT client id, not a thing')
        .option('--poll <ms>', 'milliseconds between two GetCommandExecution calls', '200')
        .action(action(async (target, commandId, flags) => {
        const iot = await iotClient(flags);
        const command = await iot.send(new GetCommandCommand({ commandId }));
        const types = new Map((command.mandatoryParameters ?? []).map((p) => [p.name, p.type]));
        const parameters = {};
        for (const p of flags.param) {
            const eq = p.indexOf('=');
            if (eq < 1)
                throw new UsageError(`--param must be name=value, got ${p}`);
            const name = p.slice(0, eq);
            parameters[name] = parameterValue(name, p.slice(eq + 1), types.get(name));
        }
        const timeout = flags.timeout === undefined ? undefined : Number(flags.timeout);
        if (timeout !== undefined && !(Number.isInteger(timeout) && timeout >= 1))
            throw new UsageError(`--timeout must be a whole number of seconds, got ${flags.timeout}`);
        const poll = Number(flags.poll);
        if (!(poll > 0))
            throw new UsageError(`--poll must be a positive number of milliseconds, got ${flags.poll}`);
        const region = await iot.config.region();
        const account = command.commandArn.split(':')[4];
        const targetArn = `arn:aws:iot:${region}:${account}:${flags.client ? 'client' : 'thing'}/${target}`;
        const endpoint = await customEndpoint(iot);
        // iot-jobs serves both planes on one endpoint; on AWS the jobs data plane has its own.
        const dataEndpoint = endpoint?.href ?? `https://${(await iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Jobs' }))).endpointAddress}`;
        const data = new IoTJobsDataPlaneClient({ endpoint: dataEndpoint, region, credentials: iot.config.credentials });
        const { executionId } = await data.send(new StartCommandExecutionCommand({ commandArn: command.commandArn, targetArn, ...(Object.keys(parameters).length ? { parameters } : {}), ...(timeout ? { executionTimeoutSeconds: timeout } : {}) }));
        data.destroy();
        let ex;
        for (;;) {
            ex = await iot.send(new GetCommandExecutionCommand({ executionId, targetArn, includeResult: true }));
            if (!OPEN.has(ex.status ?? ''))
                break;
            await sleep(poll);
        }
        const result = Object.fromEntries(Object.entries(ex.result ?? {}).map(([k, v]) => [k, v.S ?? v.B ?? (v.BIN ? Buffer.from(v.BIN).toString('base64') : undefined)]));
        if (flags.output === 'json')
            printJson({ ...ex, result: ex.result ? result : undefined });
        else
            process.stdout.write(`${details([
                ['executionId', ex.executionId],
                ['target', ex.targetArn],
                ['status', ex.status],
                ['statusReason', ex.statusReason ? `${ex.statusReason.reasonCode}${ex.statusReason.reasonDescription ? `: ${ex.statusReason.reasonDescription}` : ''}` : undefined],
                ...Object.entries(result).map(([k, v]) => [`result.${k}`, v]),
                ['completedAt', ex.completedAt],
            ])}\n`);
        iot.destroy();
        if (ex.status !== 'SUCCEEDED')
            process.exitCode = 1;
    }));
}
//# sourceMappingURL=commands.js.map