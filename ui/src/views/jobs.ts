import { DescribeJobCommand, ListJobsCommand, type IoTClient, type Job, type JobSummary } from '@aws-sdk/client-iot';
import { fmtTime, h } from '../dom.js';
import { pagedTable } from '../paged.js';
import { counts, key, open, progressBar, total } from '../progress.js';
import { targetsOf } from '../targets.js';
import { relative } from '../time.js';
import type { View } from './view.js';

const JOB_STATUSES = [
  ['IN_PROGRESS', 'in progress'],
  ['SCHEDULED', 'scheduled'],
  ['COMPLETED', 'completed'],
  ['CANCELED', 'canceled'],
  ['DELETION_IN_PROGRESS', 'deletion in progress'],
] as const;

/**
 * The job list: a page of ListJobs, each with its counters from DescribeJob (no scan: kept
 * counters), done against the job's targets (a 50-thing group reads `x / 50`, as `jobs watch`).
 */
export function jobsView(iot: IoTClient): View {
  let search = '';
  const table = pagedTable<{ summary: JobSummary; job?: Job }>({
    name: 'jobs',
    columns: ['job', 'description', 'status', 'progress', 'done / targets', 'created', 'updated'],
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
      return { items: items.filter((i) => (i.summary.jobId ?? '').toLowerCase().includes(search)), nextToken: page.nextToken };
    },
    row({ summary, job }) {
      const c = counts(job?.jobProcessDetails);
      const status = job?.status ?? summary.status ?? '';
      const targeted = job && status !== 'DELETION_IN_PROGRESS' ? targetsOf(iot, job) : null;
      const n = Math.max(total(c), targeted ?? 0);
      return h(
        'tr',
        { 'data-job': summary.jobId ?? '' },
        h('td', {}, h('a', { href: `#/jobs/${encodeURIComponent(summary.jobId ?? '')}` }, summary.jobId ?? '')),
        h('td', { class: 'description', title: job?.description ?? '' }, job?.description ?? ''),
        h('td', {}, h('span', { class: `badge j-${status}` }, status)),
        h('td', { class: 'bar-cell' }, progressBar(c, n)),
        h('td', { class: 'num' }, `${total(c) - open(c)} / ${n}`),
        h('td', { class: 'time', title: fmtTime(summary.createdAt) }, relative(summary.createdAt)),
        h('td', { class: 'time', title: fmtTime(job?.lastUpdatedAt ?? summary.lastUpdatedAt) }, relative(job?.lastUpdatedAt ?? summary.lastUpdatedAt)),
      );
    },
  });
  const thing = h('input', { name: 'thing', placeholder: 'thing name', 'aria-label': 'thing name', required: true });
  const jobSearch = h('input', {
    name: 'job-search',
    type: 'search',
    placeholder: 'job id',
    'aria-label': 'search by job id',
    oninput: () => {
      search = jobSearch.value.trim().toLowerCase();
      void table.refresh();
    },
  });
  const el = h(
    'div',
    { class: 'view jobs' },
    h(
      'div',
      { class: 'title-row' },
      h('h1', {}, 'Jobs'),
      h('a', { class: 'button primary', href: '#/create' }, 'Create job'),
      h(
        'form',
        { class: 'inline', onsubmit: (e: Event) => { e.preventDefault(); if (jobSearch.value.trim()) location.hash = `#/jobs/${encodeURIComponent(jobSearch.value.trim())}`; } },
        jobSearch,
        h('button', { type: 'submit' }, 'open job'),
      ),
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
