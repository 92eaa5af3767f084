import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/app/config';

describe('parseConfig', () => {
  it('defaults to same-origin API and dev sign-in', () => {
    expect(parseConfig({})).toEqual({ apiBaseUrl: '', auth: { mode: 'dev' } });
  });

  it('reads the Entra shape deploy writes, trimming the trailing slash', () => {
    expect(parseConfig({ apiBaseUrl: 'https://func.azurewebsites.net/', auth: { mode: 'entra', clientId: 'c1', tenantId: 't1', scopes: ['api://c1/.default'] } }))
      .toEqual({ apiBaseUrl: 'https://func.azurewebsites.net', auth: { mode: 'entra', clientId: 'c1', tenantId: 't1', scopes: ['api://c1/.default'], authority: undefined, redirectUri: undefined } });
  });

  it('derives the API scope from the client id when scopes are missing', () => {
    const config = parseConfig({ auth: { mode: 'entra', clientId: 'c1', tenantId: 't1' } });
    expect(config.auth.mode === 'entra' && config.auth.scopes).toEqual(['api://c1/.default']);
  });

  it('names what is missing or wrong', () => {
    expect(() => parseConfig({ auth: { mode: 'entra', clientId: 'c1' } })).toThrow(/auth.tenantId must be set/);
    expect(() => parseConfig({ auth: { mode: 'saml' } })).toThrow(ConfigError);
  });
});
