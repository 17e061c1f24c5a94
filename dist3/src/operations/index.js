import { ServiceError, serviceUnavailable } from '../errors.js';
import { isRetryable } from '../store/store.js';
import * as things from './things.js';
import * as groups from './groups.js';
import * as jobs from './jobs.js';
import * as executions from './executions.js';
import * as device from './device.js';
import * as tags from './tags.js';
import * as templates from './templates.js';
import * as thingTypes from './thing-types.js';
import * as events from './events.js';
import * as fleet from './fleet-index.js';
import * as dynamicGroups from './dynamic-groups.js';
import * as commands from './commands.js';
import * as commandExecutions from './command-executions.js';
import * as commandDevice from './command-device.js';
import * as certificates from './certificates.js';
import * as principals from './principals.js';
import * as policies from './policies.js';
export const operations = {
    iot: {
        CreateThing: things.CreateThing,
        DescribeThing: things.DescribeThing,
        ListThings: things.ListThings,
        UpdateThing: things.UpdateThing,
        DeleteThing: things.DeleteThing,
        CreateThingGroup: groups.CreateThingGroup,
        DescribeThingGroup: groups.DescribeThingGroup,
        ListThingGroups: groups.ListThingGroups,
        UpdateThingGroup: groups.UpdateThingGroup,
        DeleteThingGroup: groups.DeleteThingGroup,
        AddThingToThingGroup: groups.AddThingToThingGroup,
        RemoveThingFromThingGroup: groups.RemoveThingFromThingGroup,
        ListThingsInThingGroup: groups.ListThingsInThingGroup,
        ListThingGroupsForThing: groups.ListThingGroupsForThing,
        CreateJob: jobs.CreateJob,
        DescribeJob: jobs.DescribeJob,
        ListJobs: jobs.ListJobs,
        UpdateJob: jobs.UpdateJob,
        CancelJob: jobs.CancelJob,
        DeleteJob: jobs.DeleteJob,
        GetJobDocument: jobs.GetJobDocument,
        AssociateTargetsWithJob: jobs.AssociateTargetsWithJob,
        DescribeJobExecution: executions.DescribeJobExecution,
        ListJobExecutionsForJob: executions.ListJobExecutionsForJob,
        ListJobExecutionsForThing: executions.ListJobExecutionsForThing,
        CancelJobExecution: executions.CancelJobExecution,
        DeleteJobExecution: executions.DeleteJobExecution,
        DescribeEndpoint: tags.DescribeEndpoint,
        TagResource: tags.TagResource,
        UntagResource: tags.UntagResource,
        ListTagsForResource: tags.ListTagsForResource,
        CreateJobTemplate: templates.CreateJobTemplate,
        DescribeJobTemplate: templates.DescribeJobTemplate,
        ListJobTemplates: templates.ListJobTemplates,
        DeleteJobTemplate: templates.DeleteJobTemplate,
        ListManagedJobTemplates: templates.ListManagedJobTemplates,
        DescribeManagedJobTemplate: templates.DescribeManagedJobTemplate,
        CreateThingType: thingTypes.CreateThingType,
        DescribeThingType: thingTypes.DescribeThingType,
        ListThingTypes: thingTypes.ListThingTypes,
        DeprecateThingType: thingTypes.DeprecateThingType,
        DeleteThingType: thingTypes.DeleteThingType,
        UpdateThingGroupsForThing: groups.UpdateThingGroupsForThing,
        UpdateEventConfigurations: events.UpdateEventConfigurations,
        DescribeEventConfigurations: events.DescribeEventConfigurations,
        UpdateIndexingConfiguration: fleet.UpdateIndexingConfiguration,
        GetIndexingConfiguration: fleet.GetIndexingConfiguration,
        DescribeIndex: fleet.DescribeIndex,
        ListIndices: fleet.ListIndices,
        SearchIndex: fleet.SearchIndex,
        GetStatistics: fleet.GetStatistics,
        GetCardinality: fleet.GetCardinality,
        GetBucketsAggregation: fleet.GetBucketsAggregation,
        CreateDynamicThingGroup: dynamicGroups.CreateDynamicThingGroup,
        UpdateDynamicThingGroup: dynamicGroups.UpdateDynamicThingGroup,
        DeleteDynamicThingGroup: dynamicGroups.DeleteDynamicThingGroup,
        CreateCommand: commands.CreateCommand,
        GetCommand: commands.GetCommand,
        ListCommands: commands.ListCommands,
        UpdateCommand: commands.UpdateCommand,
        DeleteCommand: commands.DeleteCommand,
        GetCommandExecution: commandExecutions.GetCommandExecution,
        ListCommandExecutions: commandExecutions.ListCommandExecutions,
        DeleteCommandExecution: commandExecutions.DeleteCommandExecution,
        CreateKeysAndCertificate: certificates.CreateKeysAndCertificate,
        CreateCertificateFromCsr: certificates.CreateCertificateFromCsr,
        GetRegistrationCode: certificates.GetRegistrationCode,
        RegisterCACertificate: certificates.RegisterCACertificate,
        RegisterCertificate: certificates.RegisterCertificate,
        RegisterCertificateWithoutCA: certificates.RegisterCertificateWithoutCA,
        DescribeCertificate: certificates.DescribeCertificate,
        ListCertificates: certificates.ListCertificates,
        ListCertificatesByCA: certificates.ListCertificatesByCA,
        DescribeCACertificate: certificates.DescribeCACertificate,
        ListCACertificates: certificates.ListCACertificates,
        UpdateCACertificate: certificates.UpdateCACertificate,
        UpdateCertificate: certificates.UpdateCertificate,
        DeleteCertificate: certificates.DeleteCertificate,
        DeleteCACertificate: certificates.DeleteCACertificate,
        AttachThingPrincipal: principals.AttachThingPrincipal,
        DetachThingPrincipal: principals.DetachThingPrincipal,
        ListThingPrincipals: principals.ListThingPrincipals,
        ListThingPrincipalsV2: principals.ListThingPrincipalsV2,
        ListPrincipalThings: principals.ListPrincipalThings,
        ListPrincipalThingsV2: principals.ListPrincipalThingsV2,
        CreatePolicy: policies.CreatePolicy,
        GetPolicy: policies.GetPolicy,
        ListPolicies: policies.ListPolicies,
        DeletePolicy: policies.DeletePolicy,
        CreatePolicyVersion: policies.CreatePolicyVersion,
        GetPolicyVersion: policies.GetPolicyVersion,
        ListPolicyVersions: policies.ListPolicyVersions,
        SetDefaultPolicyVersion: policies.SetDefaultPolicyVersion,
        DeletePolicyVersion: policies.DeletePolicyVersion,
        AttachPolicy: policies.AttachPolicy,
        DetachPolicy: policies.DetachPolicy,
        ListAttachedPolicies: policies.ListAttachedPolicies,
        ListTargetsForPolicy: policies.ListTargetsForPolicy,
        GetEffectivePolicies: policies.GetEffectivePolicies,
    },
    'iot-jobs-data': {
        DescribeJobExecution: device.DescribeJobExecution,
        GetPendingJobExecutions: device.GetPendingJobExecutions,
        StartNextPendingJobExecution: device.StartNextPendingJobExecution,
        UpdateJobExecution: device.UpdateJobExecution,
        StartCommandExecution: commandExecutions.StartCommandExecution,
        // MQTT only (not in the model, so HTTP cannot reach it): a device's command status update.
        UpdateCommandExecution: commandDevice.UpdateCommandExecution,
    },
};
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', 'SQLITE_BUSY']);
/** A lost or refused database connection is the service being unavailable, not a bug. */
export function isUnavailable(err) {
    if (!(err instanceof Error))
        return false;
    const code = err.code;
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08')))
        return true;
    return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED/i.test(err.message);
}
export function createDispatch(ctx, table = operations) {
    return async (service, name, input) => {
        const op = table[service][name];
        if (!op)
            throw new ServiceError('UnknownOperationException', `Operation ${name} is not supported by iot-jobs`);
        try {
            return await op(ctx, input);
        }
        catch (err) {
            if (!(err instanceof ServiceError) && isUnavailable(err))
                throw serviceUnavailable('The service is temporarily unavailable; the database cannot be reached');
            // store.tx ran the transaction again and again and it kept losing its race: ask the client to retry.
            if (isRetryable(err))
                throw new ServiceError('ThrottlingException', 'Too many concurrent changes to the same resource; try again');
            throw err;
        }
    };
}
//# sourceMappingURL=index.js.map