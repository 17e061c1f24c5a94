import { models } from '../model/index.js';
/**
 * Quota profiles: AWS's documented request rates and job quotas (`--quotas aws`), or a JSON file of
 * the same form (`--quotas FILE`). `iot-jobs quotas show aws` prints the built-in one in that form.
 * Sources: docs/compatibility.md#throttling-and-quotas (AWS IoT limits page of 2019 [LIM19], the
 * AWS IoT Jobs limits page [JLIM]); a number AWS does not publish is marked `unknown` in `source`.
 */
const LIM19 = 'documented: AWS IoT limits page (2019)';
const UNKNOWN = 'unknown: AWS publishes no current number; iot-jobs uses 10/s, the rate LIM19 gives most control-plane APIs';
/** The jobs control-plane APIs LIM19 gives 10 TPS each. */
const JOBS_10 = [
    'CreateJob', 'CancelJob', 'CancelJobExecution', 'DeleteJob', 'DeleteJobExecution', 'DescribeJob', 'DescribeJobExecution',
    'GetJobDocument', 'ListJobExecutionsForJob', 'ListJobExecutionsForThing', 'ListJobs', 'UpdateJob', 'AssociateTargetsWithJob',
];
const DOCUMENTED = {
    ...Object.fromEntries(JOBS_10.map((op) => [op, 10])),
    DescribeThing: 350,
    DescribeThingGroup: 100,
    AddThingToThingGroup: 60,
    TagResource: 10,
    UntagResource: 10,
    ListTagsForResource: 10,
};
const entry = (rate, source, extra = {}) => ({ rate, burst: Math.max(1, rate), ...extra, source });
/** AWS's limits as documented (2019 numbers, the last published per API); unknown ones marked. */
export function awsProfile() {
    const rates = {};
    for (const op of Object.keys(models.iot.operations).sort()) {
        const n = DOCUMENTED[op];
        rates[`iot:${op}`] = n === undefined ? entry(10, UNKNOWN) : entry(n, LIM19);
    }
    rates['iot-jobs-data:read'] = entry(200, `${LIM19}: DescribeJobExecution and GetPendingJobExecutions together, per account`, {
        operations: ['iot-jobs-data:DescribeJobExecution', 'iot-jobs-data:GetPendingJobExecutions'],
    });
    rates['iot-jobs-data:write'] = entry(200, `${LIM19}: StartNextPendingJobExecution and UpdateJobExecution together, per account`, {
        operations: ['iot-jobs-data:StartNextPendingJobExecution', 'iot-jobs-data:UpdateJobExecution'],
    });
    // Commands' data plane: AWS publishes no rate that perimeter.md records.
    rates['iot-jobs-data:StartCommandExecution'] = entry(10, UNKNOWN);
    return {
        rates,
        jobs: {
            activeSnapshotJobs: { limit: 100, source: `${LIM19}; the current number is unknown` },
            activeContinuousJobs: { limit: 100, source: `${LIM19}; the current number is unknown` },
            concurrentJobs: { limit: 100, source: 'unknown: AWS publishes no number; iot-jobs uses 100, the 2019 active-jobs limit' },
            pendingListWithScheduling: { limit: 15, source: 'documented: AWS IoT Jobs limits page (10 without a scheduling configuration)' },
            pendingListInWindow: { limit: 5, source: 'documented: AWS IoT Jobs limits page (ListNotification during a maintenance window)' },
            documentPlaceholders: { limit: 10, source: 'documented: AWS IoT developer guide, substitution patterns per job document' },
        },
    };
}
export class ProfileError extends Error {
}
const JOB_QUOTAS = ['activeSnapshotJobs', 'activeContinuousJobs', 'concurrentJobs', 'pendingListWithScheduling', 'pendingListInWindow', 'documentPlaceholders'];
const SERVICES = ['iot', 'iot-jobs-data'];
function operationName(s, where) {
    const i = s.indexOf(':');
    const service = s.slice(0, i);
    if (i <= 0 || !SERVICES.includes(service) || !(s.slice(i + 1) in models[service].operations))
        throw new ProfileError(`${where}: '${s}' is not <signing service>:<Operation> of an operation iot-jobs serves (iot:DescribeJob, iot-jobs-data:UpdateJobExecution, ...)`);
    return s;
}
const positive = (v, where) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
        throw new ProfileError(`${where} must be a number above 0`);
    return v;
};
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Checks a profile file's JSON; fills in burst = max(1, rate) where it is left out. */
export function parseProfile(json) {
    if (!isObject(json))
        throw new ProfileError('the quotas file must hold a JSON object with "rates" (and optionally "jobs")');
    for (const k of Object.keys(json))
        if (k !== 'rates' && k !== 'jobs')
            throw new ProfileError(`unknown section '${k}' (expected "rates", "jobs")`);
    const rates = {};
    // An operation draws from at most one account bucket and one thing bucket.
    const claimed = new Map();
    const rawRates = json.rates ?? {};
    if (!isObject(rawRates))
        throw new ProfileError('"rates" must be an object');
    for (const [name, raw] of Object.entries(rawRates)) {
        const where = `rates["${name}"]`;
        if (!isObject(raw))
            throw new ProfileError(`${where} must be an object with "rate" (and optionally "burst")`);
        for (const k of Object.keys(raw))
            if (!['rate', 'burst', 'operations', 'per', 'source'].includes(k))
                throw new ProfileError(`${where}: unknown member '${k}'`);
        const rate = positive(raw.rate, `${where}.rate`);
        const burst = raw.burst === undefined ? Math.max(1, rate) : positive(raw.burst, `${where}.burst`);
        if (burst < 1)
            throw new ProfileError(`${where}.burst must be at least 1`);
        const per = raw.per ?? 'account';
        if (per !== 'account' && per !== 'thing')
            throw new ProfileError(`${where}.per must be "account" or "thing"`);
        let operations;
        if (raw.operations !== undefined) {
            if (!Array.isArray(raw.operations) || raw.operations.length === 0)
                throw new ProfileError(`${where}.operations must be a list of <signing service>:<Operation>`);
            if (!/^(iot|iot-jobs-data):[A-Za-z0-9-]+$/.test(name))
                throw new ProfileError(`${where}: a group's name must look like <signing service>:<name>`);
            operations = raw.operations.map((o, i) => operationName(String(o), `${where}.operations[${i}]`));
        }
        else
            operationName(name, where);
        if (raw.source !== undefined && typeof raw.source !== 'string')
            throw new ProfileError(`${where}.source must be a string`);
        for (const op of operations ?? [name]) {
            const key = `${per} ${op}`;
            if (claimed.has(key))
                throw new ProfileError(`${op} is limited per ${per} by both ${claimed.get(key)} and ${name}`);
            claimed.set(key, name);
        }
        rates[name] = { rate, burst, ...(operations ? { operations } : {}), ...(per === 'thing' ? { per } : {}), ...(raw.source ? { source: raw.source } : {}) };
    }
    const jobs = {};
    const rawJobs = json.jobs ?? {};
    if (!isObject(rawJobs))
        throw new ProfileError('"jobs" must be an object');
    for (const [k, raw] of Object.entries(rawJobs)) {
        if (!JOB_QUOTAS.includes(k))
            throw new ProfileError(`jobs: unknown quota '${k}' (expected ${JOB_QUOTAS.join(', ')})`);
        if (!isObject(raw) || typeof raw.limit !== 'number' || !Number.isInteger(raw.limit) || raw.limit < 0)
            throw new ProfileError(`jobs.${k} must be {"limit": <whole number>}`);
        if (k.startsWith('pendingList') && (raw.limit < 1 || raw.limit > 100))
            throw new ProfileError(`jobs.${k}.limit must be from 1 to 100`);
        jobs[k] = { limit: raw.limit, ...(typeof raw.source === 'string' ? { source: raw.source } : {}) };
    }
    return { rates, jobs };
}
/** The profile as `--quotas FILE` takes it, two-space indented. */
export const profileText = (p) => `${JSON.stringify(p, null, 2)}\n`;
//# sourceMappingURL=profile.js.map