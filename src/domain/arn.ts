/** ARNs as AWS IoT writes them. */
export interface Scope {
  region: string;
  accountId: string;
}

export const jobArn = (s: Scope, jobId: string) => `arn:aws:iot:${s.region}:${s.accountId}:job/${jobId}`;
export const thingArn = (s: Scope, thingName: string) => `arn:aws:iot:${s.region}:${s.accountId}:thing/${thingName}`;
export const thingGroupArn = (s: Scope, groupName: string) =>
  `arn:aws:iot:${s.region}:${s.accountId}:thinggroup/${groupName}`;

export const jobTemplateArn = (s: Scope, id: string) => `arn:aws:iot:${s.region}:${s.accountId}:jobtemplate/${id}`;
/** AWS managed templates have no account in their ARN. */
export const managedTemplateArn = (s: Pick<Scope, 'region'>, name: string, version: string) => `arn:aws:iot:${s.region}::jobtemplate/${name}:${version}`;
/** IoT Core MQTT resources (iot:Connect, Publish/Receive, Subscribe). */
export const clientArn = (s: Scope, clientId: string) => `arn:aws:iot:${s.region}:${s.accountId}:client/${clientId}`;
export const topicArn = (s: Scope, topic: string) => `arn:aws:iot:${s.region}:${s.accountId}:topic/${topic}`;
export const topicFilterArn = (s: Scope, filter: string) => `arn:aws:iot:${s.region}:${s.accountId}:topicfilter/${filter}`;
export const thingTypeArn = (s: Scope, name: string) => `arn:aws:iot:${s.region}:${s.accountId}:thingtype/${name}`;

const JOB_TEMPLATE = /^arn:aws[a-z-]*:iot:([a-z0-9-]+):(\d{12})?:jobtemplate\/([a-zA-Z0-9_-]{1,64})(?::([0-9]+\.[0-9]+))?$/;

/** A custom template ARN of this account and region, or a managed one (no account, name:version) of this region. */
export function parseJobTemplateArn(s: Scope, arn: string): { kind: 'custom'; id: string } | { kind: 'managed'; name: string; version: string } | undefined {
  const m = JOB_TEMPLATE.exec(arn);
  if (!m || m[1] !== s.region) return undefined;
  if (m[2] === undefined) return m[4] === undefined ? undefined : { kind: 'managed', name: m[3]!, version: m[4] };
  if (m[2] !== s.accountId || m[4] !== undefined) return undefined;
  return { kind: 'custom', id: m[3]! };
}

export type Target = { kind: 'thing' | 'group'; name: string };

const TARGET = /^arn:aws[a-z-]*:iot:([a-z0-9-]+):(\d{12}):(thing|thinggroup)\/([a-zA-Z0-9:_-]{1,128})$/;

/** Parses a job target ARN; undefined when it is not a thing or thing-group ARN of this account and region. */
export function parseTarget(s: Scope, arn: string): Target | undefined {
  const m = TARGET.exec(arn);
  if (!m || m[1] !== s.region || m[2] !== s.accountId) return undefined;
  return { kind: m[3] === 'thing' ? 'thing' : 'group', name: m[4]! };
}

const RESOURCE = /^arn:aws[a-z-]*:iot:[a-z0-9-]+:\d{12}:(job|thinggroup|thing|jobtemplate|thingtype)\/(.+)$/;
export function parseResourceArn(arn: string): { type: string; name: string } | undefined {
  const m = RESOURCE.exec(arn);
  return m ? { type: m[1]!, name: m[2]! } : undefined;
}

const JOB = /^arn:aws[a-z-]*:iot:([a-z0-9-]+):(\d{12}):job\/([a-zA-Z0-9_-]{1,64})$/;
/** The job id of a job ARN of this account and region. */
export function parseJobArn(s: Scope, arn: string): string | undefined {
  const m = JOB.exec(arn);
  return m && m[1] === s.region && m[2] === s.accountId ? m[3] : undefined;
}

export const commandArn = (s: Scope, commandId: string) => `arn:aws:iot:${s.region}:${s.accountId}:command/${commandId}`;
