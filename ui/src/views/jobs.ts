import { DescribeJobCommand, ListJobsCommand, type IoTClient, type Job, type JobSummary } from '@aws-sdk/client-iot';
import { fmtTime, h } from '../dom.js';
import { pagedTable } from '../paged.js';
import { counts, key, open, progressBar, total } from '../progress.js';
import type { View } from './view.js';

const JOB_STATUSES = [
  ['IN_PROGRESS', 'in progress'],
  ['SCHEDULED', 'scheduled'],
  ['COMPLETED', 'completed'],
  ['CANCELED', 'canceled'],
  ['DELETION_IN_PROGRESS', 'deletion in progress'],
] as const;

/** The job list: a page of ListJobs, each with its counters from DescribeJob (no scan: kept counters). */
export function jobsView(iot: IoTClient): View {
  const table = pagedTable<{ summary: JobSummary; job?: Job }>({
    name: 'jobs',
    columns: ['job', 'status', 'progress', 'done / total', 'created', 'updated'],
    pageSize: 25,
    statuses: JOB_STATUSES,
    async load(status, nextToken, maxResults) {
      const page = await iot.send(new ListJobsCommand({ status: status as JobSummary['status'], nextToken, maxResults }));
      const items = await Promise.all(
        (page.jobs ?? []).map(async (summary) => {
          // A job deleted between the two calls is shown from its summary alone.
          const job = await iot.send(new DescribeJobCommand({ jobId: summary.jobId })).then((d) => d.job, () => undefined);
          return { summary, job };
        }),
      );
      return { items, nextToken: page.nextToken };
    },
    row({ summary, job }) {
      const c = counts(job?.jobProcessDetails);
      const status = job?.status ?? summary.status ?? '';
      return h(
        'tr',
        { 'data-job': summary.jobId ?? '' },
        h('td', {}, h('a', { href: `#/jobs/${encodeURIComponent(summary.jobId ?? '')}` }, summary.jobId ?? '')),
        h('td', {}, h('span', { class: `badge j-${status}` }, status)),
        h('td', { class: 'bar-cell' }, progressBar(c)),
        h('td', { class: 'num' }, `${total(c) - open(c)} / ${total(c)}`),
        h('td', {}, fmtTime(summary.createdAt)),
        h('td', {}, fmtTime(job?.lastUpdatedAt ?? summary.lastUpdatedAt)),
      );
    },
  });
  const thing = h('input', { name: 'thing', placeholder: 'thing name', 'aria-label': 'thing name', required: true });
  const el = h(
    'div',
    { class: 'view jobs' },
    h(
      'div',
      { class: 'title-row' },
      h('h1', {}, 'Jobs'),
      h(
        'form',
        { class: 'inline', onsubmit: (e: Event) => { e.preventDefault(); location.hash = `#/things/${encodeURIComponent(thing.value.trim())}`; } },
        thing,
        h('button', { type: 'submit' }, 'show thing'),
      ),
    ),
    table.el,
    key(),
  );
  return { el, title: 'Jobs', refresh: table.refresh };
}
