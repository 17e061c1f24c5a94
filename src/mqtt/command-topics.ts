/**
 * The AWS IoT commands topics (perimeter.md §6.4): requests to a thing or an MQTT client, the
 * device's status updates on .../response/json, and the service's accepted/rejected replies.
 */

import { filterMatches } from './topics.js';

export type TargetKind = 'thing' | 'client';
const PLURAL: Record<TargetKind, string> = { thing: 'things', client: 'clients' };

export const COMMANDS_PREFIX = '$aws/commands/';
/** What a service node subscribes to on an external broker: every device's status update. */
export const COMMAND_RESPONSE_FILTER = '$aws/commands/+/+/executions/+/response/json';

/** `.../request/json`, `.../request/cbor`, or `.../request` for any other content type. */
export const commandRequestTopic = (kind: TargetKind, id: string, executionId: string, format: 'json' | 'cbor' | undefined) =>
  `${COMMANDS_PREFIX}${PLURAL[kind]}/${id}/executions/${executionId}/request${format ? `/${format}` : ''}`;

export interface CommandResponseTopic {
  kind: TargetKind;
  id: string;
  executionId: string;
}

const RESPONSE = /^\$aws\/commands\/(things|clients)\/([^/]+)\/executions\/([^/]+)\/response\/json$/;

/** A device's status update topic, or undefined. */
export function parseCommandResponse(topic: string): CommandResponseTopic | undefined {
  const m = RESPONSE.exec(topic);
  return m ? { kind: m[1] === 'things' ? 'thing' : 'client', id: m[2]!, executionId: m[3]! } : undefined;
}

export const commandReplyTopic = (responseTopic: string, accepted: boolean) =>
  `${responseTopic.slice(0, -'/json'.length)}/${accepted ? 'accepted' : 'rejected'}/json`;

/** A client may use the commands topics of its own id, as a thing and as a client (§6.7). */
export const mayUseCommands = (clientId: string, topic: string) =>
  topic.startsWith(`${COMMANDS_PREFIX}things/${clientId}/executions/`) || topic.startsWith(`${COMMANDS_PREFIX}clients/${clientId}/executions/`);

/** Devices publish only their status updates under $aws/commands (requests and replies come from the service). */
export const mayPublishCommands = (clientId: string, topic: string) => mayUseCommands(clientId, topic) && RESPONSE.test(topic);

/** A client whose id is no thing is a client target: its own `$aws/commands/clients/<id>/` topics and nothing else. */
export const clientTargetMayUse = (clientId: string, topic: string) => topic.startsWith(`${COMMANDS_PREFIX}clients/${clientId}/executions/`);
export const clientTargetMayPublish = (clientId: string, topic: string) => clientTargetMayUse(clientId, topic) && RESPONSE.test(topic);

/**
 * AWS IoT's rule for `#` (perimeter.md §6.4): it does not match its parent level, so a filter
 * `.../request/#` gets `.../request/json` and `.../request/cbor` but not the no-suffix `.../request`.
 * The embedded broker follows AWS here, for the commands topics (docs/compatibility.md).
 */
export const awsFilterMatches = (filter: string, topic: string) =>
  filterMatches(filter, topic) && !(filter.endsWith('/#') && filterMatches(filter.slice(0, -2), topic));
