import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without type declarations
import { configFromEnv, withApiOrigin } from '../scripts/deploy-config.mjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
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

describe('deployed staticwebapp.config.json', () => {
  const shipped = JSON.parse(readFileSync(path.join(__dirname, '..', 'public', 'staticwebapp.config.json'), 'utf8'));
  const directives = (csp: string) => Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([n, ...s]) => [n, s]));

  it('ships a CSP that allows scripts from the app only and no framing', () => {
    const csp = directives(shipped.globalHeaders['Content-Security-Policy']);

    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    // The API's origin is added at deploy time; otherwise only the app itself, Twilio and Entra ID.
    expect([...csp['connect-src']].sort()).toEqual(["'self'", 'https://*.twilio.com', 'https://login.microsoftonline.com', 'wss://*.twilio.com']);
    const permissions = Object.fromEntries(
      shipped.globalHeaders['Permissions-Policy'].split(',').map((p: string) => p.trim().split('=')),
    );
    expect(permissions.microphone).toBe('(self)');
    expect(shipped.globalHeaders['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
  });

  it("adds the deployed API's origin to connect-src and nothing else", () => {
    const deployed = withApiOrigin(shipped, 'https://func-abc123.azurewebsites.net');
    const again = withApiOrigin(deployed, 'https://func-abc123.azurewebsites.net/');
    const before = directives(shipped.globalHeaders['Content-Security-Policy']);
    const after = directives(again.globalHeaders['Content-Security-Policy']);

    expect(after['connect-src']).toEqual([before['connect-src'][0], 'https://func-abc123.azurewebsites.net', ...before['connect-src'].slice(1)]);
    expect({ ...after, 'connect-src': [] }).toEqual({ ...before, 'connect-src': [] });
    expect(again.globalHeaders['Referrer-Policy']).toBe(shipped.globalHeaders['Referrer-Policy']);
  });

  it('refuses a config without a connect-src to extend', () => {
    expect(() => withApiOrigin({ globalHeaders: {} }, 'https://func-abc123.azurewebsites.net')).toThrow('Content-Security-Policy');
  });
});
