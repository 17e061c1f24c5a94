import type { JobExecutionStatus, JobExecutionSummaryForJob, JobExecutionSummaryForThing } from '@aws-sdk/client-iot';
import { fmtTime, h } from './dom.js';
import { pagedTable, type Page, type PagedTable } from './paged.js';

type Summary = JobExecutionSummaryForJob['jobExecutionSummary'] & JobExecutionSummaryForThing['jobExecutionSummary'];

/** A paged execution list (of a job, or of a thing), filtered by status; the first column links to the other side. */
export function executionsTable<T extends { jobExecutionSummary?: Summary }>(opts: {
  name: string;
  /** The first column: its heading, and per row the data attribute, label and link. */
  first: string;
  link(item: T): { attr: string; label: string; href: string };
  load(status: JobExecutionStatus | undefined, nextToken: string | undefined, maxResults: number): Promise<Page<T>>;
}): PagedTable {
  return pagedTable<T>({
    name: opts.name,
    columns: [opts.first, 'status', 'execution #', 'queued', 'started', 'updated'],
    pageSize: 25,
    load: (status, nextToken, maxResults) => opts.load(status as JobExecutionStatus | undefined, nextToken, maxResults),
    row(item) {
      const l = opts.link(item);
      const x = item.jobExecutionSummary;
      return h(
        'tr',
        { [l.attr]: l.label },
        h('td', {}, h('a', { href: l.href }, l.label)),
        h('td', {}, h('span', { class: `badge s-${x?.status}` }, x?.status ?? '')),
        h('td', { class: 'num' }, x?.executionNumber ?? ''),
        h('td', {}, fmtTime(x?.queuedAt)),
        h('td', {}, fmtTime(x?.startedAt)),
        h('td', {}, fmtTime(x?.lastUpdatedAt)),
      );
    },
  });
}
