/**
 * The AWS IoT Jobs reserved topics, parsed and built in one place. Request topics map to the
 * device operations; replies add /accepted or /rejected; notifications are service → device.
 */
export const PREFIX = '$aws/things/';
/** What a service node subscribes to on an external broker to receive every device request. */
export const REQUEST_FILTER = '$aws/things/+/jobs/#';
const NAMESPACE = /^namespace-([a-zA-Z0-9_-]{1,64})$/;
/** The thing a `$aws/things/{thing}/jobs/...` topic belongs to, or undefined. */
export function topicThing(topic) {
    if (!topic.startsWith(PREFIX))
        return undefined;
    const parts = topic.slice(PREFIX.length).split('/');
    return parts.length >= 2 && parts[0] !== '' && parts[1] === 'jobs' ? parts[0] : undefined;
}
/** True for the service's own reply and notification topics, which devices never publish to. */
export function isServiceTopic(topic) {
    return /\/(accepted|rejected)$/.test(topic) || /\/jobs\/notify(-next)?(-namespace-[^/]+)?$/.test(topic);
}
/**
 * A request topic, 'invalid' for a topic under jobs/ that names no API (answered InvalidTopic),
 * or undefined for anything that is not a request (replies, notifications, other trees).
 */
export function parseRequest(topic) {
    const thingName = topicThing(topic);
    if (thingName === undefined || isServiceTopic(topic))
        return undefined;
    const rest = topic.slice(PREFIX.length + thingName.length + '/jobs/'.length).split('/');
    if (rest.length === 1 && rest[0] === 'get')
        return { thingName, api: 'GetPendingJobExecutions' };
    if (rest.length === 1 && rest[0] === 'start-next')
        return { thingName, api: 'StartNextPendingJobExecution' };
    let namespaceId;
    if (rest.length === 3) {
        const m = NAMESPACE.exec(rest[1]);
        if (!m)
            return 'invalid';
        namespaceId = m[1];
        rest.splice(1, 1);
    }
    if (rest.length !== 2 || rest[0] === '')
        return 'invalid';
    const jobId = rest[0];
    if (rest[1] === 'get')
        return { thingName, api: 'DescribeJobExecution', jobId, namespaceId };
    if (rest[1] === 'update' && jobId !== '$next')
        return { thingName, api: 'UpdateJobExecution', jobId, namespaceId };
    return 'invalid';
}
export const replyTopic = (requestTopic, accepted) => `${requestTopic}/${accepted ? 'accepted' : 'rejected'}`;
const nsSuffix = (namespaceId) => (namespaceId === null ? '' : `-namespace-${namespaceId}`);
export const notifyTopic = (thingName, namespaceId) => `${PREFIX}${thingName}/jobs/notify${nsSuffix(namespaceId)}`;
export const notifyNextTopic = (thingName, namespaceId) => `${PREFIX}${thingName}/jobs/notify-next${nsSuffix(namespaceId)}`;
/**
 * Where an application (an IAM identity) may publish: any topic of its own, and the jobs request
 * topics of any thing (it then speaks for that thing). Not the service's replies and notifications,
 * not `$aws/events/...`, and no other `$` topic: AWS reserves them and iot-jobs serves none of them.
 */
export const applicationMayPublish = (topic) => !topic.startsWith('$') || parseRequest(topic) !== undefined;
/** Devices may only use their own thing's jobs topics: client id = thing name. */
export const mayUse = (clientId, topic) => topic.startsWith(`${PREFIX}${clientId}/jobs/`);
const SLASH = 47;
const PLUS = 43;
const HASH = 35;
/**
 * MQTT topic-filter matching (`+` one level, `#` the rest, including the parent level; wildcards
 * first never match `$` topics). Walks both strings without allocating: it runs for every
 * notification the embedded broker considers.
 */
export function filterMatches(filter, topic) {
    if (filter === topic)
        return true;
    const first = filter.charCodeAt(0);
    if ((first === PLUS || first === HASH) && topic.startsWith('$'))
        return false;
    let i = 0;
    let j = 0;
    while (i < filter.length) {
        const c = filter.charCodeAt(i);
        if (c === HASH)
            return true;
        if (c === PLUS) {
            while (j < topic.length && topic.charCodeAt(j) !== SLASH)
                j++;
            i++;
            continue;
        }
        if (j === topic.length) {
            // "a/#" matches "a": the filter's rest is exactly "/#".
            return c === SLASH && i + 2 === filter.length && filter.charCodeAt(i + 1) === HASH;
        }
        if (topic.charCodeAt(j) !== c)
            return false;
        i++;
        j++;
    }
    return j === topic.length;
}
//# sourceMappingURL=topics.js.map