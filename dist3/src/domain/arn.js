export const jobArn = (s, jobId) => `arn:aws:iot:${s.region}:${s.accountId}:job/${jobId}`;
export const thingArn = (s, thingName) => `arn:aws:iot:${s.region}:${s.accountId}:thing/${thingName}`;
export const thingGroupArn = (s, groupName) => `arn:aws:iot:${s.region}:${s.accountId}:thinggroup/${groupName}`;
export const jobTemplateArn = (s, id) => `arn:aws:iot:${s.region}:${s.accountId}:jobtemplate/${id}`;
/** AWS managed templates have no account in their ARN. */
export const managedTemplateArn = (s, name, version) => `arn:aws:iot:${s.region}::jobtemplate/${name}:${version}`;
/** IoT Core MQTT resources (iot:Connect, Publish/Receive, Subscribe). */
export const clientArn = (s, clientId) => `arn:aws:iot:${s.region}:${s.accountId}:client/${clientId}`;
export const topicArn = (s, topic) => `arn:aws:iot:${s.region}:${s.accountId}:topic/${topic}`;
export const topicFilterArn = (s, filter) => `arn:aws:iot:${s.region}:${s.accountId}:topicfilter/${filter}`;
export const thingTypeArn = (s, name) => `arn:aws:iot:${s.region}:${s.accountId}:thingtype/${name}`;
const JOB_TEMPLATE = /^arn:aws[a-z-]*:iot:([a-z0-9-]+):(\d{12})?:jobtemplate\/([a-zA-Z0-9_-]{1,64})(?::([0-9]+\.[0-9]+))?$/;
/** A custom template ARN of this account and region, or a managed one (no account, name:version) of this region. */
export function parseJobTemplateArn(s, arn) {
    const m = JOB_TEMPLATE.exec(arn);
    if (!m || m[1] !== s.region)
        return undefined;
    if (m[2] === undefined)
        return m[4] === undefined ? undefined : { kind: 'managed', name: m[3], version: m[4] };
    if (m[2] !== s.accountId || m[4] !== undefined)
        return undefined;
    return { kind: 'custom', id: m[3] };
}
const TARGET = /^arn:aws[a-z-]*:iot:([a-z0-9-]+):(\d{12}):(thing|thinggroup)\/([a-zA-Z0-9:_-]{1,128})$/;
/** Parses a job target ARN; undefined when it is not a thing or thing-group ARN of this account and region. */
export function parseTarget(s, arn) {
    const m = TARGET.exec(arn);
    if (!m || m[1] !== s.region || m[2] !== s.accountId)
        return undefined;
    return { kind: m[3] === 'thing' ? 'thing' : 'group', name: m[4] };
}
const RESOURCE = /^arn:aws[a-z-]*:iot:[a-z0-9-]+:\d{12}:(job|thinggroup|thing|jobtemplate|thingtype)\/(.+)$/;
export function parseResourceArn(arn) {
    const m = RESOURCE.exec(arn);
    return m ? { type: m[1], name: m[2] } : undefined;
}
const JOB = /^arn:aws[a-z-]*:iot:([a-z0-9-]+):(\d{12}):job\/([a-zA-Z0-9_-]{1,64})$/;
/** The job id of a job ARN of this account and region. */
export function parseJobArn(s, arn) {
    const m = JOB.exec(arn);
    return m && m[1] === s.region && m[2] === s.accountId ? m[3] : undefined;
}
export const commandArn = (s, commandId) => `arn:aws:iot:${s.region}:${s.accountId}:command/${commandId}`;
//# sourceMappingURL=arn.js.map