import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without type declarations
import { configFromEnv } from '../scripts/deploy-config.mjs';
import { parseConfig } from '../src/app/config';

const env = {
  API_BASE_URL: 'https://func-abc123.azurewebsites.net/',
  ENTRA_CLIENT_ID: '6c0a3d1e-2b4f-4e8a-9c7d-222222222222',
  ENTRA_TENANT_ID: '0b9f1e52-7a2c-4c59-9d1c-111111111111',
};

describe('deploy config.json from the azd environment', () => {
  it('points the web app at the deployed API with Entra sign-in, in the shape the app reads', () => {
    const config = configFromEnv(env);

    expect(config).toEqual({
      apiBaseUrl: 'https://func-abc123.azurewebsites.net',
      auth: { mode: 'entra', clientId: env.ENTRA_CLIENT_ID, tenantId: env.ENTRA_TENANT_ID, scopes: [`api://${env.ENTRA_CLIENT_ID}/.default`] },
    });
    expect(parseConfig(config).auth.mode).toBe('entra');
  });

  it.each([
    ['API_BASE_URL', ''],
    ['API_BASE_URL', 'http://func-abc123.azurewebsites.net'],
    ['ENTRA_CLIENT_ID', 'my-app'],
    ['ENTRA_TENANT_ID', ''],
  ])('refuses %s = %j, naming it', (name, value) => {
    expect(() => configFromEnv({ ...env, [name]: value })).toThrow(name);
  });
});
