import type { JobExecutionStatus, JobExecutionSummaryForJob, JobExecutionSummaryForThing } from '@aws-sdk/client-iot';
import { fmtTime, h } from './dom.js';
import { pagedTable, type Page, type PagedTable } from './paged.js';
import { relative } from './time.js';

type Summary = JobExecutionSummaryForJob['jobExecutionSummary'] & JobExecutionSummaryForThing['jobExecutionSummary'];

/** A time cell: relative ("2 min ago"), the exact time on hover. */
export const timeCell = (d: Date | undefined) => h('td', { class: 'time', title: fmtTime(d) }, relative(d));

/** A status badge; FAILED, REJECTED, TIMED_OUT and SUCCEEDED each have their own colour (style.css). */
export const statusBadge = (status: string | undefined) => h('span', { class: `badge s-${status}`, 'data-status': status ?? '' }, status ?? '');

/** `statusDetails` as `key=value` pairs. */
export const detailsText = (d: Record<string, string> | undefined) =>
  d && Object.keys(d).length ? Object.entries(d).map(([k, v]) => `${k}=${v}`).join(', ') : '';

/**
 * A paged execution list (of a job, or of a thing), filtered by status. The first column links to
 * the other side; `detail` (when given) links each row to its execution's page, and `details`
 * fills the statusDetails column.
 */
export function executionsTable<T extends { jobExecutionSummary?: Summary }>(opts: {
  name: string;
  first: string;
  link(item: T): { attr: string; label: string; href: string };
  detail(item: T): string;
  details?(item: T): string;
  load(status: JobExecutionStatus | undefined, nextToken: string | undefined, maxResults: number): Promise<Page<T>>;
}): PagedTable {
  return pagedTable<T>({
    name: opts.name,
    columns: [opts.first, 'status', 'status details', 'execution #', 'queued', 'started', 'updated'],
    pageSize: 25,
    load: (status, nextToken, maxResults) => opts.load(status as JobExecutionStatus | undefined, nextToken, maxResults),
    row(item) {
      const l = opts.link(item);
      const x = item.jobExecutionSummary;
      return h(
        'tr',
        { [l.attr]: l.label },
        h('td', {}, h('a', { href: l.href }, l.label)),
        h('td', {}, h('a', { href: opts.detail(item), class: 'open-execution', title: 'open this execution' }, statusBadge(x?.status))),
        h('td', { class: 'details' }, opts.details?.(item) ?? ''),
        h('td', { class: 'num' }, x?.executionNumber ?? ''),
        timeCell(x?.queuedAt),
        timeCell(x?.startedAt),
        timeCell(x?.lastUpdatedAt),
      );
    },
  });
}
