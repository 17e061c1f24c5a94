#!/usr/bin/env node
// Writes the trimmed AWS models that iot-jobs serves into src/model/: the served operations and
// every shape they reach, plus all error shapes (errors resolve service-wide), with no documentation.
// Usage: node scripts/gen-model.mjs [path/to/shared/spec]
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const specDir = process.argv[2] ?? join(root, '..', 'shared', 'spec');

const SERVED = {
  'iot-service-2.json': {
    out: 'iot.json',
    operations: [
      'CreateThing', 'DescribeThing', 'ListThings', 'UpdateThing', 'DeleteThing',
      'CreateThingGroup', 'DescribeThingGroup', 'ListThingGroups', 'UpdateThingGroup', 'DeleteThingGroup',
      'AddThingToThingGroup', 'RemoveThingFromThingGroup', 'ListThingsInThingGroup', 'ListThingGroupsForThing',
      'CreateJob', 'DescribeJob', 'ListJobs', 'UpdateJob', 'CancelJob', 'DeleteJob', 'GetJobDocument',
      'AssociateTargetsWithJob', 'DescribeJobExecution', 'ListJobExecutionsForJob', 'ListJobExecutionsForThing',
      'CancelJobExecution', 'DeleteJobExecution', 'DescribeEndpoint', 'TagResource', 'UntagResource', 'ListTagsForResource',
      'CreateJobTemplate', 'DescribeJobTemplate', 'ListJobTemplates', 'DeleteJobTemplate',
      'ListManagedJobTemplates', 'DescribeManagedJobTemplate',
      'CreateThingType', 'DescribeThingType', 'ListThingTypes', 'DeprecateThingType', 'DeleteThingType',
      'UpdateThingGroupsForThing',
      'UpdateEventConfigurations', 'DescribeEventConfigurations',
      'UpdateIndexingConfiguration', 'GetIndexingConfiguration', 'DescribeIndex', 'ListIndices', 'SearchIndex',
      'GetStatistics', 'GetCardinality', 'GetBucketsAggregation',
      'CreateDynamicThingGroup', 'UpdateDynamicThingGroup', 'DeleteDynamicThingGroup',
      'CreateCommand', 'GetCommand', 'ListCommands', 'UpdateCommand', 'DeleteCommand',
      'GetCommandExecution', 'ListCommandExecutions', 'DeleteCommandExecution',
      'CreateKeysAndCertificate', 'CreateCertificateFromCsr', 'GetRegistrationCode', 'RegisterCACertificate',
      'RegisterCertificate', 'RegisterCertificateWithoutCA', 'DescribeCertificate', 'ListCertificates', 'ListCertificatesByCA',
      'DescribeCACertificate', 'ListCACertificates', 'UpdateCACertificate', 'UpdateCertificate', 'DeleteCertificate',
      'DeleteCACertificate', 'AttachThingPrincipal', 'DetachThingPrincipal', 'ListThingPrincipals', 'ListThingPrincipalsV2',
      'ListPrincipalThings', 'ListPrincipalThingsV2',
      'CreatePolicy', 'GetPolicy', 'ListPolicies', 'DeletePolicy', 'CreatePolicyVersion', 'GetPolicyVersion',
      'ListPolicyVersions', 'SetDefaultPolicyVersion', 'DeletePolicyVersion', 'AttachPolicy', 'DetachPolicy',
      'ListAttachedPolicies', 'ListTargetsForPolicy', 'GetEffectivePolicies',
    ],
  },
  'iot-jobs-data-service-2.json': {
    out: 'iot-jobs-data.json',
    operations: ['DescribeJobExecution', 'GetPendingJobExecutions', 'StartNextPendingJobExecution', 'UpdateJobExecution', 'StartCommandExecution'],
  },
};

const KEEP_SHAPE_KEYS = ['type', 'members', 'required', 'member', 'key', 'value', 'min', 'max', 'pattern', 'enum', 'error', 'exception', 'timestampFormat', 'payload'];
const KEEP_MEMBER_KEYS = ['shape', 'location', 'locationName', 'idempotencyToken', 'timestampFormat', 'jsonvalue'];
const pick = (o, keys) => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

for (const [file, { out, operations }] of Object.entries(SERVED)) {
  const model = JSON.parse(readFileSync(join(specDir, file), 'utf8'));
  const shapes = {};
  const visit = (name) => {
    if (!name || shapes[name]) return;
    const s = model.shapes[name];
    if (!s) throw new Error(`${file}: missing shape ${name}`);
    const t = pick(s, KEEP_SHAPE_KEYS);
    if (s.members) t.members = Object.fromEntries(Object.entries(s.members).map(([m, d]) => [m, pick(d, KEEP_MEMBER_KEYS)]));
    if (s.member) t.member = pick(s.member, KEEP_MEMBER_KEYS);
    if (s.key) t.key = pick(s.key, KEEP_MEMBER_KEYS);
    if (s.value) t.value = pick(s.value, KEEP_MEMBER_KEYS);
    shapes[name] = t;
    for (const d of Object.values(s.members ?? {})) visit(d.shape);
    for (const k of ['member', 'key', 'value']) if (s[k]) visit(s[k].shape);
  };
  const ops = {};
  for (const op of operations) {
    const o = model.operations[op];
    if (!o) throw new Error(`${file}: missing operation ${op}`);
    ops[op] = pick(o, ['name', 'http', 'input', 'output', 'errors']);
    ops[op].errors = (o.errors ?? []).map((e) => ({ shape: e.shape }));
    visit(o.input?.shape);
    visit(o.output?.shape);
  }
  for (const [name, s] of Object.entries(model.shapes)) if (s.exception) visit(name);
  const trimmed = {
    metadata: pick(model.metadata, ['apiVersion', 'endpointPrefix', 'protocol', 'serviceId', 'signingName']),
    operations: ops,
    shapes: Object.fromEntries(Object.entries(shapes).sort(([a], [b]) => a.localeCompare(b))),
  };
  writeFileSync(join(root, 'src', 'model', out), JSON.stringify(trimmed, null, 1) + '\n');
  console.log(`${out}: ${Object.keys(ops).length} operations, ${Object.keys(shapes).length} shapes`);
}
