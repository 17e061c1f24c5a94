import {
  DescribeThingCommand,
  ListCommandExecutionsCommand,
  ListJobExecutionsForThingCommand,
  ListThingGroupsForThingCommand,
  SearchIndexCommand,
  type IoTClient,
  type JobExecutionSummaryForThing,
  type ThingConnectivity,
} from '@aws-sdk/client-iot';
import { errorText, fill, fmtTime, h } from '../dom.js';
import { executionsTable, statusBadge, timeCell } from '../executions.js';
import { relative } from '../time.js';
import type { View } from './view.js';

/** Whether the broker has the thing connected, from the fleet index (connectivity indexing on); undefined when not indexed. */
async function connectivity(iot: IoTClient, thingName: string): Promise<ThingConnectivity | undefined | 'off'> {
  try {
    const r = await iot.send(new SearchIndexCommand({ indexName: 'AWS_Things', queryString: `thingName:${JSON.stringify(thingName)}`, maxResults: 1 }));
    return r.things?.[0]?.connectivity ?? 'off';
  } catch {
    return 'off';
  }
}

/** One thing: its registry entry (attributes, type, groups), connectivity, job executions and command executions. */
export function thingView(iot: IoTClient, thingName: string): View {
  const head = h('div', { class: 'title-row' }, h('h1', {}, `Thing ${thingName}`));
  const facts = h('dl', { class: 'config thing-facts' });
  const attrs = h('dl', { class: 'config attributes' });
  const error = h('p', { class: 'error', hidden: true });
  const commands = h('tbody');
  const table = executionsTable<JobExecutionSummaryForThing>({
    name: 'thing-executions',
    first: 'job',
    link: (e) => ({ attr: 'data-job', label: e.jobId ?? '', href: `#/jobs/${encodeURIComponent(e.jobId ?? '')}` }),
    detail: (e) => `#/jobs/${encodeURIComponent(e.jobId ?? '')}/things/${encodeURIComponent(thingName)}`,
    async load(status, nextToken, maxResults) {
      const r = await iot.send(new ListJobExecutionsForThingCommand({ thingName, status, nextToken, maxResults }));
      return { items: r.executionSummaries ?? [], nextToken: r.nextToken };
    },
  });
  const el = h(
    'div',
    { class: 'view thing', 'data-thing': thingName },
    head,
    error,
    h('div', { class: 'columns' }, h('section', {}, h('h2', {}, 'Thing'), facts), h('section', {}, h('h2', {}, 'Attributes'), attrs)),
    h('h2', {}, 'Job executions'),
    table.el,
    h('h2', {}, 'Command executions'),
    h(
      'section',
      { class: 'paged', 'data-table': 'command-executions' },
      h('table', {}, h('thead', {}, h('tr', {}, ...['command', 'status', 'execution id', 'created', 'completed'].map((c) => h('th', {}, c)))), commands),
    ),
  );

  async function refresh(): Promise<void> {
    try {
      const [thing, groups, conn] = await Promise.all([
        iot.send(new DescribeThingCommand({ thingName })),
        iot.send(new ListThingGroupsForThingCommand({ thingName, maxResults: 50 })),
        connectivity(iot, thingName),
      ]);
      const conText =
        conn === 'off'
          ? 'unknown (connectivity indexing is off: UpdateIndexingConfiguration with thingConnectivityIndexingMode STATUS)'
          : conn?.connected
            ? `connected since ${relative(conn.timestamp !== undefined ? new Date(Number(conn.timestamp)) : undefined)}`
            : `disconnected${conn?.disconnectReason ? ` (${conn.disconnectReason})` : ''}`;
      const last = conn !== 'off' && conn?.timestamp !== undefined ? new Date(Number(conn.timestamp)) : undefined;
      const rows: [string, string | undefined, string?][] = [
        ['type', thing.thingTypeName ?? 'none'],
        ['groups', (groups.thingGroups ?? []).map((g) => g.groupName).join(', ') || 'none'],
        ['connected', conText, conn === 'off' ? 'unknown' : conn?.connected ? 'yes' : 'no'],
        ['last seen', conn !== 'off' && conn?.connected ? 'now' : last ? `${relative(last)} (${fmtTime(last)})` : undefined],
        ['version', String(thing.version ?? '')],
        ['ARN', thing.thingArn],
      ];
      fill(
        facts,
        ...rows.filter(([, v]) => v !== undefined).flatMap(([k, v, data]) => [h('dt', {}, k), h('dd', { 'data-key': k, ...(data ? { 'data-value': data } : {}) }, v!)]),
      );
      const a = Object.entries(thing.attributes ?? {});
      fill(attrs, ...(a.length ? a.flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-key': k }, v)]) : [h('dd', { class: 'note' }, 'none')]));
      const cmds = await iot.send(new ListCommandExecutionsCommand({ targetArn: thing.thingArn, maxResults: 25, sortOrder: 'DESCENDING' }));
      const list = cmds.commandExecutions ?? [];
      fill(
        commands,
        ...(list.length
          ? list.map((c) =>
              h(
                'tr',
                { 'data-command-execution': c.executionId ?? '' },
                h('td', {}, (c.commandArn ?? '').replace(/^.*:command\//, '')),
                h('td', {}, statusBadge(c.status)),
                h('td', { class: 'num' }, c.executionId ?? ''),
                timeCell(c.createdAt),
                timeCell(c.completedAt),
              ),
            )
          : [h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'none'))]),
      );
      error.hidden = true;
    } catch (err) {
      error.hidden = false;
      fill(error, errorText(err));
    }
    await table.refresh();
  }
  return { el, title: `Thing ${thingName}`, refresh };
}
