import { IoTClient } from '@aws-sdk/client-iot';
import { Option } from 'commander';
export function withAwsOptions(cmd) {
    return cmd
        .option('--endpoint-url <url>', 'the iot-jobs (or AWS IoT) endpoint; else AWS_ENDPOINT_URL_IOT, AWS_ENDPOINT_URL or the profile\'s endpoint_url')
        .option('--region <region>', 'signing region; else AWS_REGION, AWS_DEFAULT_REGION or the profile\'s region')
        .option('--profile <name>', 'a profile of ~/.aws/config and ~/.aws/credentials; else AWS_PROFILE or default')
        .addOption(new Option('--output <format>', 'table for people, json for scripts').choices(['table', 'json']).default('table'));
}
/**
 * An IoT control-plane client resolved as the AWS CLI resolves one: the flag, then the environment,
 * then the shared config files, with the SDK's own default credential chain (env keys, profile,
 * SSO, credential_process, web identity, container and instance metadata).
 */
export function iotClient(flags) {
    // --profile overrides AWS_PROFILE for every part of the SDK's resolution (credentials, region,
    // endpoint_url), as in the AWS CLI; the endpoint_url lookup reads only the environment's profile.
    if (flags.profile)
        process.env.AWS_PROFILE = flags.profile;
    // The SDK's notice that its releases after January 2027 need Node 22 would precede every output.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    // The AWS CLI also reads AWS_DEFAULT_REGION; the JavaScript SDK reads only AWS_REGION and the profile.
    const region = flags.region ?? (process.env.AWS_REGION ? undefined : process.env.AWS_DEFAULT_REGION);
    return new IoTClient({
        ...(flags.endpointUrl ? { endpoint: flags.endpointUrl } : {}),
        ...(region ? { region } : {}),
        ...(flags.profile ? { profile: flags.profile } : {}),
    });
}
/** The endpoint URL the client sends to when one is configured (flag, env or profile); else undefined (AWS's own). */
export async function customEndpoint(client) {
    const config = client.config;
    if (!config.isCustomEndpoint) {
        const fromConfig = await config.serviceConfiguredEndpoint?.();
        return fromConfig ? new URL(fromConfig) : undefined;
    }
    const e = await config.endpoint();
    return new URL(`${e.protocol}//${e.hostname}${e.port ? `:${e.port}` : ''}${e.path ?? ''}`);
}
/** An operator command's failure: one line on stderr, exit code 1 (2 for bad usage). */
export class UsageError extends Error {
}
export function report(err) {
    const e = err;
    const text = err instanceof UsageError ? e.message : e.name && e.name !== 'Error' && !e.message.startsWith(e.name) ? `${e.name}: ${e.message}` : (e.message ?? String(err));
    process.stderr.write(`iot-jobs: error: ${text}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
}
/** Wraps a command action so that every failure is reported as one line. */
export function action(fn) {
    return (...args) => fn(...args).catch(report);
}
export function printJson(value) {
    process.stdout.write(`${JSON.stringify(value, (k, v) => (k === '$metadata' ? undefined : v), 2)}\n`);
}
//# sourceMappingURL=aws.js.map