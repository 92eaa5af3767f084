import { describe, expect, it, vi } from 'vitest';
import { ApiClient, itemsOf, withQuery } from '../src/api/client';
import { ApiError, errorMessage, messageForProblem, parseRetryAfter } from '../src/api/problems';

function problemResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json', ...headers } });
}

function client(fetchFn: typeof fetch, onUnauthorized = vi.fn()) {
  return { api: new ApiClient('https://api.example', { getToken: async () => 'tok-1' }, onUnauthorized, fetchFn), onUnauthorized };
}

describe('messageForProblem', () => {
  it('names the field in plain words with the server detail', () => {
    expect(messageForProblem({ status: 400, code: 'destination-malformed', detail: 'Not a phone number.', field: 'to', extensions: {} }))
      .toBe('Number to call: Not a phone number.');
  });

  it('falls back to a readable sentence when the body has no detail', () => {
    expect(messageForProblem({ status: 503, extensions: {} })).toBe('The service is unavailable right now. Try again in a moment.');
    expect(messageForProblem({ status: 418, title: 'Teapot', extensions: {} })).toBe('Teapot');
  });

  it('tells how long to wait on 429', () => {
    expect(messageForProblem({ status: 429, detail: 'Too many tokens.', retryAfterSeconds: 12, extensions: {} }))
      .toBe('Too many tokens. Try again in 12 seconds.');
  });

  it('says how to recover from an edit conflict', () => {
    expect(messageForProblem({ status: 412, detail: 'The person changed.', extensions: {} })).toMatch(/^The person changed\. Someone else changed this .* Reload/);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(30);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('errorMessage', () => {
  it('never shows a stack: network failures, SDK errors and unknowns get sentences', () => {
    expect(errorMessage(new TypeError('Failed to fetch'))).toMatch(/Can't reach the server/);
    expect(errorMessage({ code: 31401, message: 'Permission denied', description: 'UserMedia denied' })).toBe('UserMedia denied (error 31401)');
    expect(errorMessage(undefined)).toBe('Something went wrong. Try again.');
  });
});

describe('ApiClient', () => {
  it('sends the bearer token, JSON body and If-Match, and returns the ETag', async () => {
    const fetchFn = vi.fn(async () => new Response('{"ok":true}', { status: 200, headers: { ETag: 'W/"2"' } }));
    const { api } = client(fetchFn as unknown as typeof fetch);
    const result = await api.send('PATCH', '/api/admin/people/u1', { body: { callingPreference: 'phone' }, ifMatch: 'W/"1"' });
    expect(result).toEqual({ data: { ok: true }, status: 200, etag: 'W/"2"' });
    const [url, init] = fetchFn.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://api.example/api/admin/people/u1');
    expect(init.headers).toMatchObject({ Authorization: 'Bearer tok-1', 'If-Match': 'W/"1"', 'Content-Type': 'application/json' });
    expect(init.body).toBe('{"callingPreference":"phone"}');
  });

  it('turns a problem+json refusal into an ApiError with code, field and extensions', async () => {
    const { api } = client((async () => problemResponse(409, { code: 'group-has-members', detail: "Group 'Sales' has 2 members.", memberCount: 2 })) as unknown as typeof fetch);
    const error = (await api.delete('/api/admin/permission-groups/g1').catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('group-has-members');
    expect(error.problem.extensions.memberCount).toBe(2);
    expect(error.message).toBe("Group 'Sales' has 2 members.");
  });

  it('asks the app to sign in again on 401', async () => {
    const { api, onUnauthorized } = client((async () => problemResponse(401, { code: 'unauthenticated', detail: 'Token expired.' })) as unknown as typeof fetch);
    await expect(api.get('/api/me')).rejects.toThrow('Token expired.');
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('reads Retry-After on 429 into the message', async () => {
    const { api } = client((async () => problemResponse(429, { code: 'rate-limited', detail: 'Slow down.' }, { 'Retry-After': '3' })) as unknown as typeof fetch);
    await expect(api.post('/api/calls/token')).rejects.toThrow('Slow down. Try again in 3 seconds.');
  });

  it('copes with a non-JSON error body', async () => {
    const { api } = client((async () => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } })) as unknown as typeof fetch);
    await expect(api.get('/api/me')).rejects.toThrow('The service is not reachable right now. Try again in a moment.');
  });

  it('leaves the token off anonymous calls', async () => {
    const fetchFn = vi.fn(async () => new Response('[]', { status: 200 }));
    const { api } = client(fetchFn as unknown as typeof fetch);
    await api.get('/dev/users', { anonymous: true });
    const init = (fetchFn.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(init.headers).not.toHaveProperty('Authorization');
  });
});

describe('list helpers', () => {
  it('reads paged lists and bare arrays', () => {
    expect(itemsOf({ items: [1, 2], continuationToken: 'abc' })).toEqual({ items: [1, 2], continuationToken: 'abc' });
    expect(itemsOf([3])).toEqual({ items: [3], continuationToken: null });
    expect(itemsOf(null)).toEqual({ items: [], continuationToken: null });
  });

  it('builds query strings without empty values', () => {
    expect(withQuery('/api/admin/people', { search: 'ri ley', continuationToken: null })).toBe('/api/admin/people?search=ri+ley');
    expect(withQuery('/api/admin/people?pageSize=5', { search: 'x' })).toBe('/api/admin/people?pageSize=5&search=x');
  });
});
