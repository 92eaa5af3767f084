import { describe, expect, it } from 'vitest';
import { href, matchPattern, parseHash, resolve } from '../src/app/router';
import { canSee, homeFor, routeDefs } from '../src/app/routes';
import { me } from './fixtures';

describe('hash routing', () => {
  it('parses the path and query of a hash', () => {
    const loc = parseHash('#/dialer?to=%2B14155550100&whoId=003');
    expect(loc.path).toBe('/dialer');
    expect(loc.query.get('to')).toBe('+14155550100');
    expect(parseHash('').path).toBe('/');
    expect(parseHash('#/manage/teams/').path).toBe('/manage/teams');
  });

  it('matches parameters and decodes them', () => {
    expect(matchPattern('/manage/teams/:teamId', '/manage/teams/east%20coast')).toEqual({ teamId: 'east coast' });
    expect(matchPattern('/manage/teams/:teamId', '/manage/teams')).toBeNull();
    expect(matchPattern('/manage/teams/:teamId', '/manage/teams/%E0%A4%A')).toBeNull();
  });

  it('resolves the team page before falling through, and nothing for an unknown path', () => {
    expect(resolve(routeDefs, '#/manage/teams/east')).toMatchObject({ route: { pattern: '/manage/teams/:teamId' }, params: { teamId: 'east' } });
    expect(resolve(routeDefs, '#/settings/phone')?.route.title).toBe('Settings \u2192 Phone');
    expect(resolve(routeDefs, '#/nowhere')).toBeNull();
  });

  it('builds links with encoded parameters', () => {
    expect(href('/manage/teams/:teamId', { teamId: 'a/b' })).toBe('#/manage/teams/a%2Fb');
  });
});

describe('who sees which page', () => {
  const visible = (roles: string[], telephony = 'twilio') => routeDefs.filter((r) => 'nav' in r && canSee(r, me({ roles, telephony }))).map((r) => r.pattern);

  it('gives a rep the dialer, checklist and settings only', () => {
    expect(visible(['Rep'])).toEqual(['/dialer', '/checklist', '/settings/phone']);
  });

  it('adds the manager pages for a manager but keeps org settings for admins', () => {
    expect(visible(['Manager'])).toContain('/manage/teams');
    expect(visible(['Manager'])).not.toContain('/manage/org');
    expect(visible(['Admin'])).toContain('/manage/org');
  });

  it('shows Support only to support, and the simulator only in simulated mode', () => {
    expect(visible(['Support'])).toContain('/support');
    expect(visible(['Admin'])).not.toContain('/support');
    expect(visible(['Rep'], 'simulated')).toContain('/dev');
  });

  it('lands support staff on the support page and everyone else on the dialer', () => {
    expect(homeFor(me({ roles: ['Support'] }))).toBe('/support');
    expect(homeFor(me({ roles: ['Rep', 'Support'] }))).toBe('/dialer');
  });
});
