import { EVENT_TYPES, type EventType } from '../domain/event-types.js';
import type { Input, OperationContext, Output } from './types.js';
import { date } from './util.js';

/** UpdateEventConfigurations: keys left out keep their value; the codec has already refused unknown keys. */
export async function UpdateEventConfigurations(ctx: OperationContext, input: Input): Promise<Output> {
  const changes: Partial<Record<EventType, boolean>> = {};
  for (const [type, config] of Object.entries((input.eventConfigurations ?? {}) as Record<string, { Enabled?: boolean }>)) {
    // `{"THING": {}}` names no value: the key stays as it was.
    if (config.Enabled !== undefined) changes[type as EventType] = config.Enabled;
  }
  await ctx.eventConfig.update(changes);
  return {};
}

/** DescribeEventConfigurations: every EventType key, enabled or not, as AWS lists them. */
export async function DescribeEventConfigurations(ctx: OperationContext): Promise<Output> {
  const s = await ctx.eventConfig.describe();
  const eventConfigurations: Record<string, { Enabled: boolean }> = {};
  for (const type of EVENT_TYPES) eventConfigurations[type] = { Enabled: s.enabled.has(type) };
  return { eventConfigurations, creationDate: date(s.createdAt), lastModifiedDate: date(s.updatedAt) };
}
