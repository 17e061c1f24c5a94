import {
  DescribeJobCommand,
  GetJobDocumentCommand,
  ListJobExecutionsForJobCommand,
  type IoTClient,
  type Job,
  type JobExecutionSummaryForJob,
} from '@aws-sdk/client-iot';
import { errorText, fill, fmtTime, h, thingNameOf } from '../dom.js';
import { executionsTable } from '../executions.js';
import { counts, fmtEta, fmtRate, legend, phase, phaseBar, progressBar, RateMeter, total, type Phase } from '../progress.js';
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
    ['rollout', job.jobExecutionsRolloutConfig],
    ['abort', job.abortConfig],
    ['timeout', job.timeoutConfig],
    ['retry', job.jobExecutionsRetryConfig],
    ['scheduling', job.schedulingConfig],
    ['presigned URLs', job.presignedUrlConfig],
    ['template', job.jobTemplateArn],
    ['namespace', job.namespaceId],
  ];
  return h(
    'dl',
    { class: 'config' },
    ...rows
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, typeof v === 'object' ? h('code', {}, JSON.stringify(v)) : String(v))]),
  );
}

/** One job: configuration, document, live progress with rate and ETA, and its executions. */
export function jobView(iot: IoTClient, jobId: string): View {
  const head = h('div', { class: 'title-row' });
  const live = h('section', { class: 'live', 'aria-live': 'polite' });
  const config = h('section', { class: 'config-box' });
  const doc = h('pre', { class: 'document' });
  const error = h('p', { class: 'error', hidden: true });
  const meter = new RateMeter();
  let seen = false;
  let gone = false;
  let last: Phase['name'] | undefined;
  // The most executions seen: a deletion counts down from it (from its first sight, if opened mid-way).
  let peak = 0;

  const executions = executionsTable<JobExecutionSummaryForJob>({
    name: 'executions',
    first: 'thing',
    link: (e) => {
      const thing = thingNameOf(e.thingArn);
      return { attr: 'data-thing', label: thing, href: `#/things/${encodeURIComponent(thing)}` };
    },
    async load(status, nextToken, maxResults) {
      const r = await iot.send(new ListJobExecutionsForJobCommand({ jobId, status, nextToken, maxResults }));
      return { items: r.executionSummaries ?? [], nextToken: r.nextToken };
    },
  });

  const el = h(
    'div',
    { class: 'view job', 'data-job': jobId },
    head,
    error,
    live,
    h('div', { class: 'columns' }, h('section', {}, h('h2', {}, 'Configuration'), config), h('section', {}, h('h2', {}, 'Document'), doc)),
    h('section', { class: 'executions' }, h('h2', {}, 'Executions'), executions.el),
  );

  const showLive = (job: Job) => {
    const c = counts(job.jobProcessDetails);
    const n = total(c);
    peak = Math.max(peak, n);
    const p = phase(job, c, peak - n);
    if (p.name !== last) meter.reset(); // a new phase counts a different thing
    last = p.name;
    meter.add(p.done);
    const what = p.name === 'deleting' ? 'executions left to delete' : p.name === 'done' ? 'nothing left to do' : 'executions still open';
    fill(
      live,
      h('div', { class: `phase p-${p.name.replace(' ', '-')}` }, h('b', {}, p.name), ' · ', h('span', { class: 'left', 'data-left': p.left }, p.left), ` ${what}`),
      phaseBar(p),
      progressBar(c),
      legend(c),
      h(
        'p',
        { class: 'rate' },
        `rate ${fmtRate(meter.rate())} · ETA ${p.name === 'done' ? '—' : fmtEta(meter.eta(p.left))} · ${n} executions`,
      ),
    );
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
      }
      fill(head, h('h1', {}, job.jobId ?? jobId), h('span', { class: `badge j-${job.status}`, 'data-status': job.status }, job.status));
      fill(config, configList(job));
      showLive(job);
      error.hidden = true;
      await executions.refresh();
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
        if (seen) config.prepend(h('p', { class: 'note' }, 'As last seen:'));
        return;
      }
      error.hidden = false;
      fill(error, errorText(err));
    }
  }

  return { el, title: `Job ${jobId}`, refresh };
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
