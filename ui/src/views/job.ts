import {
  CancelJobCommand,
  DeleteJobCommand,
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  GetJobDocumentCommand,
  ListJobExecutionsForJobCommand,
  type IoTClient,
  type Job,
  type JobExecutionSummaryForJob,
} from '@aws-sdk/client-iot';
import { Progress } from '../../../src/cli/progress.js';
import { history, historyChart } from '../chart.js';
import { getNextRelease, type NextRelease } from '../clock.js';
import { confirmAction } from '../confirm.js';
import { errorText, fill, fmtTime, h, thingNameOf } from '../dom.js';
import { eventFeed } from '../events.js';
import { detailsText, executionsTable } from '../executions.js';
import { counts, fmtEta, fmtRate, legend, phase, phaseBar, progressBar } from '../progress.js';
import type { Session } from '../session.js';
import { countNow } from '../targets.js';
import { now, relative } from '../time.js';
import { abortGauges, configWords, paceWords } from '../words.js';
import type { View } from './view.js';

function configList(job: Job): HTMLElement {
  const rows: [string, unknown][] = [
    ['ARN', job.jobArn],
    ['description', job.description],
    ['target selection', job.targetSelection],
    ['targets', job.targets?.join('\n')],
    ['created', fmtTime(job.createdAt)],
    ['last updated', fmtTime(job.lastUpdatedAt)],
    ['completed', job.completedAt && fmtTime(job.completedAt)],
    ['force canceled', job.forceCanceled],
    ['reason code', job.reasonCode],
    ['comment', job.comment],
    ...configWords(job),
    ['presigned URLs', job.presignedUrlConfig],
    ['template', job.jobTemplateArn],
    ['namespace', job.namespaceId],
  ];
  return h(
    'dl',
    { class: 'config' },
    ...rows
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-key': k }, typeof v === 'object' ? h('code', {}, JSON.stringify(v)) : String(v))]),
  );
}

/** Cancel or delete, with or without force: a confirmation that says what each one does. */
function jobActions(iot: IoTClient, jobId: string, after: () => void, failed: (err: unknown) => void): HTMLElement {
  const act = async (kind: 'cancel' | 'delete') => {
    const force = h('input', { type: 'checkbox', name: 'force' });
    const comment = h('input', { name: 'comment', placeholder: 'comment (optional)', 'aria-label': 'comment' });
    const ok = await confirmAction({
      title: kind === 'cancel' ? `Cancel job ${jobId}` : `Delete job ${jobId}`,
      text:
        kind === 'cancel'
          ? 'Queued executions are canceled. Executions already IN_PROGRESS go on unless you force it, which cancels them too (the devices may be in the middle of the update).'
          : 'The job and its executions are deleted. A job with executions still IN_PROGRESS can be deleted only with force.',
      ok: kind === 'cancel' ? 'Cancel job' : 'Delete job',
      danger: true,
      extra: h(
        'div',
        { class: 'extra' },
        h('label', { class: 'check' }, force, kind === 'cancel' ? ' force: cancel IN_PROGRESS executions too' : ' force: delete even with executions IN_PROGRESS'),
        kind === 'cancel' ? comment : null,
      ),
    });
    if (!ok) return;
    try {
      if (kind === 'cancel') await iot.send(new CancelJobCommand({ jobId, force: force.checked, comment: comment.value.trim() || undefined }));
      else await iot.send(new DeleteJobCommand({ jobId, force: force.checked }));
      after();
    } catch (err) {
      failed(err);
    }
  };
  return h(
    'div',
    { class: 'actions' },
    h('button', { type: 'button', class: 'act-cancel', onclick: () => act('cancel') }, 'Cancel…'),
    h('button', { type: 'button', class: 'act-delete danger', onclick: () => act('delete') }, 'Delete…'),
  );
}

/** One job: progress against its targets, abort gauges, history, live events, configuration, document and executions. */
export function jobView(iot: IoTClient, session: Session, jobId: string, onChange: () => void): View {
  const head = h('div', { class: 'title-row' });
  const error = h('p', { class: 'error', hidden: true });
  const actions = jobActions(iot, jobId, onChange, (err) => {
    error.hidden = false;
    error.dataset.kind = 'action';
    fill(error, errorText(err));
  });
  const live = h('section', { class: 'live', 'aria-live': 'polite' });
  const gauges = h('section', { class: 'abort', hidden: true });
  const config = h('section', { class: 'config-box' });
  const doc = h('pre', { class: 'document' });
  const chart = historyChart();
  const feed = eventFeed(iot, session, jobId);
  const progress = new Progress();
  let targeted: number | null = null;
  let seen = false;
  let gone = false;
  let chartAt = 0;
  let release: NextRelease | undefined;
  // statusDetails is not in the list's summaries: read per row, again only when the row changed.
  const details = new Map<string, { at: number; text: string }>();

  const executions = executionsTable<JobExecutionSummaryForJob>({
    name: 'executions',
    first: 'thing',
    link: (e) => {
      const thing = thingNameOf(e.thingArn);
      return { attr: 'data-thing', label: thing, href: `#/things/${encodeURIComponent(thing)}` };
    },
    detail: (e) => `#/jobs/${encodeURIComponent(jobId)}/things/${encodeURIComponent(thingNameOf(e.thingArn))}`,
    details: (e) => details.get(thingNameOf(e.thingArn))?.text ?? '',
    async load(status, nextToken, maxResults) {
      const r = await iot.send(new ListJobExecutionsForJobCommand({ jobId, status, nextToken, maxResults }));
      const items = r.executionSummaries ?? [];
      await Promise.all(
        items.map(async (e) => {
          const thing = thingNameOf(e.thingArn);
          const at = e.jobExecutionSummary?.lastUpdatedAt?.getTime() ?? 0;
          if (details.get(thing)?.at === at) return;
          const x = await iot.send(new DescribeJobExecutionCommand({ jobId, thingName: thing })).catch(() => undefined);
          details.set(thing, { at, text: detailsText(x?.execution?.statusDetails?.detailsMap) });
        }),
      );
      return { items, nextToken: r.nextToken };
    },
  });

  const el = h(
    'div',
    { class: 'view job', 'data-job': jobId },
    head,
    error,
    live,
    gauges,
    h('div', { class: 'columns' }, h('section', {}, h('h2', {}, 'History (per minute)'), chart.el), feed.el),
    h('div', { class: 'columns' }, h('section', {}, h('h2', {}, 'Configuration'), config), h('section', {}, h('h2', {}, 'Document'), doc)),
    h('section', { class: 'executions' }, h('h2', {}, 'Executions'), executions.el),
  );

  const showLive = (job: Job) => {
    const f = progress.frame(job, Date.now(), job.status === 'DELETION_IN_PROGRESS' ? null : targeted);
    const p = phase(job, f);
    const c = counts(job.jobProcessDetails);
    const notified = f.queued + f.inProgress + f.succeeded + f.failed + f.rejected + f.timedOut + f.canceled + f.removed;
    const what =
      p.name === 'deleting' ? 'executions left to delete'
      : p.name === 'canceling' ? 'executions left to cancel'
      : p.name === 'canceled' ? 'still IN_PROGRESS (canceled without force: they go on)'
      : p.name === 'done' ? 'nothing left to do'
      : f.targeted !== null ? 'targets not done yet' : 'executions still open';
    const pace = paceWords(job);
    fill(
      live,
      h('div', { class: `phase p-${p.name.replace(' ', '-')}` }, h('b', {}, p.name), ' · ', h('span', { class: 'left', 'data-left': p.left }, p.left), ` ${what}`),
      phaseBar(p),
      p.name === 'deleting'
        ? null
        : h(
            'ul',
            { class: 'targets' },
            h('li', { 'data-k': 'targeted' }, 'targeted ', h('b', {}, f.targeted ?? '…')),
            h('li', { 'data-k': 'not-started' }, job.status === 'CANCELED' || job.status === 'COMPLETED' ? 'never notified ' : 'not started ', h('b', {}, f.notStarted ?? '…')),
            h('li', { 'data-k': 'notified' }, 'notified ', h('b', {}, notified)),
            h('li', { 'data-k': 'done' }, 'done ', h('b', {}, f.done)),
            pace ? h('li', { 'data-k': 'pace' }, 'pace ', h('b', {}, pace)) : null,
            nextText(release, f.notStarted, p.name === 'rolling out'),
          ),
      progressBar(c, f.targeted ?? 0),
      legend(c),
      h('p', { class: 'rate' }, `rate ${fmtRate(f.rate)} · ETA ${p.name === 'done' || p.name === 'canceled' ? '—' : fmtEta(f.etaSeconds)} · ${notified} executions`),
    );
    const g = abortGauges(job, f);
    gauges.hidden = !g;
    if (g) fill(gauges, h('h2', {}, 'Abort criteria'), g);
  };

  async function refresh(): Promise<void> {
    if (gone) return;
    try {
      const { job } = await iot.send(new DescribeJobCommand({ jobId }));
      if (!job) throw new Error('DescribeJob returned no job');
      if (!seen) {
        seen = true;
        const d = await iot.send(new GetJobDocumentCommand({ jobId })).catch(() => undefined);
        fill(doc, prettyJson(d?.document ?? ''));
        targeted = await countNow(iot, job);
      }
      fill(
        head,
        h('h1', {}, job.jobId ?? jobId),
        h('span', { class: `badge j-${job.status}`, 'data-status': job.status }, job.status),
        h('span', { class: 'when', title: fmtTime(job.createdAt) }, `created ${relative(job.createdAt)}`),
        job.status === 'DELETION_IN_PROGRESS' ? null : actions,
      );
      fill(config, configList(job));
      // The next paced release: asked only of a paced rollout still going.
      const waiting = (job.status === 'IN_PROGRESS' || job.status === 'SCHEDULED') && paceWords(job) !== undefined;
      release = waiting ? await getNextRelease(session, jobId).catch(() => undefined) : undefined;
      showLive(job);
      if (error.dataset.kind !== 'action') error.hidden = true;
      await Promise.all([executions.refresh(), feed.refresh(), chartAt + 10_000 < Date.now() ? drawChart(job) : undefined]);
    } catch (err) {
      if ((err as Error).name === 'ResourceNotFoundException') {
        gone = seen;
        fill(head, h('h1', {}, jobId), h('span', { class: 'badge gone', 'data-status': 'GONE' }, seen ? 'deleted' : 'not found'));
        fill(
          live,
          h('p', { class: 'gone-text' }, seen ? `Job ${jobId} is gone: all its executions are deleted.` : `No job ${jobId}.`),
          h('a', { href: '#/' }, '← all jobs'),
        );
        el.querySelector('section.executions')?.remove();
        gauges.hidden = true;
        if (seen) config.prepend(h('p', { class: 'note' }, 'As last seen:'));
        return;
      }
      error.hidden = false;
      fill(error, errorText(err));
    }
  }

  async function drawChart(job: Job): Promise<void> {
    chartAt = Date.now();
    const from = job.createdAt?.getTime() ?? now();
    chart.show(await history(iot, jobId, from, Math.max(now(), job.lastUpdatedAt?.getTime() ?? 0)));
  }

  return { el, title: `Job ${jobId}`, refresh, close: feed.close };
}

/** "next 10 at 18:20:00" (local time; the exact instant on hover). */
function nextText(r: NextRelease | undefined, notStarted: number | null, rolling: boolean): HTMLElement | null {
  if (!rolling || !r?.nextRelease || notStarted === 0) return null;
  const at = new Date(r.nextRelease);
  const n = r.count ? Math.min(r.count, notStarted ?? r.count) : undefined;
  return h(
    'li',
    { 'data-k': 'next', 'data-at': r.nextRelease, 'data-count': n ?? '', title: r.nextRelease },
    'next release ',
    h('b', {}, `${n ? `${n} ` : ''}at ${at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })}`),
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
