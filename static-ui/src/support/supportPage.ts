import { errorMessage } from '../api/problems';
import type { Page } from '../app/context';
import { field, h, notice, replace } from '../app/dom';

/** Support: switch computer-based calling on or off for one org (each sandbox is its own org). */
export const supportPage: Page = (ctx) => {
  const orgId = h('input', { type: 'text', required: true, testid: 'support-org-id', placeholder: 'acme-demo', autocomplete: 'off' });
  const status = h('div', { 'aria-live': 'polite', testid: 'support-status' });
  const enable = h('button', { type: 'button', class: 'btn btn-primary', testid: 'enable-computer-calling' }, 'Enable computer-based calling');
  const disable = h('button', { type: 'button', class: 'btn btn-danger', testid: 'disable-computer-calling' }, 'Disable computer-based calling');
  async function set(enabled: boolean): Promise<void> {
    const id = orgId.value.trim();
    if (!id) {
      replace(status, notice('error', 'Enter the org id.'));
      orgId.focus();
      return;
    }
    enable.disabled = disable.disabled = true;
    try {
      await ctx.api.put(`/api/support/orgs/${encodeURIComponent(id)}/computer-calling`, { enabled });
      replace(status, notice('success', `Computer-based calling is now ${enabled ? 'enabled' : 'disabled'} for ${id}. Reps see the change within about 30 seconds.`, 'support-saved'));
    } catch (error) {
      replace(status, notice('error', errorMessage(error), 'support-error'));
    } finally {
      enable.disabled = disable.disabled = false;
    }
  }
  enable.addEventListener('click', () => void set(true));
  disable.addEventListener('click', () => void set(false));
  return h('div', { class: 'page' },
    h('h1', {}, 'Support'),
    h('section', { class: 'card', 'aria-labelledby': 'cc-title' },
      h('h2', { id: 'cc-title' }, 'Computer-based calling for an org'),
      h('p', {}, 'Computer-based calling must be enabled for each org, including each sandbox org. After that, the org\u2019s admins choose who may use it through permission groups.'),
      field('Org id', orgId),
      h('div', { class: 'actions' }, enable, disable),
      status));
};
