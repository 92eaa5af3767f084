import { errorMessage } from '../api/problems';
import type { Page } from '../app/context';
import { field, h, notice, replace } from '../app/dom';
import { callerIdsCard } from './callerIdsCard';

/** Support: switch computer-based calling on or off for one org (each sandbox is its own org), and create orgs. */
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
      replace(status, notice('success', `Computer-based calling is now ${enabled ? 'enabled' : 'disabled'} for ${id}. It applies from the reps\u2019 next call; nobody has to sign out.`, 'support-saved'));
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
    createOrgCard(ctx),
    h('section', { class: 'card', 'aria-labelledby': 'cc-title' },
      h('h2', { id: 'cc-title' }, 'Computer-based calling for an org'),
      h('p', {}, 'Computer-based calling must be enabled for each org, including each sandbox org. After that, the org\u2019s admins choose who may use it through permission groups.'),
      field('Org id', orgId),
      h('div', { class: 'actions' }, enable, disable),
      status),
    callerIdsCard(ctx));
};

interface CreatedOrg {
  orgId: string;
  name: string;
  parentOrgId?: string | null;
}

/** Create an org, or a sandbox of one; either starts with computer-based calling off. */
function createOrgCard(ctx: Parameters<Page>[0]): HTMLElement {
  const name = h('input', { type: 'text', required: true, maxlength: '100', testid: 'new-org-name', autocomplete: 'off' });
  const orgId = h('input', { type: 'text', testid: 'new-org-id', placeholder: 'generated when empty', autocomplete: 'off' });
  const parent = h('input', { type: 'text', testid: 'new-org-parent', placeholder: 'empty for a production org', autocomplete: 'off' });
  const create = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'create-org' }, 'Create org');
  const status = h('div', { 'aria-live': 'polite', testid: 'create-org-status' });
  const form = h('form', { class: 'card', 'aria-labelledby': 'new-org-title', novalidate: true },
    h('h2', { id: 'new-org-title' }, 'Create an org or a sandbox'),
    field('Name', name),
    field('Org id', orgId, 'Lower-case letters, digits and hyphens.'),
    field('Sandbox of org', parent, 'Set this to create a sandbox of an existing org.'),
    h('div', { class: 'actions' }, create),
    status);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submit();
  });
  async function submit(): Promise<void> {
    if (!name.value.trim()) {
      replace(status, notice('error', 'Enter the org\u2019s name.'));
      name.focus();
      return;
    }
    create.disabled = true;
    try {
      const created = await ctx.api.post<CreatedOrg>('/api/support/orgs', {
        name: name.value.trim(),
        orgId: orgId.value.trim() || undefined,
        parentOrgId: parent.value.trim() || undefined,
      });
      const sandbox = created.parentOrgId ? `, a sandbox of ${created.parentOrgId}` : '';
      replace(status, notice('success', `Created ${created.name} (${created.orgId})${sandbox}. Computer-based calling is off until you enable it.`, 'org-created'));
    } catch (error) {
      replace(status, notice('error', errorMessage(error), 'create-org-error'));
    } finally {
      create.disabled = false;
    }
  }
  return form;
}
