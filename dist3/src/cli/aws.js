import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { IoTClient } from '@aws-sdk/client-iot';
import { Option } from 'commander';
export function withAwsOptions(cmd) {
    return cmd
        .option('--endpoint-url <url>', 'the iot-jobs (or AWS IoT) endpoint; else AWS_ENDPOINT_URL_IOT, AWS_ENDPOINT_URL or the profile\'s endpoint_url')
        .option('--region <region>', 'signing region; else AWS_REGION, AWS_DEFAULT_REGION or the profile\'s region')
        .option('--profile <name>', 'a profile of ~/.aws/config and ~/.aws/credentials; else AWS_PROFILE or default')
        .addOption(new Option('--output <format>', 'table for people, json for scripts').choices(['table', 'json']).default('table'));
}
/** Where the commands go when no endpoint is configured: the local server `iot-jobs serve` starts. */
export const LOCAL_ENDPOINT = 'http://127.0.0.1:7020';
/**
 * An IoT control-plane client resolved as the AWS CLI resolves one: the flag, then the environment,
 * then the shared config files, with the SDK's own default credential chain (env keys, profile,
 * SSO, credential_process, web identity, container and instance metadata). With no endpoint
 * configured anywhere it goes to the local server, not to AWS: a command typed in the quick-start
 * shell must never reach a real account. A region configured nowhere is us-east-1; with no keys in
 * the environment, no profile named and no shared files, the credentials are the development pair.
 */
export async function iotClient(flags) {
    // --profile overrides AWS_PROFILE for every part of the SDK's resolution (credentials, region,
    // endpoint_url), as in the AWS CLI; the endpoint_url lookup reads only the environment's profile.
    if (flags.profile)
        process.env.AWS_PROFILE = flags.profile;
    // The SDK's notice that its releases after January 2027 need Node 22 would precede every output.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const env = process.env;
    // The AWS CLI also reads AWS_DEFAULT_REGION; the JavaScript SDK reads only AWS_REGION and the profile.
    const region = flags.region ?? (env.AWS_REGION ? undefined : env.AWS_DEFAULT_REGION);
    const base = {
        ...(region ? { region } : {}),
        ...(flags.profile ? { profile: flags.profile } : {}),
    };
    const probe = new IoTClient(base);
    const configured = flags.endpointUrl ?? (await customEndpoint(probe))?.toString();
    const hasRegion = await probe.config.region().then(Boolean, () => false);
    probe.destroy();
    const sharedFiles = [env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config'), env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials')];
    const hasKeys = env.AWS_ACCESS_KEY_ID !== undefined || env.AWS_PROFILE !== undefined || sharedFiles.some((f) => existsSync(f));
    return new IoTClient({
        ...base,
        endpoint: configured ?? LOCAL_ENDPOINT,
        ...(hasRegion ? {} : { region: 'us-east-1' }),
        ...(hasKeys ? {} : { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    });
}
/** The endpoint, region and credentials a client resolved to, for requests the SDK has no command for. */
export async function resolved(client) {
    const url = (await customEndpoint(client))?.toString() ?? LOCAL_ENDPOINT;
    const region = await client.config.region();
    const c = await client.config.credentials();
    return { url, region, credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken } };
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