import { errorMessage } from '../api/problems';
import type { AppContext, Page } from '../app/context';
import { field, formatDateTime, h, notice, replace } from '../app/dom';
import { canRetry, crmSettingBody, secretStateLabel, type CrmFailure, type CrmProvider, type CrmSetting } from './crmSettings';

interface SecretStatus { clientSecretName: string; clientSecretSet: boolean | null }
interface ConnectionTest { success: boolean; provider: string; message: string }

/** Admin: the org's CRM connection, its client secret (write-only), a connection test and the sync failures. */
export const crmPage: Page = async (ctx) => {
  const { data: setting, etag } = await ctx.api.send<CrmSetting>('GET', '/api/admin/crm');
  let version = etag ?? setting.version ?? null;
  const provider = h('select', { testid: 'crm-provider' },
    ...([['none', 'None'], ['salesforce', 'Salesforce'], ['dynamics', 'Dynamics 365']] as const)
      .map(([v, l]) => h('option', { value: v, selected: setting.provider === v }, l)));
  const instanceUrl = h('input', { type: 'url', value: setting.instanceUrl ?? '', testid: 'crm-instance-url', placeholder: 'https://acme.my.salesforce.com' });
  const clientId = h('input', { type: 'text', value: setting.clientId ?? '', testid: 'crm-client-id', autocomplete: 'off' });
  const tenantId = h('input', { type: 'text', value: setting.tenantId ?? '', testid: 'crm-tenant-id', autocomplete: 'off' });
  const tenantField = field('Entra tenant id (Dynamics)', tenantId);
  const connectionFields = h('div', {},
    field('Instance URL', instanceUrl, 'Salesforce: your My Domain URL. Dynamics: the environment URL, e.g. https://acme.crm.dynamics.com.'),
    field('Client id', clientId, 'The connected app\u2019s consumer key, or the Entra app registration\u2019s client id.'),
    tenantField);
  const showFields = () => {
    connectionFields.hidden = provider.value === 'none';
    tenantField.hidden = provider.value !== 'dynamics';
  };
  provider.addEventListener('change', showFields);
  showFields();

  const status = h('div', { 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'crm-save' }, 'Save');
  const form = h('form', { class: 'card' }, field('CRM', provider), connectionFields, h('div', { class: 'actions' }, save), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    save.disabled = true;
    try {
      const saved = await ctx.api.send<CrmSetting>('PUT', '/api/admin/crm', {
        body: crmSettingBody(provider.value as CrmProvider, instanceUrl.value, clientId.value, tenantId.value), ifMatch: version,
      });
      version = saved.etag ?? saved.data.version ?? null;
      replace(status, notice('success', 'CRM connection saved.', 'crm-saved'));
    } catch (error) {
      replace(status, notice('error', errorMessage(error), 'crm-error'));
    } finally {
      save.disabled = false;
    }
  });

  return h('div', { class: 'page' },
    h('h1', {}, 'CRM'),
    h('p', { class: 'hint' }, 'Every call is written to your CRM as a Task (Salesforce) or a phone call (Dynamics), owned by the rep who made it.'),
    form,
    await secretCard(ctx),
    testCard(ctx),
    await failuresCard(ctx));
};

async function secretCard(ctx: AppContext): Promise<HTMLElement> {
  const state = h('strong', { testid: 'crm-secret-state' });
  const show = (s: SecretStatus) => replace(state, secretStateLabel(s.clientSecretSet));
  show(await ctx.api.get<SecretStatus>('/api/admin/crm/secret'));
  const secret = h('input', { type: 'password', autocomplete: 'new-password', testid: 'crm-secret' });
  const status = h('div', { 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'btn', testid: 'crm-secret-save' }, 'Set secret');
  const form = h('form', { class: 'card' },
    h('h2', {}, 'Client secret'),
    h('p', {}, 'The client secret is ', state, '. It is kept in the CRM Key Vault and never shown again; enter a new one to replace it.'),
    field('New client secret', secret), h('div', { class: 'actions' }, save), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    save.disabled = true;
    try {
      show(await ctx.api.put<SecretStatus>('/api/admin/crm/secret', { clientSecret: secret.value }));
      secret.value = '';
      replace(status, notice('success', 'Client secret stored.', 'crm-secret-saved'));
    } catch (error) {
      replace(status, notice('error', errorMessage(error), 'crm-secret-error'));
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

function testCard(ctx: AppContext): HTMLElement {
  const result = h('div', { 'aria-live': 'polite', testid: 'crm-test-result' });
  const run = h('button', { type: 'button', class: 'btn', testid: 'crm-test' }, 'Test connection');
  run.addEventListener('click', async () => {
    run.disabled = true;
    replace(result, 'Testing\u2026');
    try {
      const test = await ctx.api.post<ConnectionTest>('/api/admin/crm/test');
      replace(result, notice(test.success ? 'success' : 'error', `${test.success ? 'Connected' : 'Failed'}: ${test.message}`, test.success ? 'crm-test-ok' : 'crm-test-failed'));
    } catch (error) {
      replace(result, notice('error', errorMessage(error), 'crm-test-failed'));
    } finally {
      run.disabled = false;
    }
  });
  return h('div', { class: 'card' }, h('h2', {}, 'Connection test'), h('p', { class: 'hint' }, 'Signs in to the CRM afresh and reads from it.'), run, result);
}

async function failuresCard(ctx: AppContext): Promise<HTMLElement> {
  const card = h('div', { class: 'card', testid: 'crm-failures' });
  const status = h('div', { 'aria-live': 'polite' });
  const retry = async (callSids?: string[]) => {
    try {
      await ctx.api.post('/api/admin/crm/retry', callSids ? { callSids } : {});
      replace(status, notice('success', 'Retried.', 'crm-retried'));
    } catch (error) {
      replace(status, notice('error', errorMessage(error), 'crm-retry-error'));
    }
    await render();
  };
  const render = async () => {
    const { items } = await ctx.api.get<{ items: CrmFailure[] }>('/api/admin/crm/failures');
    const failed = items.filter(canRetry);
    const retryAll = h('button', { type: 'button', class: 'btn', testid: 'crm-retry-all', disabled: failed.length === 0 }, 'Retry all');
    retryAll.addEventListener('click', () => void retry());
    const rows = items.map((f) => {
      const button = canRetry(f) ? h('button', { type: 'button', class: 'btn btn-small', testid: `crm-retry-${f.callSid}` }, 'Retry') : null;
      button?.addEventListener('click', () => { button.disabled = true; void retry([f.callSid]); });
      return h('tr', { testid: `crm-failure-${f.callSid}`, 'data-kind': f.kind },
        h('td', {}, formatDateTime(f.endedAt ?? '')), h('td', {}, f.userId ?? ''), h('td', {}, f.prospectNumber ?? ''),
        h('td', {}, f.kind === 'warning' ? 'Warning' : 'Failed'), h('td', {}, f.message ?? ''), h('td', {}, button));
    });
    replace(card,
      h('h2', {}, 'Sync failures and warnings'),
      items.length === 0
        ? h('p', { testid: 'crm-no-failures' }, 'Every call was written to the CRM.')
        : h('table', { class: 'table' },
          h('thead', {}, h('tr', {}, ...['Ended', 'Rep', 'Number', 'Kind', 'What the CRM said', ''].map((t) => h('th', {}, t)))),
          h('tbody', {}, ...rows)),
      h('div', { class: 'actions' }, retryAll), status);
  };
  await render();
  return card;
}
