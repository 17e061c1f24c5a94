import { h } from './dom.js';

/**
 * A modal confirmation (a <dialog>): resolves true only when the user presses the OK button.
 * `extra` holds inputs shown with the question (the force checkbox); they are read after it resolves.
 */
export function confirmAction(opts: { title: string; text: string; ok: string; danger?: boolean; extra?: HTMLElement }): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h(
      'dialog',
      { class: 'confirm', 'aria-label': opts.title },
      h('h2', {}, opts.title),
      h('p', {}, opts.text),
      opts.extra,
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'button', class: 'cancel', onclick: () => dialog.close('no') }, 'Back'),
        h('button', { type: 'button', class: `ok${opts.danger ? ' danger' : ''}`, onclick: () => dialog.close('yes') }, opts.ok),
      ),
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'yes');
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
