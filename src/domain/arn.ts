/** ARNs as AWS IoT writes them. */
export interface Scope {
  region: string;
  accountId: string;
}

export const jobArn = (s: Scope, jobId: string) => `arn:aws:iot:${s.region}:${s.accountId}:job/${jobId}`;
export const thingArn = (s: Scope, thingName: string) => `arn:aws:iot:${s.region}:${s.accountId}:thing/${thingName}`;
export const thingGroupArn = (s: Scope, groupName: string) =>
  `arn:aws:iot:${s.region}:${s.accountId}:thinggroup/${groupName}`;

export type Target = { kind: 'thing' | 'group'; name: string };

const TARGET = /^arn:aws[a-z-]*:iot:([a-z0-9-]+):(\d{12}):(thing|thinggroup)\/([a-zA-Z0-9:_-]{1,128})$/;

/** Parses a job target ARN; undefined when it is not a thing or thing-group ARN of this account and region. */
export function parseTarget(s: Scope, arn: string): Target | undefined {
  const m = TARGET.exec(arn);
  if (!m || m[1] !== s.region || m[2] !== s.accountId) return undefined;
  return { kind: m[3] === 'thing' ? 'thing' : 'group', name: m[4]! };
}

const RESOURCE = /^arn:aws[a-z-]*:iot:[a-z0-9-]+:\d{12}:(job|thinggroup|thing)\/(.+)$/;
export function parseResourceArn(arn: string): { type: string; name: string } | undefined {
  const m = RESOURCE.exec(arn);
  return m ? { type: m[1]!, name: m[2]! } : undefined;
}
