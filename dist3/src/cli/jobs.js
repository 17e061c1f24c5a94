import { DescribeJobCommand, paginateListJobs } from '@aws-sdk/client-iot';
import { Option } from 'commander';
import { action, iotClient, printJson, UsageError, withAwsOptions } from './aws.js';
import { details, show, table } from './table.js';
import { watchJob } from './watch.js';
import { jobCounts } from './progress.js';
const STATUSES = ['IN_PROGRESS', 'CANCELED', 'COMPLETED', 'DELETION_IN_PROGRESS', 'SCHEDULED'];
/** `iot-jobs jobs list|show|watch`: the control plane's view of jobs, for operators. */
export function addJobsCommands(program) {
    const jobs = program.command('jobs').description('list, show and watch jobs (as the AWS CLI resolves endpoint and credentials)');
    withAwsOptions(jobs.command('list').description('list jobs, newest first (every page)'))
        .addOption(new Option('--status <status>', 'only jobs in this status').choices(STATUSES))
        .addOption(new Option('--target-selection <selection>', 'only SNAPSHOT or CONTINUOUS jobs').choices(['SNAPSHOT', 'CONTINUOUS']))
        .option('--thing-group-name <name>', 'only jobs that target this group')
        .option('--namespace-id <ns>', 'only jobs in this namespace')
        .option('--page-size <n>', 'jobs asked for per ListJobs call (all pages are read)')
        .action(action(async (flags) => {
        const pageSize = flags.pageSize === undefined ? undefined : Number(flags.pageSize);
        if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 250))
            throw new UsageError(`--page-size must be a whole number from 1 to 250, got ${flags.pageSize}`);
        const iot = await iotClient(flags);
        const input = {
            status: flags.status,
            targetSelection: flags.targetSelection,
            thingGroupName: flags.thingGroupName,
            namespaceId: flags.namespaceId,
        };
        const all = [];
        for await (const page of paginateListJobs({ client: iot, ...(pageSize ? { pageSize } : {}) }, input))
            all.push(...(page.jobs ?? []));
        if (flags.output === 'json')
            return printJson({ jobs: all });
        if (!all.length)
            return void process.stdout.write('no jobs\n');
        const rows = all.map((j) => [j.jobId ?? '', j.status ?? '', j.targetSelection ?? '', show(j.createdAt), j.completedAt ? show(j.completedAt) : '']);
        process.stdout.write(`${table(['JOB ID', 'STATUS', 'SELECTION', 'CREATED', 'COMPLETED'], rows)}\n`);
    }));
    withAwsOptions(jobs.command('show').description('describe one job: configuration and execution counts').argument('<jobId>'))
        .action(action(async (jobId, flags) => {
        const out = await (await iotClient(flags)).send(new DescribeJobCommand({ jobId }));
        if (flags.output === 'json')
            return printJson(out);
        const j = out.job ?? {};
        const configs = Object.entries(j).filter(([k]) => k.endsWith('Config') || k === 'schedulingConfig');
        process.stdout.write(`${details([
            ['jobId', j.jobId],
            ['status', j.status],
            ['targetSelection', j.targetSelection],
            ['targets', j.targets],
            ['description', j.description],
            ['namespaceId', j.namespaceId],
            ['forceCanceled', j.forceCanceled],
            ['reasonCode', j.reasonCode],
            ['comment', j.comment],
            ['createdAt', j.createdAt],
            ['lastUpdatedAt', j.lastUpdatedAt],
            ['completedAt', j.completedAt],
            ['documentSource', out.documentSource],
            ...configs,
        ])}\n`);
        process.stdout.write(`${table(['QUEUED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'REJECTED', 'TIMED_OUT', 'CANCELED', 'REMOVED'], [Object.values(jobCounts(j))])}\n`);
    }));
    withAwsOptions(jobs.command('watch').description('a live progress bar until the job completes, is canceled or is deleted').argument('<jobId>'))
        .option('--interval <seconds>', 'seconds between two DescribeJob calls', '1')
        .action(action(async (jobId, flags) => watchJob(await iotClient(flags), jobId, flags)));
}
//# sourceMappingURL=jobs.js.map