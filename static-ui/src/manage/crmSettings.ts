// Pure helpers of the CRM page, tested without a browser.

export type CrmProvider = 'none' | 'salesforce' | 'dynamics';

export interface CrmSetting {
  provider: CrmProvider;
  instanceUrl?: string | null;
  tenantId?: string | null;
  clientId?: string | null;
  clientSecretName?: string;
  version?: string | null;
}

export interface CrmFailure {
  callSid: string;
  userId?: string | null;
  prospectNumber?: string | null;
  endedAt?: string | null;
  message?: string | null;
  attempts: number;
  kind: 'sync-failed' | 'warning';
}

/** The PUT /api/admin/crm body for what the form holds: only the fields the provider uses. */
export function crmSettingBody(provider: CrmProvider, instanceUrl: string, clientId: string, tenantId: string): Record<string, string> {
  if (provider === 'none') return { provider };
  const body: Record<string, string> = { provider, instanceUrl: instanceUrl.trim(), clientId: clientId.trim() };
  if (provider === 'dynamics') body.tenantId = tenantId.trim();
  return body;
}

/** "set", "not set" or "unknown" for GET /api/admin/crm/secret's clientSecretSet. */
export function secretStateLabel(set: boolean | null | undefined): string {
  if (set === true) return 'set';
  if (set === false) return 'not set';
  return 'unknown (the CRM Key Vault did not answer)';
}

/** Failures can be retried; warnings were written and only tell what was left out. */
export function canRetry(failure: CrmFailure): boolean {
  return failure.kind !== 'warning';
}
