// Everything that knows the simulator's call-status shape lives here, so a change on the simulator side
// is a change in this one file.

import type { ApiClient } from '../api/client';
import type { QualitySample } from './quality';

export interface SimCallStatus {
  callSid: string;
  status: string;
  childStatus?: string;
  digits: string;
  duration?: number;
  /** Optional: the simulator may report network figures so the quality banner can be exercised. */
  sample?: QualitySample;
  /** Optional: SDK-style warning names active now (e.g. "high-rtt"). */
  warnings?: string[];
}

export function readSimStatus(raw: unknown, callSid: string): SimCallStatus {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const sample = r.sample ?? r.quality;
  return {
    callSid: str(r.callSid) ?? callSid,
    status: (str(r.status) ?? 'queued').toLowerCase(),
    childStatus: str(r.childStatus)?.toLowerCase(),
    digits: str(r.digits) ?? '',
    duration: typeof r.duration === 'number' ? r.duration : undefined,
    sample: sample && typeof sample === 'object' ? (sample as QualitySample) : undefined,
    warnings: Array.isArray(r.warnings) ? r.warnings.filter((w): w is string => typeof w === 'string') : undefined,
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
