import { spawn } from 'node:child_process';
import { CLI } from './process.js';
import { CREDENTIALS, REGION } from './harness.js';
/** The environment an operator has after `export AWS_...`: the AWS CLI's variables, nothing else of AWS. */
export function awsEnv(url, more = {}) {
    const env = { ...process.env };
    for (const k of Object.keys(env))
        if (k.startsWith('AWS_'))
            delete env[k];
    return {
        ...env,
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        AWS_REGION: REGION,
        // Keeps a developer's own ~/.aws out of the tests.
        AWS_CONFIG_FILE: '/nonexistent/config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
        ...(url ? { AWS_ENDPOINT_URL: url } : {}),
        ...more,
    };
}
/** Starts `node dist/src/cli/main.js ARGS` as a real child process. */
export function startCli(args, env) {
    return startProcess(process.execPath, [CLI, ...args], env);
}
/** Runs a shell command under script(1), on a pseudo-terminal: its stdout is what a terminal would show. */
export function startOnTerminal(command, env) {
    return startProcess('script', ['-qfec', command, '/dev/null'], env);
}
function startProcess(file, args, env) {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    const listeners = [];
    child.stdout.on('data', (b) => ((out.stdout += b.toString()), listeners.forEach((l) => l())));
    child.stderr.on('data', (b) => ((out.stderr += b.toString()), listeners.forEach((l) => l())));
    const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    return {
        child,
        stdout: () => out.stdout,
        stderr: () => out.stderr,
        exited,
        waitFor(re, ms = 30_000, stream = 'stdout') {
            return new Promise((resolve, reject) => {
                let settled = false;
                const settle = (fn) => {
                    if (settled)
                        return;
                    settled = true;
                    clearTimeout(timer);
                    const i = listeners.indexOf(check);
                    if (i >= 0)
                        listeners.splice(i, 1);
                    fn();
                };
                const tail = () => `\nstdout: ${out.stdout.slice(-3000)}\nstderr: ${out.stderr.slice(-3000)}`;
                const check = () => {
                    const line = out[stream].split('\n').find((l) => re.test(l));
                    if (line !== undefined)
                        settle(() => resolve(line));
                };
                const timer = setTimeout(() => settle(() => reject(new Error(`no ${stream} line matching ${re} within ${ms} ms${tail()}`))), ms);
                listeners.push(check);
                check();
                void exited.then(() => {
                    check();
                    settle(() => reject(new Error(`exited before a ${stream} line matched ${re}${tail()}`)));
                });
            });
        },
    };
}
/** Runs the CLI to its end (killing it after `ms`). */
export async function runCli(args, env, ms = 30_000) {
    const run = startCli(args, env);
    const timer = setTimeout(() => run.child.kill('SIGKILL'), ms);
    const { code } = await run.exited;
    clearTimeout(timer);
    return { code, stdout: run.stdout(), stderr: run.stderr() };
}
//# sourceMappingURL=cli.js.map