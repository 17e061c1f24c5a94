import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PolicySet, PolicyError } from '../../src/domain/policy/index.js';
/*
 * The engine against AWS's evaluation logic, case by case (IAM User Guide, "Policy evaluation logic"
 * and "IAM JSON policy elements: Condition operators"): an explicit Deny wins, every resource needs
 * an Allow, the default is deny; missing keys: positive operators false, negated operators true,
 * ...IfExists true, ForAnyValue false, ForAllValues true.
 */
const A = 'arn:aws:iot:us-east-1:123456789012';
const job = (id) => `${A}:job/${id}`;
const thing = (n) => `${A}:thing/${n}`;
const group = (n) => `${A}:thinggroup/${n}`;
const tmpl = (n) => `${A}:jobtemplate/${n}`;
const allow = (Action, Resource, extra = {}) => ({ Effect: 'Allow', Action, Resource, ...extra });
const denyS = (Action, Resource, extra = {}) => ({ Effect: 'Deny', Action, Resource, ...extra });
const policy = (...Statement) => ({ Version: '2012-10-17', Statement });
const cases = [
    // Actions: exact, case-insensitive, wildcards, NotAction.
    { name: 'exact action, exact resource', statements: [allow('iot:DescribeJob', job('j1'), { Sid: 'a' })], action: 'iot:DescribeJob', resources: [job('j1')], expect: 'allow', sid: 'a' },
    { name: 'action case-insensitive', statements: [allow('IOT:describejob', job('j1'))], action: 'iot:DescribeJob', resources: [job('j1')], expect: 'allow' },
    { name: 'other action not allowed', statements: [allow('iot:DescribeJob', job('j1'))], action: 'iot:DeleteJob', resources: [job('j1')], expect: 'implicitDeny', denied: job('j1') },
    { name: 'iot:Describe* covers DescribeJob', statements: [allow('iot:Describe*', '*')], action: 'iot:DescribeJob', resources: [job('j1')], expect: 'allow' },
    { name: 'iot:Describe* does not cover DeleteJob', statements: [allow('iot:Describe*', '*')], action: 'iot:DeleteJob', resources: [job('j1')], expect: 'implicitDeny' },
    { name: 'iot:* covers every iot action', statements: [allow('iot:*', '*')], action: 'iot:CancelJobExecution', resources: [job('j'), thing('t')], expect: 'allow' },
    { name: 'iot:* does not cover iotjobsdata', statements: [allow('iot:*', '*')], action: 'iotjobsdata:DescribeJobExecution', resources: [thing('t')], expect: 'implicitDeny' },
    { name: '"*" action covers everything', statements: [allow('*', '*')], action: 'iotjobsdata:UpdateJobExecution', resources: [thing('t')], expect: 'allow' },
    { name: '? matches one character in an action', statements: [allow('iot:?escribeJob', '*')], action: 'iot:DescribeJob', resources: ['*'], expect: 'allow' },
    { name: '? does not match two characters', statements: [allow('iot:?scribeJob', '*')], action: 'iot:DescribeJob', resources: ['*'], expect: 'implicitDeny' },
    { name: 'action list: any entry', statements: [allow(['iot:CancelJob', 'iot:DeleteJob'], job('*'))], action: 'iot:DeleteJob', resources: [job('x')], expect: 'allow' },
    { name: 'NotAction allows the rest', statements: [{ Effect: 'Allow', NotAction: 'iot:Delete*', Resource: '*' }], action: 'iot:CreateJob', resources: [job('x')], expect: 'allow' },
    { name: 'NotAction excludes its own', statements: [{ Effect: 'Allow', NotAction: 'iot:Delete*', Resource: '*' }], action: 'iot:DeleteJob', resources: [job('x')], expect: 'implicitDeny' },
    { name: 'Deny with NotAction denies every other action', statements: [allow('*', '*'), { Sid: 'onlyReads', Effect: 'Deny', NotAction: ['iot:Describe*', 'iot:List*'], Resource: '*' }], action: 'iot:DeleteJob', resources: [job('x')], expect: 'explicitDeny', sid: 'onlyReads' },
    { name: 'Deny with NotAction spares the listed', statements: [allow('*', '*', { Sid: 'all' }), { Effect: 'Deny', NotAction: ['iot:Describe*', 'iot:List*'], Resource: '*' }], action: 'iot:ListJobs', resources: ['*'], expect: 'allow', sid: 'all' },
    { name: 'no statements for the action: default deny', statements: [allow('iot:ListJobs', '*')], action: 'iot:CreateJob', resources: [job('x'), thing('t')], expect: 'implicitDeny', denied: job('x') },
    // Resources: wildcards, ARN components, NotResource, several resources.
    { name: 'job/* covers any job', statements: [allow('iot:DeleteJob', job('*'))], action: 'iot:DeleteJob', resources: [job('fw-1')], expect: 'allow' },
    { name: 'job/* does not cover a thing', statements: [allow('iot:DeleteJob', job('*'))], action: 'iot:DeleteJob', resources: [thing('fw-1')], expect: 'implicitDeny' },
    { name: 'thinggroup/canary-* covers canary-1', statements: [allow('iot:CreateJob', [job('*'), group('canary-*')])], action: 'iot:CreateJob', resources: [job('j'), group('canary-1')], expect: 'allow' },
    { name: 'thinggroup/canary-* does not cover prod', statements: [allow('iot:CreateJob', [job('*'), group('canary-*')])], action: 'iot:CreateJob', resources: [job('j'), group('prod')], expect: 'implicitDeny', denied: group('prod') },
    { name: 'CreateJob needs the job too', statements: [allow('iot:CreateJob', group('canary-*'))], action: 'iot:CreateJob', resources: [job('j'), group('canary-1')], expect: 'implicitDeny', denied: job('j') },
    { name: 'resource ? matches one character', statements: [allow('iot:DescribeJob', job('fw-?'))], action: 'iot:DescribeJob', resources: [job('fw-7')], expect: 'allow' },
    { name: 'resource ? not two characters', statements: [allow('iot:DescribeJob', job('fw-?'))], action: 'iot:DescribeJob', resources: [job('fw-17')], expect: 'implicitDeny' },
    { name: 'resources are case-sensitive', statements: [allow('iot:DescribeJob', job('FW-1'))], action: 'iot:DescribeJob', resources: [job('fw-1')], expect: 'implicitDeny' },
    { name: 'region wildcard per component', statements: [allow('iot:DescribeJob', 'arn:aws:iot:*:123456789012:job/*')], action: 'iot:DescribeJob', resources: [job('a')], expect: 'allow' },
    { name: 'other account not covered', statements: [allow('iot:DescribeJob', 'arn:aws:iot:*:999999999999:job/*')], action: 'iot:DescribeJob', resources: [job('a')], expect: 'implicitDeny' },
    { name: 'a * in the region does not swallow the account', statements: [allow('iot:DescribeJob', 'arn:aws:iot:*:job/*:*:*')], action: 'iot:DescribeJob', resources: [job('a')], expect: 'implicitDeny' },
    { name: 'resource * in the last component spans slashes', statements: [allow('iot:Publish', `${A}:topic/*`)], action: 'iot:Publish', resources: [`${A}:topic/$aws/things/t/jobs/get`], expect: 'allow' },
    { name: 'MQTT + is literal in a policy', statements: [allow('iot:Subscribe', `${A}:topicfilter/a/+/b`)], action: 'iot:Subscribe', resources: [`${A}:topicfilter/a/x/b`], expect: 'implicitDeny' },
    { name: 'MQTT # matches only the text #', statements: [allow('iot:Subscribe', `${A}:topicfilter/a/#`)], action: 'iot:Subscribe', resources: [`${A}:topicfilter/a/#`], expect: 'allow' },
    { name: 'a/* covers the filter text a/#', statements: [allow('iot:Subscribe', `${A}:topicfilter/a/*`)], action: 'iot:Subscribe', resources: [`${A}:topicfilter/a/#`], expect: 'allow' },
    { name: 'Resource * required for no-resource actions', statements: [allow('iot:ListJobs', job('*'))], action: 'iot:ListJobs', resources: ['*'], expect: 'implicitDeny', denied: '*' },
    { name: 'Resource * matches no-resource actions', statements: [allow('iot:ListJobs', '*')], action: 'iot:ListJobs', resources: ['*'], expect: 'allow' },
    { name: 'NotResource allows others', statements: [{ Effect: 'Allow', Action: 'iot:DeleteJob', NotResource: job('prod-*') }], action: 'iot:DeleteJob', resources: [job('dev-1')], expect: 'allow' },
    { name: 'NotResource excludes its own', statements: [{ Effect: 'Allow', Action: 'iot:DeleteJob', NotResource: job('prod-*') }], action: 'iot:DeleteJob', resources: [job('prod-1')], expect: 'implicitDeny' },
    { name: 'Deny NotResource: denies outside', statements: [allow('iot:*', '*'), { Sid: 'dnr', Effect: 'Deny', Action: 'iot:*', NotResource: job('dev-*') }], action: 'iot:DeleteJob', resources: [job('prod-1')], expect: 'explicitDeny', sid: 'dnr' },
    { name: 'execution ops need thing and job: both allowed', statements: [allow('iot:CancelJobExecution', [thing('t1'), job('*')])], action: 'iot:CancelJobExecution', resources: [job('j'), thing('t1')], expect: 'allow' },
    { name: 'execution ops: thing missing', statements: [allow('iot:CancelJobExecution', job('*'))], action: 'iot:CancelJobExecution', resources: [job('j'), thing('t1')], expect: 'implicitDeny', denied: thing('t1') },
    { name: 'two Allow statements cover two resources', statements: [allow('iot:CreateJob', job('*'), { Sid: 'j' }), allow('iot:CreateJob', thing('*'), { Sid: 't' })], action: 'iot:CreateJob', resources: [job('j'), thing('t')], expect: 'allow', sid: 't' },
    // Explicit deny wins.
    { name: 'Deny beats Allow on the same resource', statements: [allow('iot:*', '*'), denyS('iot:DeleteJob', '*', { Sid: 'noDelete' })], action: 'iot:DeleteJob', resources: [job('x')], expect: 'explicitDeny', sid: 'noDelete' },
    { name: 'Deny beats Allow whatever the order', statements: [denyS('iot:DeleteJob', '*', { Sid: 'first' }), allow('iot:*', '*')], action: 'iot:DeleteJob', resources: [job('x')], expect: 'explicitDeny', sid: 'first' },
    { name: 'Deny of another action leaves this one', statements: [allow('iot:*', '*', { Sid: 'all' }), denyS('iot:DeleteJob', '*')], action: 'iot:CancelJob', resources: [job('x')], expect: 'allow', sid: 'all' },
    { name: 'Deny on one of several resources denies', statements: [allow('iot:CreateJob', '*'), denyS('iot:CreateJob', group('prod'), { Sid: 'noProd' })], action: 'iot:CreateJob', resources: [job('j'), group('canary'), group('prod')], expect: 'explicitDeny', sid: 'noProd', denied: group('prod') },
    { name: 'explicit deny outranks an implicit one on an earlier resource', statements: [denyS('iot:CreateJob', group('prod'), { Sid: 'd' })], action: 'iot:CreateJob', resources: [job('j'), group('prod')], expect: 'explicitDeny', sid: 'd' },
    { name: 'Deny only without a condition match does not apply', statements: [allow('iot:*', '*'), denyS('iot:DeleteJob', '*', { Condition: { StringEquals: { 'aws:ResourceTag/env': 'prod' } } })], action: 'iot:DeleteJob', resources: [job('x')], context: { 'aws:ResourceTag/env': 'dev' }, expect: 'allow' },
    { name: 'Deny with a matching condition applies', statements: [allow('iot:*', '*'), denyS('iot:DeleteJob', '*', { Sid: 'p', Condition: { StringEquals: { 'aws:ResourceTag/env': 'prod' } } })], action: 'iot:DeleteJob', resources: [job('x')], context: { 'aws:ResourceTag/env': 'prod' }, expect: 'explicitDeny', sid: 'p' },
    { name: 'Deny StringNotEquals with missing key applies', statements: [allow('iot:*', '*'), denyS('iot:CreateJob', '*', { Sid: 'needTeam', Condition: { StringNotEquals: { 'aws:RequestTag/team': 'fw' } } })], action: 'iot:CreateJob', resources: [job('x')], expect: 'explicitDeny', sid: 'needTeam' },
    { name: 'empty policy set denies', statements: [allow('iot:Nothing', '*')], action: 'iot:DescribeJob', resources: [job('x')], expect: 'implicitDeny' },
    // String conditions.
    { name: 'StringEquals on a tag: equal', statements: [allow('iot:DescribeJob', '*', { Condition: { StringEquals: { 'aws:ResourceTag/team': 'fw' } } })], action: 'iot:DescribeJob', resources: [job('x')], context: { 'aws:ResourceTag/team': 'fw' }, expect: 'allow' },
    { name: 'StringEquals is case-sensitive on values', statements: [allow('iot:DescribeJob', '*', { Condition: { StringEquals: { 'aws:ResourceTag/team': 'fw' } } })], action: 'iot:DescribeJob', resources: [job('x')], context: { 'aws:ResourceTag/team': 'FW' }, expect: 'implicitDeny' },
    { name: 'condition key names are case-insensitive', statements: [allow('iot:DescribeJob', '*', { Condition: { StringEquals: { 'AWS:resourcetag/TEAM': 'fw' } } })], action: 'iot:DescribeJob', resources: [job('x')], context: { 'aws:ResourceTag/team': 'fw' }, expect: 'allow' },
    { name: 'StringEquals missing key: false', statements: [allow('iot:DescribeJob', '*', { Condition: { StringEquals: { 'aws:ResourceTag/team': 'fw' } } })], action: 'iot:DescribeJob', resources: [job('x')], expect: 'implicitDeny' },
    { name: 'StringEquals any of the values', statements: [allow('iot:DescribeJob', '*', { Condition: { StringEquals: { 'aws:ResourceTag/team': ['fw', 'ops'] } } })], action: 'iot:DescribeJob', resources: [job('x')], context: { 'aws:ResourceTag/team': 'ops' }, expect: 'allow' },
    { name: 'StringNotEquals: other value', statements: [allow('iot:DescribeJob', '*', { Condition: { StringNotEquals: { 'aws:ResourceTag/team': ['fw', 'ops'] } } })], action: 'iot:DescribeJob', resources: [job('x')], context: { 'aws:ResourceTag/team': 'web' }, expect: 'allow' },
    { name: 'StringNotEquals: listed value', statements: [allow('iot:DescribeJob', '*', { Condition: { StringNotEquals: { 'aws:ResourceTag/team': ['fw', 'ops'] } } })], action: 'iot:DescribeJob', resources: [job('x')], context: { 'aws:ResourceTag/team': 'ops' }, expect: 'implicitDeny' },
    { name: 'StringNotEquals missing key: true', statements: [allow('iot:DescribeJob', '*', { Condition: { StringNotEquals: { 'aws:ResourceTag/team': 'fw' } } })], action: 'iot:DescribeJob', resources: [job('x')], expect: 'allow' },
    { name: 'StringEqualsIgnoreCase', statements: [allow('iot:DescribeJob', '*', { Condition: { StringEqualsIgnoreCase: { 'aws:ResourceTag/team': 'FW' } } })], action: 'iot:DescribeJob', resources: [job('x')], context: { 'aws:ResourceTag/team': 'fw' }, expect: 'allow' },
    { name: 'StringNotEqualsIgnoreCase', statements: [allow('iot:DescribeJob', '*', { Condition: { StringNotEqualsIgnoreCase: { 'aws:ResourceTag/team': 'FW' } } })], action: 'iot:DescribeJob', resources: [job('x')], context: { 'aws:ResourceTag/team': 'fw' }, expect: 'implicitDeny' },
    { name: 'StringLike with *', statements: [allow('iot:DescribeJob', '*', { Condition: { StringLike: { 'aws:username': 'ci-*' } } })], action: 'iot:DescribeJob', resources: [job('x')], context: { 'aws:username': 'ci-nightly' }, expect: 'allow' },
    { name: 'StringLike no match', statements: [allow('iot:DescribeJob', '*', { Condition: { StringLike: { 'aws:username': 'ci-*' } } })], action: 'iot:DescribeJob', resources: [job('x')], context: { 'aws:username': 'support' }, expect: 'implicitDeny' },
    { name: 'StringNotLike', statements: [allow('iot:DescribeJob', '*', { Condition: { StringNotLike: { 'aws:username': 'ci-*' } } })], action: 'iot:DescribeJob', resources: [job('x')], context: { 'aws:username': 'support' }, expect: 'allow' },
    { name: 'StringEqualsIfExists missing: true', statements: [allow('iot:DescribeJob', '*', { Condition: { StringEqualsIfExists: { 'aws:ResourceTag/team': 'fw' } } })], action: 'iot:DescribeJob', resources: [job('x')], expect: 'allow' },
    { name: 'StringEqualsIfExists present and different: false', statements: [allow('iot:DescribeJob', '*', { Condition: { StringEqualsIfExists: { 'aws:ResourceTag/team': 'fw' } } })], action: 'iot:DescribeJob', resources: [job('x')], context: { 'aws:ResourceTag/team': 'ops' }, expect: 'implicitDeny' },
    { name: 'two keys in one operator: AND', statements: [allow('iot:CreateJob', '*', { Condition: { StringEquals: { 'aws:RequestTag/team': 'fw', 'aws:RequestTag/env': 'canary' } } })], action: 'iot:CreateJob', resources: [job('x')], context: { 'aws:RequestTag/team': 'fw' }, expect: 'implicitDeny' },
    { name: 'two operators: AND, both hold', statements: [allow('iot:CreateJob', '*', { Condition: { StringEquals: { 'aws:RequestTag/team': 'fw' }, Bool: { 'aws:SecureTransport': 'true' } } })], action: 'iot:CreateJob', resources: [job('x')], context: { 'aws:RequestTag/team': 'fw', 'aws:SecureTransport': true }, expect: 'allow' },
    { name: 'two operators: AND, one fails', statements: [allow('iot:CreateJob', '*', { Condition: { StringEquals: { 'aws:RequestTag/team': 'fw' }, Bool: { 'aws:SecureTransport': 'true' } } })], action: 'iot:CreateJob', resources: [job('x')], context: { 'aws:RequestTag/team': 'fw', 'aws:SecureTransport': false }, expect: 'implicitDeny' },
    // Set operators on aws:TagKeys.
    { name: 'ForAllValues: every tag key allowed', statements: [allow('iot:TagResource', '*', { Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } } })], action: 'iot:TagResource', resources: [job('x')], context: { 'aws:TagKeys': ['team'] }, expect: 'allow' },
    { name: 'ForAllValues: one tag key outside', statements: [allow('iot:TagResource', '*', { Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } } })], action: 'iot:TagResource', resources: [job('x')], context: { 'aws:TagKeys': ['team', 'owner'] }, expect: 'implicitDeny' },
    { name: 'ForAllValues: missing key is true', statements: [allow('iot:TagResource', '*', { Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } } })], action: 'iot:TagResource', resources: [job('x')], expect: 'allow' },
    { name: 'ForAnyValue: one matches', statements: [allow('iot:TagResource', '*', { Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } } })], action: 'iot:TagResource', resources: [job('x')], context: { 'aws:TagKeys': ['owner', 'team'] }, expect: 'allow' },
    { name: 'ForAnyValue: none matches', statements: [allow('iot:TagResource', '*', { Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } } })], action: 'iot:TagResource', resources: [job('x')], context: { 'aws:TagKeys': ['owner'] }, expect: 'implicitDeny' },
    { name: 'ForAnyValue: missing key is false', statements: [allow('iot:TagResource', '*', { Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } } })], action: 'iot:TagResource', resources: [job('x')], expect: 'implicitDeny' },
    { name: 'ForAnyValue:StringLike', statements: [allow('iot:TagResource', '*', { Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': ['own*'] } } })], action: 'iot:TagResource', resources: [job('x')], context: { 'aws:TagKeys': ['env', 'owner'] }, expect: 'allow' },
    { name: 'Deny ForAnyValue:StringNotEquals: one key outside the list', statements: [allow('iot:*', '*'), denyS('iot:TagResource', '*', { Sid: 'onlyTeam', Condition: { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['team'] } } })], action: 'iot:TagResource', resources: [job('x')], context: { 'aws:TagKeys': ['team', 'owner'] }, expect: 'explicitDeny', sid: 'onlyTeam' },
    { name: 'Deny ForAnyValue:StringNotEquals: all keys in the list', statements: [allow('iot:*', '*'), denyS('iot:TagResource', '*', { Condition: { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['team'] } } })], action: 'iot:TagResource', resources: [job('x')], context: { 'aws:TagKeys': ['team'] }, expect: 'allow' },
    { name: 'ForAllValues:StringNotLike', statements: [allow('iot:TagResource', '*', { Condition: { 'ForAllValues:StringNotLike': { 'aws:TagKeys': ['aws:*'] } } })], action: 'iot:TagResource', resources: [job('x')], context: { 'aws:TagKeys': ['team', 'aws:x'] }, expect: 'implicitDeny' },
    // Numeric, Date, Bool, IpAddress, Null, Arn.
    { name: 'NumericLessThan holds', statements: [allow('iot:ListJobs', '*', { Condition: { NumericLessThan: { 'custom:n': '10' } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'custom:n': 9 }, expect: 'allow' },
    { name: 'NumericLessThan fails at equality', statements: [allow('iot:ListJobs', '*', { Condition: { NumericLessThan: { 'custom:n': '10' } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'custom:n': '10' }, expect: 'implicitDeny' },
    { name: 'NumericLessThanEquals at equality', statements: [allow('iot:ListJobs', '*', { Condition: { NumericLessThanEquals: { 'custom:n': 10 } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'custom:n': '10.0' }, expect: 'allow' },
    { name: 'NumericGreaterThan with a non-number request value: false', statements: [allow('iot:ListJobs', '*', { Condition: { NumericGreaterThan: { 'custom:n': 1 } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'custom:n': 'many' }, expect: 'implicitDeny' },
    { name: 'NumericNotEquals', statements: [allow('iot:ListJobs', '*', { Condition: { NumericNotEquals: { 'custom:n': [1, 2] } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'custom:n': 3 }, expect: 'allow' },
    { name: 'DateLessThan before the date', statements: [allow('iot:CreateJob', '*', { Condition: { DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } } })], action: 'iot:CreateJob', resources: [job('x')], context: { 'aws:CurrentTime': '2026-12-07T12:00:00Z' }, expect: 'allow' },
    { name: 'DateLessThan after the date', statements: [allow('iot:CreateJob', '*', { Condition: { DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } } })], action: 'iot:CreateJob', resources: [job('x')], context: { 'aws:CurrentTime': '2026-12-07T12:00:00Z' }, expect: 'implicitDeny' },
    { name: 'DateGreaterThanEquals with epoch seconds', statements: [allow('iot:CreateJob', '*', { Condition: { DateGreaterThanEquals: { 'aws:CurrentTime': '1767225600' } } })], action: 'iot:CreateJob', resources: [job('x')], context: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' }, expect: 'allow' },
    { name: 'DateNotEquals missing key: true', statements: [allow('iot:CreateJob', '*', { Condition: { DateNotEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } } })], action: 'iot:CreateJob', resources: [job('x')], expect: 'allow' },
    { name: 'Bool true', statements: [allow('iot:ListJobs', '*', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'aws:SecureTransport': 'true' }, expect: 'allow' },
    { name: 'Bool false on plain HTTP', statements: [allow('iot:ListJobs', '*', { Condition: { Bool: { 'aws:SecureTransport': true } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'aws:SecureTransport': 'false' }, expect: 'implicitDeny' },
    { name: 'Deny Bool false: denies plain HTTP', statements: [allow('*', '*'), denyS('*', '*', { Sid: 'tls', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'aws:SecureTransport': false }, expect: 'explicitDeny', sid: 'tls' },
    { name: 'BoolIfExists missing: true', statements: [allow('iot:ListJobs', '*', { Condition: { BoolIfExists: { 'aws:SecureTransport': 'true' } } })], action: 'iot:ListJobs', resources: ['*'], expect: 'allow' },
    { name: 'IpAddress inside the CIDR', statements: [allow('iot:ListJobs', '*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'aws:SourceIp': '10.1.2.3' }, expect: 'allow' },
    { name: 'IpAddress outside the CIDR', statements: [allow('iot:ListJobs', '*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'aws:SourceIp': '192.168.1.1' }, expect: 'implicitDeny' },
    { name: 'IpAddress IPv4-mapped IPv6 source', statements: [allow('iot:ListJobs', '*', { Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.1/32' } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'aws:SourceIp': '::ffff:127.0.0.1' }, expect: 'allow' },
    { name: 'IpAddress IPv6 CIDR', statements: [allow('iot:ListJobs', '*', { Condition: { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'aws:SourceIp': '2001:db8::1' }, expect: 'allow' },
    { name: 'IpAddress single address without prefix', statements: [allow('iot:ListJobs', '*', { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.5' } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'aws:SourceIp': '203.0.113.6' }, expect: 'implicitDeny' },
    { name: 'IpAddress ::1 in ::1/128', statements: [allow('iot:ListJobs', '*', { Condition: { IpAddress: { 'aws:SourceIp': '::1/128' } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'aws:SourceIp': '::1' }, expect: 'allow' },
    { name: 'IpAddress IPv6 source against an IPv4 block', statements: [allow('iot:ListJobs', '*', { Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'aws:SourceIp': '2001:db8::1' }, expect: 'implicitDeny' },
    { name: 'IpAddress with a source that is no address', statements: [allow('iot:ListJobs', '*', { Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'aws:SourceIp': 'localhost' }, expect: 'implicitDeny' },
    { name: 'IpAddress /0 covers every IPv4 address', statements: [allow('iot:ListJobs', '*', { Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'aws:SourceIp': '203.0.113.9' }, expect: 'allow' },
    { name: 'Deny NotIpAddress: from outside', statements: [allow('*', '*'), denyS('*', '*', { Sid: 'office', Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '127.0.0.0/8'] } } })], action: 'iot:DeleteJob', resources: [job('x')], context: { 'aws:SourceIp': '198.51.100.7' }, expect: 'explicitDeny', sid: 'office' },
    { name: 'Deny NotIpAddress: from inside', statements: [allow('*', '*'), denyS('*', '*', { Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '127.0.0.0/8'] } } })], action: 'iot:DeleteJob', resources: [job('x')], context: { 'aws:SourceIp': '127.0.0.1' }, expect: 'allow' },
    { name: 'Null true: key absent', statements: [allow('iot:CreateJob', '*', { Condition: { Null: { 'aws:RequestTag/team': 'true' } } })], action: 'iot:CreateJob', resources: [job('x')], expect: 'allow' },
    { name: 'Null true: key present', statements: [allow('iot:CreateJob', '*', { Condition: { Null: { 'aws:RequestTag/team': 'true' } } })], action: 'iot:CreateJob', resources: [job('x')], context: { 'aws:RequestTag/team': 'fw' }, expect: 'implicitDeny' },
    { name: 'Deny Null true: untagged creation denied', statements: [allow('*', '*'), denyS('iot:CreateJob', '*', { Sid: 'mustTag', Condition: { Null: { 'aws:RequestTag/team': 'true' } } })], action: 'iot:CreateJob', resources: [job('x')], expect: 'explicitDeny', sid: 'mustTag' },
    { name: 'ArnLike on a context ARN', statements: [allow('iot:ListJobs', '*', { Condition: { ArnLike: { 'custom:target': `${A}:thinggroup/canary-*` } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'custom:target': group('canary-2') }, expect: 'allow' },
    { name: 'ArnNotLike', statements: [allow('iot:ListJobs', '*', { Condition: { ArnNotLike: { 'custom:target': `${A}:thinggroup/canary-*` } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'custom:target': group('canary-2') }, expect: 'implicitDeny' },
    { name: 'iot:JobId StringLike on the data plane', statements: [allow('iotjobsdata:UpdateJobExecution', thing('*'), { Condition: { StringLike: { 'iot:JobId': 'fw-*' } } })], action: 'iotjobsdata:UpdateJobExecution', resources: [thing('t')], context: { 'iot:JobId': 'fw-9' }, expect: 'allow' },
    { name: 'iot:JobId missing (GetPending has none): false', statements: [allow('iotjobsdata:*', thing('*'), { Condition: { StringLike: { 'iot:JobId': 'fw-*' } } })], action: 'iotjobsdata:GetPendingJobExecutions', resources: [thing('t')], expect: 'implicitDeny' },
    { name: 'unsupported key behaves as missing', statements: [allow('iot:ListJobs', '*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } })], action: 'iot:ListJobs', resources: ['*'], context: { 'aws:username': 'ci' }, expect: 'implicitDeny' },
    // Policy variables.
    { name: '${aws:username} in a resource', statements: [allow('iot:DescribeJob', `${A}:job/\${aws:username}-*`)], action: 'iot:DescribeJob', resources: [job('ci-1')], context: { 'aws:username': 'ci' }, expect: 'allow' },
    { name: '${aws:username} for another user', statements: [allow('iot:DescribeJob', `${A}:job/\${aws:username}-*`)], action: 'iot:DescribeJob', resources: [job('ops-1')], context: { 'aws:username': 'ci' }, expect: 'implicitDeny' },
    { name: 'unresolved variable matches nothing', statements: [allow('iot:DescribeJob', `${A}:job/\${aws:username}-*`)], action: 'iot:DescribeJob', resources: [job('ci-1')], expect: 'implicitDeny' },
    { name: 'variable default value', statements: [allow('iot:DescribeJob', `${A}:job/\${aws:username, 'anon'}-*`)], action: 'iot:DescribeJob', resources: [job('anon-1')], expect: 'allow' },
    { name: 'Version 2008-10-17 reads ${...} as text', version: '2008-10-17', statements: [allow('iot:DescribeJob', `${A}:job/\${aws:username}`)], action: 'iot:DescribeJob', resources: [job('ci')], context: { 'aws:username': 'ci' }, expect: 'implicitDeny' },
    { name: 'a * inside a variable value is literal', statements: [allow('iot:Connect', `${A}:client/\${iot:ClientId}`)], action: 'iot:Connect', resources: [`${A}:client/abc`], context: { 'iot:ClientId': '*' }, expect: 'implicitDeny' },
    { name: '${*} is a literal star', statements: [allow('iot:Publish', `${A}:topic/a/\${*}`)], action: 'iot:Publish', resources: [`${A}:topic/a/b`], expect: 'implicitDeny' },
    { name: '${*} matches a real star', statements: [allow('iot:Publish', `${A}:topic/a/\${*}`)], action: 'iot:Publish', resources: [`${A}:topic/a/*`], expect: 'allow' },
    { name: 'variable in a condition value', statements: [allow('iot:DescribeJob', '*', { Condition: { StringEquals: { 'aws:ResourceTag/owner': '${aws:username}' } } })], action: 'iot:DescribeJob', resources: [job('x')], context: { 'aws:username': 'ci', 'aws:ResourceTag/owner': 'ci' }, expect: 'allow' },
    { name: 'resolver supplies IoT thing variables', statements: [allow('iot:Subscribe', `${A}:topicfilter/$aws/things/\${iot:Connection.Thing.ThingName}/jobs/*`)], action: 'iot:Subscribe', resources: [`${A}:topicfilter/$aws/things/dev-1/jobs/notify`], resolve: (n) => (n === 'iot:Connection.Thing.ThingName' ? 'dev-1' : undefined), expect: 'allow' },
    { name: 'resolver: another thing', statements: [allow('iot:Subscribe', `${A}:topicfilter/$aws/things/\${iot:Connection.Thing.ThingName}/jobs/*`)], action: 'iot:Subscribe', resources: [`${A}:topicfilter/$aws/things/dev-2/jobs/notify`], resolve: (n) => (n === 'iot:Connection.Thing.ThingName' ? 'dev-1' : undefined), expect: 'implicitDeny' },
    { name: 'CreateJob with template and tags: template covered', statements: [allow('iot:CreateJob', [job('*'), group('canary-*'), tmpl('fw-*')])], action: 'iot:CreateJob', resources: [job('j'), group('canary-1'), tmpl('fw-2')], expect: 'allow' },
    { name: 'CreateJob with template: template not covered', statements: [allow('iot:CreateJob', [job('*'), group('canary-*')])], action: 'iot:CreateJob', resources: [job('j'), group('canary-1'), tmpl('fw-2')], expect: 'implicitDeny', denied: tmpl('fw-2') },
];
test(`the table: ${cases.length} decisions`, () => {
    assert.ok(cases.length >= 60);
    for (const c of cases) {
        const set = new PolicySet([{ document: { ...policy(...c.statements), ...(c.version && { Version: c.version }) }, name: 'p' }]);
        const d = set.evaluate({ action: c.action, resources: c.resources, context: c.context, resolve: c.resolve });
        assert.equal(d.kind, c.expect, c.name);
        assert.equal(d.allowed, c.expect === 'allow', c.name);
        if (c.sid !== undefined)
            assert.equal(d.statement?.sid, c.sid, c.name);
        if (c.denied !== undefined)
            assert.equal(d.resource, c.denied, c.name);
        if (c.expect === 'implicitDeny') {
            assert.equal(d.statement, undefined, c.name);
            assert.match(d.needed, new RegExp(`Allow statement with Action ${c.action.replace(/[.*?]/g, '\\$&')}`), c.name);
        }
        if (c.expect === 'explicitDeny')
            assert.equal(d.statement?.effect, 'Deny', c.name);
    }
});
test('several policies combine: an Allow in one, a Deny in another', () => {
    const set = new PolicySet([
        { document: policy(allow('iot:*', '*', { Sid: 'admin' })), name: 'user ci, policy 1' },
        { document: JSON.stringify(policy(denyS('iot:DeleteJob', job('prod-*'), { Sid: 'keepProd' }))), name: 'user ci, policy 2' },
    ]);
    const d = set.evaluate({ action: 'iot:DeleteJob', resources: [job('prod-1')] });
    assert.equal(d.kind, 'explicitDeny');
    assert.equal(d.statement?.policyName, 'user ci, policy 2');
    assert.match(d.needed, /^user ci, policy 2: statement 1 \(Sid "keepProd"\) \[Deny\] denies iot:DeleteJob on .*job\/prod-1/);
    const ok = set.evaluate({ action: 'iot:DeleteJob', resources: [job('dev-1')] });
    assert.equal(ok.statement?.sid, 'admin');
    assert.deepEqual(ok.allowedBy?.map((a) => a.resource), [job('dev-1')]);
});
test('Statement as a single object', () => {
    const set = new PolicySet([{ document: { Version: '2012-10-17', Statement: allow('iot:ListJobs', '*') } }]);
    assert.equal(set.evaluate({ action: 'iot:ListJobs', resources: ['*'] }).allowed, true);
});
test('invalid policies are refused with the statement named', () => {
    const bad = [
        ['{not json', /^u: not valid JSON/],
        [[], /^u: a policy must be a JSON object/],
        [{ Version: '2012-10-17' }, /^u: Statement is required/],
        [{ Version: '2012-10-17', Statement: [] }, /^u: Statement is required/],
        [{ Version: '2020-01-01', Statement: allow('*', '*') }, /^u: Version must be/],
        [{ Version: '2012-10-17', Statement: allow('*', '*'), Extra: 1 }, /^u: unknown field Extra/],
        [policy(allow('*', '*'), { Sid: 'Two', Effect: 'Permit', Action: '*', Resource: '*' }), /^u, statement 2 \(Sid "Two"\): Effect must be "Allow" or "Deny"$/],
        [policy({ Effect: 'Allow', Resource: '*' }), /^u, statement 1: exactly one of Action and NotAction/],
        [policy({ Effect: 'Allow', Action: '*', NotAction: '*', Resource: '*' }), /exactly one of Action and NotAction/],
        [policy({ Effect: 'Allow', Action: '*' }), /^u, statement 1: exactly one of Resource and NotResource/],
        [policy(allow('iot DescribeJob', '*')), /Action "iot DescribeJob" must be/],
        [policy(allow([], '*')), /Action must be a non-empty/],
        [policy(allow('iot:*', 'job/*')), /Resource "job\/\*" must be "\*" or an ARN/],
        [policy(allow('iot:*', '*', { Principal: '*' })), /Principal is not allowed/],
        [policy(allow('iot:*', '*', { Sid: 'x' }), allow('iot:*', '*', { Sid: 'x' })), /statement 2 \(Sid "x"\): Sid is used twice/],
        [policy(allow('iot:*', '*', { Condition: { StringEqualz: { a: 'b' } } })), /statement 1: unknown condition operator StringEqualz/],
        [policy(allow('iot:*', '*', { Condition: { NumericLessThan: { a: 'ten' } } })), /NumericLessThan a: invalid value "ten"/],
        [policy(allow('iot:*', '*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/40' } } })), /IpAddress aws:SourceIp: invalid value/],
        [policy(allow('iot:*', '*', { Condition: { DateLessThan: { 'aws:CurrentTime': 'tomorrow' } } })), /invalid value "tomorrow"/],
        [policy(allow('iot:*', '*', { Condition: { Null: { a: 'maybe' } } })), /Null a: values must be true or false/],
        [policy(allow('iot:*', '*', { Condition: { StringEquals: { a: { b: 1 } } } })), /values must be strings/],
        [policy(allow('iot:*', '*', { Condition: 'x' })), /Condition must be an object/],
    ];
    for (const [doc, re] of bad) {
        assert.throws(() => new PolicySet([{ document: doc, name: 'u' }]), (e) => e instanceof PolicyError && re.test(e.message), JSON.stringify(doc));
    }
});
test('statements are filtered per action once, and 20 statements evaluate quickly', () => {
    const statements = Array.from({ length: 19 }, (_, i) => allow(`iot:Op${i}`, job(`team${i}-*`), { Condition: { StringEquals: { 'aws:ResourceTag/team': `t${i}` } } }));
    statements.push(allow('iot:DescribeJob', job('*'), { Sid: 'last' }));
    const set = new PolicySet([{ document: policy(...statements) }]);
    const req = { action: 'iot:DescribeJob', resources: [job('x')], context: { 'aws:username': 'ci', 'aws:SourceIp': '127.0.0.1' } };
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 20_000; i++)
        assert.equal(set.evaluate(req).allowed, true);
    const perCallUs = Number(process.hrtime.bigint() - t0) / 20_000 / 1000;
    // A generous bound on a shared machine: the HTTP request around it costs hundreds of microseconds.
    assert.ok(perCallUs < 50, `${perCallUs} µs per evaluation`);
});
test('resource keys apply to their own resource only', () => {
    const set = new PolicySet([{ document: policy(allow('iot:CreateJob', job('*')), allow('iot:CreateJob', group('*'), { Condition: { StringEquals: { 'aws:ResourceTag/env': 'canary' } } })) }]);
    const tags = { [group('c')]: { 'aws:ResourceTag/env': 'canary' }, [group('p')]: { 'aws:ResourceTag/env': 'prod' } };
    const ask = (g) => set.evaluate({ action: 'iot:CreateJob', resources: [job('j'), group(g)], resourceContext: (r) => tags[r] });
    assert.equal(ask('c').allowed, true);
    assert.equal(ask('p').kind, 'implicitDeny');
    assert.equal(ask('p').resource, group('p'));
    assert.deepEqual([...set.keysFor('iot:CreateJob')], ['aws:resourcetag/env']);
    assert.deepEqual([...set.keysFor('iot:DeleteJob')], []);
});
//# sourceMappingURL=policy.test.js.map