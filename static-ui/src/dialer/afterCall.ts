import { errorMessage } from '../api/problems';
import { dispositions } from '../api/types';
import type { AppContext } from '../app/context';
import { field, h, notice, replace } from '../app/dom';

export const maxNotes = 2000;

/** Disposition and notes for a finished call, saved to its activity. */
export function dispositionForm(ctx: AppContext, callSid: string, suggested: string, onSaved: () => void): HTMLElement {
  const select = h('select', { 'aria-required': 'true', testid: 'disposition-select' },
    h('option', { value: '' }, 'Choose\u2026'),
    ...dispositions.map(([value, label]) => h('option', { value, selected: value === suggested }, label)));
  const notes = h('textarea', { rows: 4, maxlength: maxNotes, testid: 'disposition-notes', 'aria-describedby': 'notes-counter' });
  const counter = h('div', { id: 'notes-counter', class: 'hint counter', testid: 'notes-counter', 'aria-live': 'polite' }, `0 / ${maxNotes}`);
  notes.addEventListener('input', () => {
    counter.textContent = `${notes.value.length} / ${maxNotes}`;
  });
  const status = h('div', { 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'save-disposition' }, 'Save');
  const form = h('form', { class: 'card', testid: 'after-call-form', 'aria-labelledby': 'after-call-title' },
    h('h2', { id: 'after-call-title' }, 'After the call'),
    field('Disposition', select),
    field('Notes', notes, counter),
    h('div', { class: 'actions' }, save),
    status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!select.value) {
      replace(status, notice('error', 'Choose a disposition.'));
      select.focus();
      return;
    }
    save.disabled = true;
    try {
      await ctx.api.put(`/api/calls/${encodeURIComponent(callSid)}/disposition`, { disposition: select.value, notes: notes.value });
      replace(status, notice('success', 'Saved to the call\u2019s activity.', 'disposition-saved'));
      onSaved();
    } catch (error) {
      replace(status, notice('error', errorMessage(error), 'disposition-error'));
    } finally {
      save.disabled = false;
    }
  });
  return form;
}
