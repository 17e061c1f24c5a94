/**
 * The AWS IoT Jobs reserved topics, parsed and built in one place. Request topics map to the
 * device operations; replies add /accepted or /rejected; notifications are service → device.
 */

export type DeviceApi = 'GetPendingJobExecutions' | 'StartNextPendingJobExecution' | 'DescribeJobExecution' | 'UpdateJobExecution';

export interface RequestTopic {
  thingName: string;
  api: DeviceApi;
  jobId?: string;
  namespaceId?: string;
}

export const PREFIX = '$aws/things/';
/** What a service node subscribes to on an external broker to receive every device request. */
export const REQUEST_FILTER = '$aws/things/+/jobs/#';

const NAMESPACE = /^namespace-([a-zA-Z0-9_-]{1,64})$/;

/** The thing a `$aws/things/{thing}/jobs/...` topic belongs to, or undefined. */
export function topicThing(topic: string): string | undefined {
  if (!topic.startsWith(PREFIX)) return undefined;
  const parts = topic.slice(PREFIX.length).split('/');
  return parts.length >= 2 && parts[0] !== '' && parts[1] === 'jobs' ? parts[0] : undefined;
}

/** True for the service's own reply and notification topics, which devices never publish to. */
export function isServiceTopic(topic: string): boolean {
  return /\/(accepted|rejected)$/.test(topic) || /\/jobs\/notify(-next)?(-namespace-[^/]+)?$/.test(topic);
}

/**
 * A request topic, 'invalid' for a topic under jobs/ that names no API (answered InvalidTopic),
 * or undefined for anything that is not a request (replies, notifications, other trees).
 */
export function parseRequest(topic: string): RequestTopic | 'invalid' | undefined {
  const thingName = topicThing(topic);
  if (thingName === undefined || isServiceTopic(topic)) return undefined;
  const rest = topic.slice(PREFIX.length + thingName.length + '/jobs/'.length).split('/');
  if (rest.length === 1 && rest[0] === 'get') return { thingName, api: 'GetPendingJobExecutions' };
  if (rest.length === 1 && rest[0] === 'start-next') return { thingName, api: 'StartNextPendingJobExecution' };
  let namespaceId: string | undefined;
  if (rest.length === 3) {
    const m = NAMESPACE.exec(rest[1]!);
    if (!m) return 'invalid';
    namespaceId = m[1];
    rest.splice(1, 1);
  }
  if (rest.length !== 2 || rest[0] === '') return 'invalid';
  const jobId = rest[0]!;
  if (rest[1] === 'get') return { thingName, api: 'DescribeJobExecution', jobId, namespaceId };
  if (rest[1] === 'update' && jobId !== '$next') return { thingName, api: 'UpdateJobExecution', jobId, namespaceId };
  return 'invalid';
}

export const replyTopic = (requestTopic: string, accepted: boolean) => `${requestTopic}/${accepted ? 'accepted' : 'rejected'}`;

const nsSuffix = (namespaceId: string | null) => (namespaceId === null ? '' : `-namespace-${namespaceId}`);
export const notifyTopic = (thingName: string, namespaceId: string | null) => `${PREFIX}${thingName}/jobs/notify${nsSuffix(namespaceId)}`;
export const notifyNextTopic = (thingName: string, namespaceId: string | null) => `${PREFIX}${thingName}/jobs/notify-next${nsSuffix(namespaceId)}`;

/** Devices may only use their own thing's jobs topics: client id = thing name. */
export const mayUse = (clientId: string, topic: string) => topic.startsWith(`${PREFIX}${clientId}/jobs/`);

/** MQTT topic-filter matching (`+` one level, `#` the rest, including the parent level). */
export function filterMatches(filter: string, topic: string): boolean {
  if (filter === topic) return true;
  if (!filter.includes('+') && !filter.includes('#')) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return i > 0 || !topic.startsWith('$');
    if (i >= t.length || (f[i] !== t[i] && (f[i] !== '+' || (i === 0 && topic.startsWith('$'))))) return false;
  }
  return f.length === t.length;
}
