import { errorText, fill, h } from './dom.js';
import { STATES } from './progress.js';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface PagedTable {
  el: HTMLElement;
  /** Re-reads the page on show (live updates keep the page and filter the user chose). */
  refresh(): Promise<void>;
}

/** A table over a paged AWS list call (nextToken), with a status filter and previous/next. */
export function pagedTable<T>(opts: {
  name: string;
  columns: string[];
  pageSize: number;
  /** Values the status filter offers, with their labels. */
  statuses?: readonly (readonly [string, string])[];
  load(status: string | undefined, nextToken: string | undefined, maxResults: number): Promise<Page<T>>;
  row(item: T): HTMLTableRowElement;
}): PagedTable {
  const tokens: (string | undefined)[] = [undefined];
  let index = 0;
  let next: string | undefined;
  let status: string | undefined;
  const body = h('tbody');
  const info = h('span', { class: 'page-info' });
  const error = h('p', { class: 'error', hidden: true });
  const prev = h('button', { type: 'button', class: 'prev', onclick: () => go(index - 1) }, '← previous');
  const nextBtn = h('button', { type: 'button', class: 'next', onclick: () => go(index + 1) }, 'next →');
  const filter = h(
    'select',
    { name: `${opts.name}-status`, 'aria-label': 'filter by status', onchange: () => { status = filter.value || undefined; tokens.length = 1; go(0); } },
    h('option', { value: '' }, 'all statuses'),
    ...(opts.statuses ?? STATES.map(([s, , label]) => [s, label] as const)).map(([s, label]) => h('option', { value: s }, label)),
  );
  const el = h(
    'section',
    { class: 'paged', 'data-table': opts.name },
    h('div', { class: 'controls' }, filter, prev, info, nextBtn),
    error,
    h('table', {}, h('thead', {}, h('tr', {}, ...opts.columns.map((c) => h('th', {}, c)))), body),
  );

  async function refresh(): Promise<void> {
    try {
      const page = await opts.load(status, tokens[index], opts.pageSize);
      next = page.nextToken;
      fill(body, ...page.items.map(opts.row));
      if (!page.items.length) fill(body, h('tr', {}, h('td', { colspan: opts.columns.length, class: 'empty' }, 'none')));
      error.hidden = true;
    } catch (err) {
      error.hidden = false;
      fill(error, errorText(err));
    }
    prev.disabled = index === 0;
    nextBtn.disabled = !next;
    fill(info, `page ${index + 1}`);
  }

  async function go(i: number): Promise<void> {
    if (i < 0) return;
    if (i > index) tokens[i] = next;
    index = i;
    await refresh();
  }

  return { el, refresh };
}
