import { pino } from 'pino';
import { describeStatement } from '../domain/policy/index.js';
import { accessDenied, Iam } from '../iam/iam.js';
import { IamFileError } from '../iam/users.js';
const collect = (value, previous = []) => [...previous, value];
/** KEY=VALUE pairs; a key given twice is a multi-valued key (aws:TagKeys). */
function parseContext(pairs) {
    const out = {};
    for (const p of pairs) {
        const eq = p.indexOf('=');
        if (eq <= 0)
            throw new IamFileError(`--context must look like KEY=VALUE, not '${p}'`);
        const k = p.slice(0, eq);
        const v = p.slice(eq + 1);
        const prev = out[k];
        out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return out;
}
/**
 * `iot-jobs iam check`: the policy simulator. It reads the users file as `serve` would and prints
 * the decision and the statement that made it; exit 0 allowed, 1 denied, 2 a bad file or flag.
 */
export function addIamCommands(program, die) {
    const iam = program.command('iam').description('IAM users and policies of --iam-policies');
    iam
        .command('check')
        .description('decide one request as the server would: prints allowed/denied and the deciding statement (exit 0 allowed, 1 denied)')
        .option('--iam-policies <file>', 'the users file (env IOT_JOBS_IAM_POLICIES)')
        .option('--account-id <id>', 'account in the user ARN (env IOT_JOBS_ACCOUNT_ID; default 000000000000)')
        .requiredOption('--user <name>', 'user of the file')
        .requiredOption('--action <action>', 'e.g. iot:CreateJob')
        .option('--resource <arn>', 'resource ARN, repeatable (every one must be allowed); default *', collect)
        .option('--context <key=value>', 'condition key, repeatable (a key twice makes a set), e.g. aws:RequestTag/team=fw', collect)
        .action((f) => {
        const file = f.iamPolicies ?? process.env.IOT_JOBS_IAM_POLICIES;
        if (!file)
            die('--iam-policies FILE (or IOT_JOBS_IAM_POLICIES) is required', 2);
        const accountId = f.accountId ?? process.env.IOT_JOBS_ACCOUNT_ID ?? '000000000000';
        let set;
        let context;
        try {
            set = new Iam(file, accountId, pino({ level: 'silent' }));
            context = parseContext(f.context ?? []);
        }
        catch (err) {
            if (err instanceof IamFileError)
                die(err.message, 2);
            throw err;
        }
        const user = set.userByName(f.user);
        if (!user)
            die(`no user ${f.user} in ${file}`, 2);
        const resources = f.resource?.length ? f.resource : ['*'];
        // The wall clock on purpose: no server, so no injected clock; --context aws:CurrentTime=... overrides it.
        const d = set.decide(user, f.action, resources, { 'aws:CurrentTime': new Date().toISOString(), ...context });
        const lines = [`${d.allowed ? 'ALLOWED' : d.kind === 'explicitDeny' ? 'DENIED (explicit deny)' : 'DENIED (no statement allows it)'}: ${user.arn} ${f.action} on ${resources.join(', ')}`];
        if (d.statement)
            lines.push(`  statement: ${describeStatement(d.statement)}`);
        if (d.allowedBy && d.allowedBy.length > 1)
            for (const a of d.allowedBy)
                lines.push(`    ${a.resource}: ${describeStatement(a.statement)}`);
        if (!d.allowed) {
            lines.push(`  needed: ${d.needed}`);
            lines.push(`  the API answers: 403 AccessDeniedException ${JSON.stringify(accessDenied(user, d).message)}`);
        }
        process.stdout.write(lines.join('\n') + '\n');
        process.exitCode = d.allowed ? 0 : 1;
    });
}
//# sourceMappingURL=iam.js.map