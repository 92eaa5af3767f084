// Hash routing: #/dialer, #/manage/teams/east?x=1. Works from any static host, no server rewrites.

export interface Location {
  path: string;
  query: URLSearchParams;
}

export interface Match<R> {
  route: R;
  params: Record<string, string>;
  location: Location;
}

export function parseHash(hash: string): Location {
  const raw = hash.replace(/^#/, '');
  const [pathPart, queryPart = ''] = raw.split('?', 2);
  let path = pathPart.startsWith('/') ? pathPart : `/${pathPart}`;
  if (path.length > 1) path = path.replace(/\/+$/, '');
  return { path, query: new URLSearchParams(queryPart) };
}

/** Matches "/manage/teams/:teamId" against a path; params are URI-decoded. */
export function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      try {
        params[want[i].slice(1)] = decodeURIComponent(got[i]);
      } catch {
        return null;
      }
    } else if (want[i] !== got[i]) {
      return null;
    }
  }
  return params;
}

export function resolve<R extends { pattern: string }>(routes: readonly R[], hash: string): Match<R> | null {
  const location = parseHash(hash);
  for (const route of routes) {
    const params = matchPattern(route.pattern, location.path);
    if (params) return { route, params, location };
  }
  return null;
}

/** Builds a hash link, encoding each parameter. */
export function href(pattern: string, params: Record<string, string> = {}): string {
  return `#${pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''))}`;
}
