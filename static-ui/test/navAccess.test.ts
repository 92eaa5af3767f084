import { describe, expect, it } from 'vitest';
import type { Role } from '../src/api/types';
import { auditOutcome } from '../src/manage/listPages';
import { canSee, routeDefs } from '../src/app/routes';
import { me } from './fixtures';

// The function classes of the API, read as text: each has one route and, optionally, [Authorize(Roles = ...)].
const functionSources = import.meta.glob('../../functions/Playbooks.Functions/**/*Function.cs', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

const allRoles: Role[] = ['Rep', 'Manager', 'Admin', 'Support'];

/** The roles the API lets GET a route (every role when the function names none). */
function apiRolesFor(route: string): Role[] {
  const source = Object.values(functionSources).find((s) => s.includes(`"get", Route = "${route}"`));
  if (!source) throw new Error(`No function serves GET /api/${route}`);
  const authorize = /\[Authorize\(Roles = ([^\]]+)\)\]/.exec(source);
  if (!authorize) return allRoles;
  return [...authorize[1].matchAll(/AppRoles\.(\w+)/g)].map((m) => m[1] as Role);
}

// The API each navigation entry loads when it opens.
const pageApi: Record<string, string> = {
  '/dialer': 'calls/recent',
  '/checklist': 'network/requirements',
  '/settings/phone': 'me',
  '/manage/groups': 'admin/permission-groups',
  '/manage/teams': 'admin/teams',
  '/manage/people': 'admin/people',
  '/manage/calls': 'admin/calls',
  '/manage/quality': 'admin/quality-reports',
  '/manage/audit': 'admin/audit',
  '/manage/failed-events': 'admin/dead-letters',
  '/manage/org': 'admin/org',
  '/manage/crm': 'admin/crm',
  '/support': 'support/orgs/{orgId}',
};

const navRoutes = routeDefs.filter((r) => 'nav' in r && r.nav && !('simulatedOnly' in r && r.simulatedOnly));

describe('navigation and the API agree on who sees what', () => {
  it('finds the functions it compares against', () => {
    expect(Object.keys(functionSources).length).toBeGreaterThan(20);
    expect(apiRolesFor('admin/audit')).toEqual(['Admin']);
  });

  it('maps every navigation entry to the API its page loads', () => {
    expect(navRoutes.map((r) => r.pattern).sort()).toEqual(Object.keys(pageApi).sort());
  });

  for (const role of allRoles) {
    it(`shows a ${role} exactly the pages whose API a ${role} may read`, () => {
      const profile = me({ roles: [role] });
      for (const route of navRoutes) {
        const allowed = apiRolesFor(pageApi[route.pattern]).includes(role);
        expect({ page: route.pattern, visible: canSee(route, profile) }).toEqual({ page: route.pattern, visible: allowed });
      }
    });
  }

  it('hides the audit log from managers, whose API refuses them', () => {
    const audit = routeDefs.find((r) => r.pattern === '/manage/audit')!;
    expect(canSee(audit, me({ roles: ['Manager'] }))).toBe(false);
    expect(canSee(audit, me({ roles: ['Admin'] }))).toBe(true);
  });
});

describe('audit outcome', () => {
  it('tells applied, refused and unknown changes apart', () => {
    expect(auditOutcome({ state: 'applied' })).toBe('Applied');
    expect(auditOutcome({ state: 'not-applied', outcome: 'stale-edit' })).toBe('Not applied (stale-edit)');
    expect(auditOutcome({ state: 'pending' })).toBe('Pending (outcome unknown)');
    expect(auditOutcome({})).toBe('Applied');
  });
});
