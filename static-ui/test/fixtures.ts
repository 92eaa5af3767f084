import { normaliseMe, type Me } from '../src/api/types';

/** A GET /api/me body as the API sends it (MeResponse: user.id, org.id), with overrides. */
export function meBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    user: { id: 'rep-both', displayName: 'Riley Both (rep)', email: 'rep-both@acme.example', teamId: 'east', permissionGroupId: 'both-methods' },
    org: { id: 'acme-demo', name: 'Acme (demo)', isSandbox: false, parentOrgId: null },
    roles: ['Rep'],
    callingPreference: 'computer',
    callingOptions: ['computer', 'phone'],
    canPlaceCalls: { computer: { allowed: true }, phone: { allowed: true } },
    agentPhoneNumber: '+15005550001',
    calling: { computerCallingEnabled: true, edges: ['roaming'], codecPreferences: ['pcmu', 'opus'], recording: 'record-from-answer' },
    telephony: 'simulated',
    version: 'W/"datetime\'2026-11-26T05%3A15%3A29.1667163Z\'"',
    ...overrides,
  };
}

export function me(overrides: Record<string, unknown> = {}): Me {
  return normaliseMe(meBody(overrides));
}

export interface FakeRoute {
  method: string;
  path: string | RegExp;
  respond: (body: unknown) => { status?: number; body?: unknown; headers?: Record<string, string> };
}

/** A fetch that answers from a route table and records each request. */
export function fakeFetch(routes: FakeRoute[]) {
  const requests: { method: string; path: string; body: unknown; headers: Record<string, string> }[] = [];
  const fetchFn = async (url: string, init: RequestInit = {}) => {
    const path = url.replace(/^https?:\/\/[^/]+/, '');
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    requests.push({ method, path, body, headers: (init.headers ?? {}) as Record<string, string> });
    const route = routes.find((r) => r.method === method && (typeof r.path === 'string' ? r.path === path : r.path.test(path)));
    if (!route) return new Response(JSON.stringify({ code: 'not-found', detail: `No fake for ${method} ${path}` }), { status: 404, headers: { 'Content-Type': 'application/problem+json' } });
    const out = route.respond(body);
    return new Response(out.body === undefined ? null : JSON.stringify(out.body), { status: out.status ?? 200, headers: { 'Content-Type': 'application/json', ...out.headers } });
  };
  return { fetchFn: fetchFn as unknown as typeof fetch, requests };
}
