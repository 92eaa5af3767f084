// Everything that knows the simulator's call-status shape lives here, so a change on the simulator side
// is a change in this one file.

import type { ApiClient } from '../api/client';

/**
 * GET /sim/calls/{callSid}: `{callSid, status, direction, from, to, digits, duration?, callbacksPending,
 * parentCallSid?, childCallSid?, childStatus?, childDuration?, error?}`. The child is the prospect's leg.
 */
export interface SimCallStatus {
  callSid: string;
  status: string;
  childCallSid?: string;
  childStatus?: string;
  digits: string;
  duration?: number;
  childDuration?: number;
  /** Why the simulator ended the call, e.g. "11200: the voice URL answered 500." */
  error?: string;
}

export function readSimStatus(raw: unknown, callSid: string): SimCallStatus {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return {
    callSid: str(r.callSid) ?? callSid,
    status: (str(r.status) ?? 'queued').toLowerCase(),
    childCallSid: str(r.childCallSid),
    childStatus: str(r.childStatus)?.toLowerCase(),
    digits: str(r.digits) ?? '',
    duration: num(r.duration),
    childDuration: num(r.childDuration),
    error: str(r.error),
  };
}

export function fetchSimStatus(api: ApiClient, callSid: string): Promise<SimCallStatus> {
  return api.get<unknown>(`/sim/calls/${encodeURIComponent(callSid)}`, { anonymous: true }).then((raw) => readSimStatus(raw, callSid));
}

/** Polls a call's status until stopped; reports consecutive failures so the caller can give up. */
export class StatusPoller<T> {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly fetchStatus: () => Promise<T>,
    private readonly onStatus: (status: T) => void,
    private readonly onFailure: (error: unknown, consecutive: number) => void,
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.intervalMs);
  }

  private async tick(): Promise<void> {
    try {
      const status = await this.fetchStatus();
      this.failures = 0;
      if (!this.stopped) this.onStatus(status);
    } catch (error) {
      this.failures += 1;
      if (!this.stopped) this.onFailure(error, this.failures);
    }
    this.schedule();
  }
}
