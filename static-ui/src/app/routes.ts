import { hasRole, type Me, type Role } from '../api/types';

export interface RouteDef {
  pattern: string;
  title: string;
  /** Shown in the navigation with this label; routes without one are reached by links. */
  nav?: string;
  section?: 'rep' | 'manage' | 'support' | 'dev';
  roles?: Role[];
  simulatedOnly?: boolean;
}

export const routeDefs = [
  { pattern: '/dialer', title: 'Dialer', nav: 'Dialer', section: 'rep' },
  { pattern: '/checklist', title: 'Computer-based calling checklist', nav: 'Checklist', section: 'rep' },
  { pattern: '/settings/phone', title: 'Settings \u2192 Phone', nav: 'Settings', section: 'rep' },
  { pattern: '/manage/groups', title: 'Permission groups', nav: 'Permission groups', section: 'manage', roles: ['Manager', 'Admin'] },
  { pattern: '/manage/teams', title: 'Teams', nav: 'Teams', section: 'manage', roles: ['Manager', 'Admin'] },
  { pattern: '/manage/teams/:teamId', title: 'Team', section: 'manage', roles: ['Manager', 'Admin'] },
  { pattern: '/manage/people', title: 'People', nav: 'People', section: 'manage', roles: ['Manager', 'Admin'] },
  { pattern: '/manage/calls', title: 'Calls', nav: 'Calls', section: 'manage', roles: ['Manager', 'Admin'] },
  { pattern: '/manage/quality', title: 'Quality reports', nav: 'Quality reports', section: 'manage', roles: ['Manager', 'Admin'] },
  { pattern: '/manage/audit', title: 'Audit log', nav: 'Audit log', section: 'manage', roles: ['Admin'] },
  { pattern: '/manage/failed-events', title: 'Failed call events', nav: 'Failed events', section: 'manage', roles: ['Admin'] },
  { pattern: '/manage/org', title: 'Org settings', nav: 'Org settings', section: 'manage', roles: ['Admin'] },
  { pattern: '/manage/crm', title: 'CRM', nav: 'CRM', section: 'manage', roles: ['Admin'] },
  { pattern: '/support', title: 'Support', nav: 'Support', section: 'support', roles: ['Support'] },
  { pattern: '/dev', title: 'Simulator', nav: 'Simulator', section: 'dev', simulatedOnly: true },
] as const satisfies readonly RouteDef[];

export type RoutePattern = (typeof routeDefs)[number]['pattern'];

export function canSee(route: RouteDef, me: Me): boolean {
  if (route.simulatedOnly && me.telephony !== 'simulated') return false;
  return !route.roles || hasRole(me, ...route.roles);
}

/** Where a person lands: the dialer, unless their only role is Support. */
export function homeFor(me: Me): string {
  return me.roles.length > 0 && me.roles.every((r) => r === 'Support') ? '/support' : '/dialer';
}
