import { errorMessage } from '../api/problems';
import { methodLabel, type PermissionGroup } from '../api/types';
import type { AppContext } from '../app/context';
import { field, h, notice, replace } from '../app/dom';

/** Admin: add a person by email before their first sign-in; that sign-in takes over the record with these settings. */
export function addPersonForm(ctx: AppContext, groups: PermissionGroup[], onAdded: () => void): HTMLElement {
  const email = h('input', { type: 'email', required: true, testid: 'add-person-email', placeholder: 'name@example.com' });
  const name = h('input', { type: 'text', testid: 'add-person-name' });
  const group = h('select', { testid: 'add-person-group' },
    h('option', { value: '' }, 'The org default'),
    ...groups.map((g) => h('option', { value: g.id }, g.name)));
  const preference = h('select', { testid: 'add-person-preference' },
    h('option', { value: '' }, 'The org default'),
    ...['phone', 'computer'].map((m) => h('option', { value: m }, methodLabel(m))));
  const status = h('div', { 'aria-live': 'polite' });
  const add = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'add-person' }, 'Add person');
  const form = h('form', { class: 'card', testid: 'add-person-form' },
    h('h2', {}, 'Add person'),
    h('p', { class: 'hint' }, 'They get these settings when they first sign in with this email.'),
    field('Email', email), field('Display name (optional)', name), field('Permission group', group), field('Calling preference', preference),
    h('div', { class: 'actions' }, add), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    add.disabled = true;
    try {
      const body: Record<string, string> = { email: email.value.trim() };
      if (name.value.trim()) body.displayName = name.value.trim();
      if (group.value) body.permissionGroupId = group.value;
      if (preference.value) body.callingPreference = preference.value;
      await ctx.api.post('/api/admin/people', body);
      replace(status, notice('success', `Added ${body.email}. They join when they first sign in.`, 'person-added'));
      form.reset();
      onAdded();
    } catch (error) {
      replace(status, notice('error', errorMessage(error), 'add-person-error'));
    } finally {
      add.disabled = false;
    }
  });
  return form;
}
