import { describe, expect, it } from 'vitest';
import { canRetry, crmSettingBody, secretStateLabel } from '../src/manage/crmSettings';
import { canSee, routeDefs } from '../src/app/routes';
import { me } from './fixtures';

describe('CRM page', () => {
  it('sends only the fields the chosen CRM uses, trimmed', () => {
    expect(crmSettingBody('none', 'https://x.my.salesforce.com', 'id', 'tenant')).toEqual({ provider: 'none' });
    expect(crmSettingBody('salesforce', ' https://acme.my.salesforce.com ', ' key ', 'tenant'))
      .toEqual({ provider: 'salesforce', instanceUrl: 'https://acme.my.salesforce.com', clientId: 'key' });
    expect(crmSettingBody('dynamics', 'https://acme.crm.dynamics.com', 'app', ' contoso.onmicrosoft.com '))
      .toEqual({ provider: 'dynamics', instanceUrl: 'https://acme.crm.dynamics.com', clientId: 'app', tenantId: 'contoso.onmicrosoft.com' });
  });

  it('says whether the secret is set without ever having its value', () => {
    expect(secretStateLabel(true)).toBe('set');
    expect(secretStateLabel(false)).toBe('not set');
    expect(secretStateLabel(null)).toMatch(/unknown/);
  });

  it('offers a retry for failures, not for warnings', () => {
    const base = { callSid: 'CA1', attempts: 3 };
    expect(canRetry({ ...base, kind: 'sync-failed' })).toBe(true);
    expect(canRetry({ ...base, kind: 'warning' })).toBe(false);
  });

  it('shows the CRM page to admins only', () => {
    const crm = routeDefs.find((r) => r.pattern === '/manage/crm')!;
    expect(canSee(crm, me({ roles: ['Admin'] }))).toBe(true);
    expect(canSee(crm, me({ roles: ['Manager'] }))).toBe(false);
    expect(canSee(crm, me({ roles: ['Rep'] }))).toBe(false);
  });
});
