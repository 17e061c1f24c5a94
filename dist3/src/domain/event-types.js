/** The `EventType` enum of UpdateEventConfigurations, in the model's order (botocore iot 2015-05-28). */
export const EVENT_TYPES = [
    'THING',
    'THING_GROUP',
    'THING_TYPE',
    'THING_GROUP_MEMBERSHIP',
    'THING_GROUP_HIERARCHY',
    'THING_TYPE_ASSOCIATION',
    'JOB',
    'JOB_EXECUTION',
    'POLICY',
    'CERTIFICATE',
    'CA_CERTIFICATE',
];
//# sourceMappingURL=event-types.js.map