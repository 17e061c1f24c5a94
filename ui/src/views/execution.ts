import {
  CancelJobExecutionCommand,
  DeleteJobExecutionCommand,
  DescribeJobExecutionCommand,
  GetJobDocumentCommand,
  type IoTClient,
  type JobExecution,
} from '@aws-sdk/client-iot';
import { confirmAction } from '../confirm.js';
import { errorText, fill, fmtTime, h } from '../dom.js';
import { statusBadge } from '../executions.js';
import { relative } from '../time.js';
import type { View } from './view.js';

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'REJECTED', 'TIMED_OUT', 'CANCELED', 'REMOVED']);

/** One job execution (DescribeJobExecution): versions, timestamps, status details and the job's document; cancel or delete it. */
export function executionView(iot: IoTClient, jobId: string, thingName: string, onChange: () => void): View {
  const head = h('div', { class: 'title-row' });
  const facts = h('dl', { class: 'config' });
  const details = h('dl', { class: 'config status-details' });
  const doc = h('pre', { class: 'document' });
  const error = h('p', { class: 'error', hidden: true });
  let x: JobExecution | undefined;
  let docRead = false;
  let gone = false;

  const act = async (kind: 'cancel' | 'delete') => {
    if (!x) return;
    const force = h('input', { type: 'checkbox', name: 'force' });
    const n = x.executionNumber;
    const ok = await confirmAction({
      title: kind === 'cancel' ? `Cancel the execution on ${thingName}` : `Delete execution #${n} on ${thingName}`,
      text:
        kind === 'cancel'
          ? 'A QUEUED execution is canceled. One IN_PROGRESS can be canceled only with force (the device may be in the middle of it).'
          : 'The execution and its record are deleted. One that has not finished can be deleted only with force.',
      ok: kind === 'cancel' ? 'Cancel execution' : 'Delete execution',
      danger: true,
      extra: h('label', { class: 'check' }, force, ' force'),
    });
    if (!ok) return;
    try {
      if (kind === 'cancel') await iot.send(new CancelJobExecutionCommand({ jobId, thingName, force: force.checked }));
      else await iot.send(new DeleteJobExecutionCommand({ jobId, thingName, executionNumber: n, force: force.checked }));
      onChange();
    } catch (err) {
      error.hidden = false;
      fill(error, errorText(err));
    }
  };

  const el = h(
    'div',
    { class: 'view execution', 'data-job': jobId, 'data-thing': thingName },
    head,
    error,
    h(
      'div',
      { class: 'columns' },
      h('section', {}, h('h2', {}, 'Execution'), facts, h('h2', {}, 'Status details'), details),
      h('section', {}, h('h2', {}, 'Document'), doc),
    ),
  );

  async function refresh(): Promise<void> {
    if (gone) return;
    try {
      x = (await iot.send(new DescribeJobExecutionCommand({ jobId, thingName }))).execution;
      if (!x) throw new Error('DescribeJobExecution returned no execution');
      if (!docRead) {
        docRead = true;
        const d = await iot.send(new GetJobDocumentCommand({ jobId })).catch(() => undefined);
        fill(doc, pretty(d?.document ?? ''));
      }
      const open = !FINAL.has(x.status ?? '');
      fill(
        head,
        h('h1', {}, h('a', { href: `#/jobs/${encodeURIComponent(jobId)}` }, jobId), ' on ', h('a', { href: `#/things/${encodeURIComponent(thingName)}` }, thingName)),
        statusBadge(x.status),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', class: 'act-cancel', disabled: !open, onclick: () => act('cancel') }, 'Cancel…'),
          h('button', { type: 'button', class: 'act-delete danger', onclick: () => act('delete') }, 'Delete…'),
        ),
      );
      const when = (d: Date | undefined) => (d ? `${fmtTime(d)} (${relative(d)})` : undefined);
      const rows: [string, unknown][] = [
        ['status', x.status],
        ['execution number', x.executionNumber],
        ['version', x.versionNumber],
        ['queued', when(x.queuedAt)],
        ['started', when(x.startedAt)],
        ['last updated', when(x.lastUpdatedAt)],
        ['times out in', x.approximateSecondsBeforeTimedOut !== undefined ? `about ${x.approximateSecondsBeforeTimedOut} s` : undefined],
        ['force canceled', x.forceCanceled],
      ];
      fill(facts, ...rows.filter(([, v]) => v !== undefined && v !== null).flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-key': k }, String(v))]));
      const map = x.statusDetails?.detailsMap ?? {};
      fill(details, ...(Object.keys(map).length ? Object.entries(map).flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-key': k }, v)]) : [h('dd', { class: 'note' }, 'none')]));
      error.hidden = true;
    } catch (err) {
      if ((err as Error).name === 'ResourceNotFoundException' && x) {
        gone = true;
        fill(head, h('h1', {}, `${jobId} on ${thingName}`), h('span', { class: 'badge gone', 'data-status': 'GONE' }, 'deleted'));
        return;
      }
      error.hidden = false;
      fill(error, errorText(err));
    }
  }
  return { el, title: `${jobId} on ${thingName}`, refresh };
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
