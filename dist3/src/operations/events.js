import { EVENT_TYPES } from '../domain/event-types.js';
import { date } from './util.js';
/** UpdateEventConfigurations: keys left out keep their value; the codec has already refused unknown keys. */
export async function UpdateEventConfigurations(ctx, input) {
    const changes = {};
    for (const [type, config] of Object.entries((input.eventConfigurations ?? {}))) {
        // `{"THING": {}}` names no value: the key stays as it was.
        if (config.Enabled !== undefined)
            changes[type] = config.Enabled;
    }
    await ctx.eventConfig.update(changes);
    return {};
}
/** DescribeEventConfigurations: every EventType key, enabled or not, as AWS lists them. */
export async function DescribeEventConfigurations(ctx) {
    const s = await ctx.eventConfig.describe();
    const eventConfigurations = {};
    for (const type of EVENT_TYPES)
        eventConfigurations[type] = { Enabled: s.enabled.has(type) };
    return { eventConfigurations, creationDate: date(s.createdAt), lastModifiedDate: date(s.updatedAt) };
}
//# sourceMappingURL=events.js.map