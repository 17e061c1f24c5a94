import { CreateJobCommand, DescribeThingCommand, DescribeThingGroupCommand, ListJobTemplatesCommand, type CreateJobCommandInput, type IoTClient } from '@aws-sdk/client-iot';
import { confirmAction } from '../confirm.js';
import { errorText, fill, h } from '../dom.js';
import type { View } from './view.js';

/**
 * CreateJob from a form: targets (thing or group names, or ARNs), the document, the rollout,
 * an abort criterion and a timeout; or from a job template (its document and settings), as the
 * AWS console offers. Names are turned into ARNs by DescribeThing / DescribeThingGroup, so a
 * misspelt name is refused before anything is created.
 */
export function createView(iot: IoTClient): View {
  const field = (name: string, attrs: Record<string, string | number | boolean> = {}) => h('input', { name, 'aria-label': name, ...attrs });
  const jobId = field('jobId', { required: true, pattern: '[a-zA-Z0-9_-]+', maxlength: 64 });
  const description = field('description');
  const things = field('things', { placeholder: 'dev-1, dev-2' });
  const groups = field('groups', { placeholder: 'fleet-a' });
  const selection = h('select', { name: 'targetSelection', 'aria-label': 'target selection' }, h('option', { value: 'SNAPSHOT' }, 'SNAPSHOT'), h('option', { value: 'CONTINUOUS' }, 'CONTINUOUS'));
  const template = h('select', { name: 'template', 'aria-label': 'template' }, h('option', { value: '' }, 'no template'));
  const document = h('textarea', { name: 'document', 'aria-label': 'document', rows: 6 }, '{\n  "operation": "update"\n}');
  const perMinute = field('maximumPerMinute', { type: 'number', min: 1, max: 1000 });
  const abortType = h('select', { name: 'abortFailureType', 'aria-label': 'abort failure type' }, ...['', 'FAILED', 'REJECTED', 'TIMED_OUT', 'ALL'].map((t) => h('option', { value: t }, t || 'no abort')));
  const threshold = field('thresholdPercentage', { type: 'number', min: 0, max: 100, step: 'any' });
  const minExecuted = field('minNumberOfExecutedThings', { type: 'number', min: 1 });
  const timeout = field('inProgressTimeoutInMinutes', { type: 'number', min: 1 });
  const error = h('p', { class: 'error', hidden: true });

  const thingArn = async (n: string) => (n.startsWith('arn:') ? n : (await iot.send(new DescribeThingCommand({ thingName: n }))).thingArn!);
  const groupArn = async (n: string) => (n.startsWith('arn:') ? n : (await iot.send(new DescribeThingGroupCommand({ thingGroupName: n }))).thingGroupArn!);
  const names = (input: HTMLInputElement) => input.value.split(/[\s,]+/).filter(Boolean);
  const num = (input: HTMLInputElement) => (input.value === '' ? undefined : Number(input.value));

  async function build(): Promise<CreateJobCommandInput> {
    const targets = [...(await Promise.all(names(things).map(thingArn))), ...(await Promise.all(names(groups).map(groupArn)))];
    if (!targets.length) throw new Error('Give at least one thing or group');
    const input: CreateJobCommandInput = {
      jobId: jobId.value.trim(),
      targets,
      targetSelection: selection.value as 'SNAPSHOT' | 'CONTINUOUS',
      description: description.value.trim() || undefined,
    };
    if (template.value) input.jobTemplateArn = template.value;
    if (!template.value || document.value.trim()) input.document = document.value;
    if (num(perMinute)) input.jobExecutionsRolloutConfig = { maximumPerMinute: num(perMinute) };
    if (abortType.value)
      input.abortConfig = {
        criteriaList: [
          { failureType: abortType.value as 'FAILED', action: 'CANCEL', thresholdPercentage: num(threshold) ?? 50, minNumberOfExecutedThings: num(minExecuted) ?? 1 },
        ],
      };
    if (num(timeout)) input.timeoutConfig = { inProgressTimeoutInMinutes: num(timeout) };
    return input;
  }

  const form = h(
    'form',
    {
      class: 'create',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        error.hidden = true;
        try {
          const input = await build();
          const ok = await confirmAction({
            title: `Create job ${input.jobId}`,
            text: `Create it for ${input.targets!.length} target${input.targets!.length === 1 ? '' : 's'} (${input.targets!.map((t) => t.replace(/^.*:/, '')).join(', ')})? The devices are notified as the rollout allows.`,
            ok: 'Create job',
          });
          if (!ok) return;
          await iot.send(new CreateJobCommand(input));
          location.hash = `#/jobs/${encodeURIComponent(input.jobId!)}`;
        } catch (err) {
          error.hidden = false;
          fill(error, errorText(err));
        }
      },
    },
    h('label', {}, 'Job ID', jobId),
    h('label', {}, 'Description', description),
    h('fieldset', {}, h('legend', {}, 'Targets'), h('label', {}, 'Things', things), h('label', {}, 'Thing groups', groups), h('label', {}, 'Target selection', selection)),
    h('label', {}, 'From a template', template),
    h('label', { class: 'wide' }, 'Document (JSON; with a template, leave it empty to use the template\'s)', document),
    h('fieldset', {}, h('legend', {}, 'Rollout'), h('label', {}, 'At most per minute', perMinute)),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Abort'),
      h('label', {}, 'When executions have', abortType),
      h('label', {}, 'Above %', threshold),
      h('label', {}, 'After at least (executed)', minExecuted),
    ),
    h('fieldset', {}, h('legend', {}, 'Timeout'), h('label', {}, 'IN_PROGRESS for at most (minutes)', timeout)),
    error,
    h('div', { class: 'buttons' }, h('a', { href: '#/' }, 'Back'), h('button', { type: 'submit', class: 'primary' }, 'Create…')),
  );
  template.addEventListener('change', () => {
    if (template.value) document.value = '';
  });
  const el = h('div', { class: 'view create-job' }, h('div', { class: 'title-row' }, h('h1', {}, 'Create a job')), form);
  let loaded = false;
  return {
    el,
    title: 'Create a job',
    async refresh() {
      if (loaded) return;
      loaded = true;
      try {
        const r = await iot.send(new ListJobTemplatesCommand({ maxResults: 100 }));
        for (const t of r.jobTemplates ?? []) {
          template.append(h('option', { value: t.jobTemplateArn ?? '' }, t.jobTemplateId ?? ''));
        }
      } catch {
        /* no templates listed: the form works without */
      }
    },
  };
}
