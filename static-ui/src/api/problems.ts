// Turns failed HTTP responses (problem+json or not) into errors with a message a person can act on.

export interface Problem {
  status: number;
  code?: string;
  title?: string;
  detail?: string;
  field?: string;
  retryAfterSeconds?: number;
  extensions: Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(messageForProblem(problem));
    this.name = 'ApiError';
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string | undefined {
    return this.problem.code;
  }
}

/** Human names for the request fields the API may complain about. */
const fieldNames: Record<string, string> = {
  to: 'Number to call',
  agentPhoneNumber: 'Agent phone number',
  preference: 'Calling preference',
  callingPreference: 'Calling preference',
  name: 'Name',
  notes: 'Notes',
  disposition: 'Disposition',
  permissionGroupId: 'Permission group',
  teamId: 'Team',
  callerId: 'Caller ID',
  edges: 'Edges',
  codecPreferences: 'Codec preferences',
  allowedCountries: 'Allowed countries',
  recording: 'Recording',
  score: 'Score',
  issues: 'Issues',
  comment: 'Comment',
  orgId: 'Org id',
  userId: 'User',
};

export function fieldLabel(field: string): string {
  return fieldNames[field] ?? field;
}

const statusFallbacks: Record<number, string> = {
  400: 'The request was not valid.',
  401: 'Your sign-in has expired. Please sign in again.',
  403: 'You are not allowed to do that.',
  404: 'That item no longer exists.',
  409: 'That conflicts with the current state. Reload and try again.',
  412: 'Someone else changed this while you were editing. Reload to see their change, then try again.',
  429: 'Too many requests.',
  500: 'Something went wrong on our side. Try again in a moment.',
  502: 'The service is not reachable right now. Try again in a moment.',
  503: 'The service is unavailable right now. Try again in a moment.',
};

export function messageForProblem(problem: Problem): string {
  const detail = problem.detail?.trim();
  let text = detail || statusFallbacks[problem.status] || problem.title?.trim() || `The request failed (HTTP ${problem.status}).`;
  if (problem.status === 412 && detail) text = `${text} ${statusFallbacks[412]}`;
  if (problem.field) text = `${fieldLabel(problem.field)}: ${text}`;
  if (problem.status === 429) {
    text = problem.retryAfterSeconds !== undefined
      ? `${text} Try again in ${problem.retryAfterSeconds} second${problem.retryAfterSeconds === 1 ? '' : 's'}.`
      : `${text} Wait a moment and try again.`;
  }
  return text;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Builds the problem from a failed response, whatever its body. */
export async function problemFromResponse(response: Response): Promise<Problem> {
  const problem: Problem = { status: response.status, extensions: {}, retryAfterSeconds: parseRetryAfter(response.headers.get('Retry-After')) };
  let text = '';
  try {
    text = await response.text();
  } catch {
    return problem;
  }
  const type = response.headers.get('Content-Type') ?? '';
  if (text && (type.includes('json') || text.trimStart().startsWith('{'))) {
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      if (body && typeof body === 'object') {
        const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
        problem.code = str('code');
        problem.title = str('title');
        problem.detail = str('detail');
        problem.field = str('field');
        for (const [k, v] of Object.entries(body)) {
          if (!['code', 'title', 'detail', 'field', 'status', 'type', 'instance'].includes(k)) problem.extensions[k] = v;
        }
      }
    } catch {
      // Not JSON after all: fall back to the status text below.
    }
  }
  return problem;
}

/** The message for anything thrown: API errors, network failures, SDK errors. Never a stack. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError && /fetch|network|Failed/i.test(error.message)) {
    return "Can't reach the server. Check your internet connection and try again.";
  }
  if (error && typeof error === 'object') {
    const e = error as { message?: unknown; description?: unknown; explanation?: unknown; code?: unknown };
    const parts = [e.description, e.explanation, e.message].filter((p): p is string => typeof p === 'string' && p.length > 0);
    if (parts.length > 0) return typeof e.code === 'number' ? `${parts[0]} (error ${e.code})` : parts[0];
  }
  if (typeof error === 'string' && error) return error;
  return 'Something went wrong. Try again.';
}
