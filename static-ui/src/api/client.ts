import { ApiError, problemFromResponse } from './problems';

export interface TokenSource {
  /** A bearer token for the API, or null when nobody is signed in. */
  getToken(): Promise<string | null>;
}

export interface RequestOptions {
  body?: unknown;
  ifMatch?: string | null;
  /** Sent as If-None-Match; a 304 answer then comes back as status 304 with no data instead of an error. */
  ifNoneMatch?: string | null;
  /** Skip the bearer token (dev sign-in and simulator endpoints that don't want one). */
  anonymous?: boolean;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  status: number;
  etag: string | null;
}

/** Calls the API with the bearer token; failures become ApiError; 401 tells the app to sign in again. */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly tokens: TokenSource,
    private readonly onUnauthorized: () => void = () => {},
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
  ) {}

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  async send<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const response = await this.request(method, path, 'application/json', options);
    const text = response.status === 204 || response.status === 304 ? '' : await response.text();
    return { data: (text ? JSON.parse(text) : undefined) as T, status: response.status, etag: response.headers.get('ETag') };
  }

  /** A binary response (a recording's audio) fetched with the bearer token, for a blob: URL; never cached. */
  async getBlob(path: string, accept = 'audio/*', options: RequestOptions = {}): Promise<Blob> {
    const response = await this.request('GET', path, accept, { ...options, cache: 'no-store' });
    return response.blob();
  }

  /** Posts a file as the raw request body (a greeting's audio) and reads the JSON answer. */
  async postFile<T>(path: string, file: Blob, contentType: string): Promise<T> {
    const response = await this.request('POST', path, 'application/json', { file, contentType });
    const text = response.status === 204 ? '' : await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async request(method: string, path: string, accept: string, options: RequestOptions & { cache?: RequestCache; file?: Blob; contentType?: string }): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept };
    if (!options.anonymous) {
      const token = await this.tokens.getToken();
      if (token) headers.Authorization = `Bearer ${token}`;
    }
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.file) headers['Content-Type'] = options.contentType ?? 'application/octet-stream';
    if (options.ifMatch) headers['If-Match'] = options.ifMatch;
    if (options.ifNoneMatch) headers['If-None-Match'] = options.ifNoneMatch;
    const response = await this.fetchFn(this.url(path), {
      method,
      headers,
      body: options.file ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: options.signal,
      ...(options.cache ? { cache: options.cache } : options.ifNoneMatch ? { cache: 'no-store' as RequestCache } : {}),
    });
    if (!response.ok && !(response.status === 304 && options.ifNoneMatch)) {
      const problem = await problemFromResponse(response);
      if (response.status === 401 && !options.anonymous) this.onUnauthorized();
      throw new ApiError(problem);
    }
    return response;
  }

  async get<T>(path: string, options?: RequestOptions): Promise<T> {
    return (await this.send<T>('GET', path, options)).data;
  }

  async post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return (await this.send<T>('POST', path, { ...options, body: body ?? {} })).data;
  }

  async put<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return (await this.send<T>('PUT', path, { ...options, body: body ?? {} })).data;
  }

  async patch<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return (await this.send<T>('PATCH', path, { ...options, body: body ?? {} })).data;
  }

  async delete<T>(path: string, options?: RequestOptions): Promise<T> {
    return (await this.send<T>('DELETE', path, options)).data;
  }
}

/** Lists come back as `{items, continuationToken}`; tolerate a bare array too. */
export function itemsOf<T>(data: unknown): { items: T[]; continuationToken: string | null } {
  if (Array.isArray(data)) return { items: data as T[], continuationToken: null };
  if (data && typeof data === 'object') {
    const obj = data as Record<string, unknown>;
    const items = Array.isArray(obj.items) ? obj.items : Array.isArray(obj.value) ? obj.value : [];
    const token = typeof obj.continuationToken === 'string' && obj.continuationToken ? obj.continuationToken : null;
    return { items: items as T[], continuationToken: token };
  }
  return { items: [], continuationToken: null };
}

export function withQuery(path: string, query: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}
