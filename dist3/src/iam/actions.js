import { jobArn, jobTemplateArn, managedTemplateArn, thingArn, thingGroupArn, thingTypeArn } from '../domain/arn.js';
/** aws:RequestTag/<k> for each tag the request sets, and aws:TagKeys. */
function tagContext(tags) {
    if (!tags)
        return undefined;
    const list = Array.isArray(tags) ? tags : Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    if (list.length === 0)
        return undefined;
    const ctx = { 'aws:TagKeys': list.map((t) => t.Key) };
    for (const t of list)
        ctx[`aws:RequestTag/${t.Key}`] = t.Value ?? '';
    return ctx;
}
const iot = (op) => `iot:${op}`;
const check = (action, resources, context) => ({
    action,
    resources: resources.filter((r) => typeof r === 'string' && r !== ''),
    ...(context && { context }),
});
/** A create operation that may carry tags: the create itself, then iot:TagResource on the new resource. */
const creating = (op, created, others = () => [], tags = (i) => i.tags) => (i, s) => {
    const ctx = tagContext(tags(i));
    const arn = created(i, s);
    const checks = [check(iot(op), [arn, ...others(i, s)], ctx)];
    if (ctx)
        checks.push(check('iot:TagResource', [arn], ctx));
    return checks;
};
const on = (op, resources) => (i, s) => [check(iot(op), resources(i, s))];
const job = (i, s) => jobArn(s, i.jobId);
const thing = (i, s) => thingArn(s, i.thingName);
const group = (i, s) => thingGroupArn(s, i.thingGroupName);
const template = (i, s) => jobTemplateArn(s, i.jobTemplateId);
const thingType = (i, s) => thingTypeArn(s, i.thingTypeName);
const targets = (i) => (Array.isArray(i.targets) ? i.targets : []);
const arnOf = (s, type, name) => (name ? `arn:aws:iot:${s.region}:${s.accountId}:${type}/${name}` : undefined);
/** A principal or target given as an ARN (a Cognito identity id is not a resource). */
const ifArn = (v) => (typeof v === 'string' && v.startsWith('arn:') ? v : undefined);
const cert = (i, s) => arnOf(s, 'cert', i.certificateId);
const policyArn = (i, s) => arnOf(s, 'policy', i.policyName);
const command = (i, s) => arnOf(s, 'command', i.commandId);
/** Fleet indexing's one thing index unless another is named. */
const index = (i, s) => arnOf(s, 'index', i.indexName ?? 'AWS_Things');
const groupsNamed = (names, s) => (Array.isArray(names) ? names.map((n) => thingGroupArn(s, n)) : []);
const CONTROL = {
    CreateJob: creating('CreateJob', job, (i) => [...targets(i), i.jobTemplateArn]),
    AssociateTargetsWithJob: on('AssociateTargetsWithJob', (i, s) => [job(i, s), ...targets(i)]),
    DescribeJob: on('DescribeJob', (i, s) => [job(i, s)]),
    UpdateJob: on('UpdateJob', (i, s) => [job(i, s)]),
    CancelJob: on('CancelJob', (i, s) => [job(i, s)]),
    DeleteJob: on('DeleteJob', (i, s) => [job(i, s)]),
    GetJobDocument: on('GetJobDocument', (i, s) => [job(i, s)]),
    ListJobExecutionsForJob: on('ListJobExecutionsForJob', (i, s) => [job(i, s)]),
    DescribeJobExecution: on('DescribeJobExecution', (i, s) => [job(i, s), thing(i, s)]),
    CancelJobExecution: on('CancelJobExecution', (i, s) => [job(i, s), thing(i, s)]),
    DeleteJobExecution: on('DeleteJobExecution', (i, s) => [job(i, s), thing(i, s)]),
    ListJobExecutionsForThing: on('ListJobExecutionsForThing', (i, s) => [thing(i, s)]),
    CreateJobTemplate: creating('CreateJobTemplate', template, (i) => [i.jobArn]),
    DescribeJobTemplate: on('DescribeJobTemplate', (i, s) => [template(i, s)]),
    DeleteJobTemplate: on('DeleteJobTemplate', (i, s) => [template(i, s)]),
    DescribeManagedJobTemplate: on('DescribeManagedJobTemplate', (i, s) => [
        i.templateVersion ? managedTemplateArn(s, i.templateName, i.templateVersion) : `arn:aws:iot:${s.region}::jobtemplate/${i.templateName}`,
    ]),
    TagResource: (i) => [check('iot:TagResource', [i.resourceArn], tagContext(i.tags))],
    UntagResource: (i) => [check('iot:UntagResource', [i.resourceArn], Array.isArray(i.tagKeys) && i.tagKeys.length ? { 'aws:TagKeys': i.tagKeys } : undefined)],
    ListTagsForResource: on('ListTagsForResource', (i) => [i.resourceArn]),
    CreateThing: on('CreateThing', (i, s) => [thing(i, s)]),
    DescribeThing: on('DescribeThing', (i, s) => [thing(i, s)]),
    UpdateThing: on('UpdateThing', (i, s) => [thing(i, s)]),
    DeleteThing: on('DeleteThing', (i, s) => [thing(i, s)]),
    CreateThingGroup: creating('CreateThingGroup', group),
    DescribeThingGroup: on('DescribeThingGroup', (i, s) => [group(i, s)]),
    UpdateThingGroup: on('UpdateThingGroup', (i, s) => [group(i, s)]),
    DeleteThingGroup: on('DeleteThingGroup', (i, s) => [group(i, s)]),
    ListThingsInThingGroup: on('ListThingsInThingGroup', (i, s) => [group(i, s)]),
    ListThingGroupsForThing: on('ListThingGroupsForThing', (i, s) => [thing(i, s)]),
    AddThingToThingGroup: on('AddThingToThingGroup', (i, s) => [i.thingGroupArn ?? (i.thingGroupName && group(i, s)), i.thingArn ?? (i.thingName && thing(i, s))]),
    RemoveThingFromThingGroup: on('RemoveThingFromThingGroup', (i, s) => [i.thingGroupArn ?? (i.thingGroupName && group(i, s)), i.thingArn ?? (i.thingName && thing(i, s))]),
    UpdateThingGroupsForThing: on('UpdateThingGroupsForThing', (i, s) => [thing(i, s), ...groupsNamed(i.thingGroupsToAdd, s), ...groupsNamed(i.thingGroupsToRemove, s)]),
    CreateThingType: creating('CreateThingType', thingType),
    DescribeThingType: on('DescribeThingType', (i, s) => [thingType(i, s)]),
    DeprecateThingType: on('DeprecateThingType', (i, s) => [thingType(i, s)]),
    DeleteThingType: on('DeleteThingType', (i, s) => [thingType(i, s)]),
    // The perimeter (certificates, IoT policies, indexing, dynamic groups, commands): perimeter.md §5.1.
    DescribeCertificate: on('DescribeCertificate', (i, s) => [cert(i, s)]),
    UpdateCertificate: on('UpdateCertificate', (i, s) => [cert(i, s)]),
    DeleteCertificate: on('DeleteCertificate', (i, s) => [cert(i, s)]),
    AttachThingPrincipal: (i, s) => [check('iot:AttachThingPrincipal', [ifArn(i.principal)], { 'iot:thingArn': thing(i, s) })],
    DetachThingPrincipal: (i, s) => [check('iot:DetachThingPrincipal', [ifArn(i.principal)], { 'iot:thingArn': thing(i, s) })],
    ListThingPrincipals: on('ListThingPrincipals', (i, s) => [thing(i, s)]),
    ListThingPrincipalsV2: on('ListThingPrincipalsV2', (i, s) => [thing(i, s)]),
    GetThingConnectivityData: on('GetThingConnectivityData', (i, s) => [thing(i, s)]),
    ListPrincipalThings: on('ListPrincipalThings', (i) => [ifArn(i.principal)]),
    ListPrincipalThingsV2: on('ListPrincipalThingsV2', (i) => [ifArn(i.principal)]),
    CreatePolicy: creating('CreatePolicy', (i, s) => policyArn(i, s)),
    ...Object.fromEntries(['CreatePolicyVersion', 'GetPolicy', 'GetPolicyVersion', 'ListPolicyVersions', 'SetDefaultPolicyVersion', 'DeletePolicy', 'DeletePolicyVersion', 'ListTargetsForPolicy'].map((op) => [op, on(op, (i, s) => [policyArn(i, s)])])),
    AttachPolicy: on('AttachPolicy', (i) => [ifArn(i.target)]),
    DetachPolicy: on('DetachPolicy', (i) => [ifArn(i.target)]),
    GetEffectivePolicies: on('GetEffectivePolicies', (i) => [ifArn(i.principal)]),
    TestAuthorization: on('TestAuthorization', (i) => [ifArn(i.principal)]),
    ...Object.fromEntries(['SearchIndex', 'DescribeIndex', 'GetStatistics', 'GetCardinality', 'GetPercentiles', 'GetBucketsAggregation'].map((op) => [op, on(op, (i, s) => [index(i, s)])])),
    CreateDynamicThingGroup: creating('CreateDynamicThingGroup', group),
    UpdateDynamicThingGroup: on('UpdateDynamicThingGroup', (i, s) => [group(i, s)]),
    DeleteDynamicThingGroup: on('DeleteDynamicThingGroup', (i, s) => [group(i, s)]),
    RegisterCACertificate: (i) => [check('iot:RegisterCACertificate', [], tagContext(i.tags))],
    CreateCommand: creating('CreateCommand', (i, s) => command(i, s)),
    GetCommand: on('GetCommand', (i, s) => [command(i, s)]),
    UpdateCommand: on('UpdateCommand', (i, s) => [command(i, s)]),
    DeleteCommand: on('DeleteCommand', (i, s) => [command(i, s)]),
    GetCommandExecution: on('GetCommandExecution', (i) => [ifArn(i.targetArn)]),
    DeleteCommandExecution: on('DeleteCommandExecution', (i) => [ifArn(i.targetArn)]),
    ListCommandExecutions: on('ListCommandExecutions', (i) => [ifArn(i.commandArn), ifArn(i.targetArn)]),
};
/** The data plane: iotjobsdata:<Operation> on the thing; iot:JobId where the reference lists it. */
const DATA = {
    DescribeJobExecution: (i, s) => [check('iotjobsdata:DescribeJobExecution', [thing(i, s)], { 'iot:JobId': i.jobId })],
    GetPendingJobExecutions: (i, s) => [check('iotjobsdata:GetPendingJobExecutions', [thing(i, s)])],
    StartNextPendingJobExecution: (i, s) => [check('iotjobsdata:StartNextPendingJobExecution', [thing(i, s)])],
    UpdateJobExecution: (i, s) => [check('iotjobsdata:UpdateJobExecution', [thing(i, s)], { 'iot:JobId': i.jobId })],
    // Served on the jobs data endpoint, authorized as an iot: action [documented, SAR].
    StartCommandExecution: (i) => [check('iot:StartCommandExecution', [ifArn(i.commandArn), ifArn(i.targetArn)])],
};
/** The checks an HTTP request must pass; `*` as the resource where the reference lists none. */
export function checksFor(service, operation, input, scope) {
    const rule = (service === 'iot' ? CONTROL : DATA)[operation];
    const checks = rule ? rule(input, scope) : [check(`${service === 'iot' ? 'iot' : 'iotjobsdata'}:${operation}`, [])];
    for (const c of checks)
        if (c.resources.length === 0)
            c.resources.push('*');
    return checks;
}
/** The operations the table names, for docs and tests. */
export const AUTHORIZED_OPERATIONS = { iot: Object.keys(CONTROL), 'iot-jobs-data': Object.keys(DATA) };
/** iot-jobs's own routes: the clock, and its S3 with S3's own actions. */
export const clockCheck = (method) => check(method === 'GET' ? 'iotjobs:GetClock' : 'iotjobs:SetClock', ['*']);
export const s3Check = (method, bucket, key) => check(method === 'PUT' ? 's3:PutObject' : 's3:GetObject', [`arn:aws:s3:::${bucket}/${key}`]);
/**
 * Application MQTT clients (IAM users on a SigV4 WebSocket): the action and resource of each packet,
 * as AWS authorizes IAM identities on MQTT (perimeter.md §5.2). Pass the result to Iam.authorize
 * with `iot:ClientId` in the context.
 */
export function mqttCheck(s, packet, name) {
    const [action, type] = { connect: ['iot:Connect', 'client'], publish: ['iot:Publish', 'topic'], subscribe: ['iot:Subscribe', 'topicfilter'], receive: ['iot:Receive', 'topic'] }[packet];
    return check(action, [arnOf(s, type, name)]);
}
//# sourceMappingURL=actions.js.map