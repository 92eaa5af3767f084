import { ApiError, errorMessage } from '../api/problems';
import { dispositions } from '../api/types';
import type { AppContext } from '../app/context';
import { field, h, notice, replace } from '../app/dom';

export const maxNotes = 2000;

export interface SaveRetry {
  attempts: number;
  delayMs: number;
}

/**
 * The call's activity is written from Twilio's status callbacks, a moment after the call starts; a disposition
 * saved before it exists gets 404. So a 404 is retried a few times before it is shown.
 */
export async function saveDisposition(ctx: AppContext, callSid: string, body: { disposition: string; notes: string }, retry: SaveRetry, onWaiting: () => void): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.api.put(`/api/calls/${encodeURIComponent(callSid)}/disposition`, body);
      return;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404) || attempt >= retry.attempts) throw error;
      onWaiting();
      await new Promise((resolve) => setTimeout(resolve, retry.delayMs));
    }
  }
}

/** Disposition and notes for a finished call, saved to its activity. */
export function dispositionForm(ctx: AppContext, callSid: string, suggested: string, onSaved: () => void, retry: SaveRetry = { attempts: 6, delayMs: 1000 }): HTMLElement {
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
      await saveDisposition(ctx, callSid, { disposition: select.value, notes: notes.value }, retry,
        () => replace(status, h('p', { role: 'status' }, 'The call is still being logged; saving in a moment\u2026')));
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
