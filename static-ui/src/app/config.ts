// The runtime configuration, read from config.json next to index.html so one build serves every environment.
//
// Shape (see README.md):
//   { "apiBaseUrl": "",                       // "" = same origin (the dev server); else the Function App URL
//     "auth": { "mode": "dev" } }             // dev server sign-in picker
//   { "apiBaseUrl": "https://<func>.azurewebsites.net",
//     "auth": { "mode": "entra", "clientId": "...", "tenantId": "...", "scopes": ["api://<clientId>/.default"] } }

export type AuthConfig =
  | { mode: 'dev' }
  | { mode: 'entra'; clientId: string; tenantId: string; scopes: string[]; authority?: string; redirectUri?: string };

export interface AppConfig {
  apiBaseUrl: string;
  auth: AuthConfig;
}

export class ConfigError extends Error {}

export function parseConfig(raw: unknown): AppConfig {
  if (!raw || typeof raw !== 'object') throw new ConfigError('config.json is not a JSON object.');
  const obj = raw as Record<string, unknown>;
  const apiBaseUrl = typeof obj.apiBaseUrl === 'string' ? obj.apiBaseUrl.trim().replace(/\/+$/, '') : '';
  const auth = (obj.auth ?? { mode: 'dev' }) as Record<string, unknown>;
  if (auth.mode === 'entra') {
    const missing = ['clientId', 'tenantId'].filter((k) => typeof auth[k] !== 'string' || !(auth[k] as string).trim());
    if (missing.length) throw new ConfigError(`config.json: auth.${missing.join(' and auth.')} must be set for Entra sign-in.`);
    const scopes = Array.isArray(auth.scopes) && auth.scopes.every((s) => typeof s === 'string') && auth.scopes.length > 0
      ? (auth.scopes as string[])
      : [`api://${auth.clientId as string}/.default`];
    return {
      apiBaseUrl,
      auth: {
        mode: 'entra',
        clientId: auth.clientId as string,
        tenantId: auth.tenantId as string,
        scopes,
        authority: typeof auth.authority === 'string' ? auth.authority : undefined,
        redirectUri: typeof auth.redirectUri === 'string' ? auth.redirectUri : undefined,
      },
    };
  }
  if (auth.mode !== undefined && auth.mode !== 'dev') throw new ConfigError(`config.json: auth.mode must be "dev" or "entra", not "${String(auth.mode)}".`);
  return { apiBaseUrl, auth: { mode: 'dev' } };
}

export async function loadConfig(fetchFn: typeof fetch = fetch): Promise<AppConfig> {
  const response = await fetchFn('config.json', { cache: 'no-store' });
  if (!response.ok) return parseConfig({});
  return parseConfig(await response.json());
}
