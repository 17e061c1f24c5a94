import { ListJobExecutionsForThingCommand, type IoTClient, type JobExecutionSummaryForThing } from '@aws-sdk/client-iot';
import { h } from '../dom.js';
import { executionsTable } from '../executions.js';
import type { View } from './view.js';

/** One thing: its job executions, as ListJobExecutionsForThing pages them. */
export function thingView(iot: IoTClient, thingName: string): View {
  const table = executionsTable<JobExecutionSummaryForThing>({
    name: 'thing-executions',
    first: 'job',
    link: (e) => ({ attr: 'data-job', label: e.jobId ?? '', href: `#/jobs/${encodeURIComponent(e.jobId ?? '')}` }),
    async load(status, nextToken, maxResults) {
      const r = await iot.send(new ListJobExecutionsForThingCommand({ thingName, status, nextToken, maxResults }));
      return { items: r.executionSummaries ?? [], nextToken: r.nextToken };
    },
  });
  const el = h('div', { class: 'view thing', 'data-thing': thingName }, h('div', { class: 'title-row' }, h('h1', {}, `Thing ${thingName}`)), h('h2', {}, 'Job executions'), table.el);
  return { el, title: `Thing ${thingName}`, refresh: table.refresh };
}
