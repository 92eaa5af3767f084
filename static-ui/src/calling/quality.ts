// In-call quality: the SDK's own warnings plus our stricter targets from the source document
// (RTT under 200 ms, jitter under 30 ms). Pure logic, no DOM.

export interface Thresholds {
  rttMs: number;
  jitterMs: number;
}

export const sourceDocumentTargets: Thresholds = { rttMs: 200, jitterMs: 30 };

/** The parts of an SDK RTCSample this app reads (the SDK's samples carry more, e.g. totals). */
export interface QualitySample {
  timestamp?: number;
  rtt?: number;
  jitter?: number;
  mos?: number | null;
  packetsLost?: number;
  packetsLostFraction?: number;
  packetsReceived?: number;
  bytesReceived?: number;
  bytesSent?: number;
  audioInputLevel?: number;
  audioOutputLevel?: number;
  codecName?: string;
}

/** The sample fields POST /api/quality-reports accepts; it refuses any other property with a 400. */
const reportNumberFields = ['timestamp', 'rtt', 'jitter', 'mos', 'packetsLost', 'packetsLostFraction', 'packetsReceived', 'bytesReceived', 'bytesSent', 'audioInputLevel', 'audioOutputLevel'] as const;

/** Counters the API reads as whole numbers. */
const integerFields = new Set<string>(['packetsLost', 'packetsReceived', 'bytesReceived', 'bytesSent']);

/** One sample as the quality-report API takes it: only its known fields, only finite numbers (and the codec name). */
export function reportSample(sample: QualitySample): QualitySample {
  const raw = sample as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of reportNumberFields) {
    const value = raw[field];
    if (typeof value === 'number' && Number.isFinite(value)) out[field] = integerFields.has(field) ? Math.round(value) : value;
  }
  if (typeof raw.codecName === 'string' && raw.codecName) out.codecName = raw.codecName;
  return out as QualitySample;
}

export type Metric = 'rtt' | 'jitter';

export interface Breach {
  metric: Metric;
  value: number;
  limit: number;
}

export function breaches(sample: QualitySample, limits: Thresholds = sourceDocumentTargets): Breach[] {
  const out: Breach[] = [];
  if (typeof sample.rtt === 'number' && sample.rtt >= limits.rttMs) out.push({ metric: 'rtt', value: sample.rtt, limit: limits.rttMs });
  if (typeof sample.jitter === 'number' && sample.jitter >= limits.jitterMs) out.push({ metric: 'jitter', value: sample.jitter, limit: limits.jitterMs });
  return out;
}

const warningText: Record<string, string> = {
  'high-rtt': 'High delay on your connection: the other side may hear you late.',
  'high-jitter': 'Unsteady connection (jitter): audio may sound choppy.',
  'high-packet-loss': 'Audio is being lost on the way: the other side may miss words.',
  'high-packets-lost-fraction': 'Audio is being lost on the way: the other side may miss words.',
  'low-mos': 'Call quality is low.',
  'constant-audio-input-level': 'We can\u2019t hear your microphone. Check it is plugged in and not muted.',
  'constant-audio-output-level': 'No sound is playing from the call. Check your speaker or headset.',
  'ice-connectivity-lost': 'Connection lost: trying to reconnect\u2026',
};

export function describeWarning(name: string): string {
  return warningText[name] ?? `Call quality warning: ${name}.`;
}

const metricText: Record<Metric, (b: Breach) => string> = {
  rtt: (b) => `Network delay is ${Math.round(b.value)} ms (should be under ${b.limit} ms).`,
  jitter: (b) => `Jitter is ${Math.round(b.value)} ms (should be under ${b.limit} ms).`,
};

export interface QualityState {
  /** Plain-language lines for the banner; empty means no banner. */
  messages: string[];
  /** Hints shown once with the banner. */
  advice: string | null;
}

/**
 * Keeps the in-call quality picture. A metric is flagged after `raiseAfter` consecutive bad samples and
 * cleared after `clearAfter` consecutive good ones, so one slow second doesn't flash a banner.
 */
export class QualityMonitor {
  private readonly warnings = new Set<string>();
  private readonly badStreak: Record<Metric, number> = { rtt: 0, jitter: 0 };
  private readonly goodStreak: Record<Metric, number> = { rtt: 0, jitter: 0 };
  private readonly flagged = new Map<Metric, Breach>();
  private readonly recent: QualitySample[] = [];

  constructor(
    private readonly limits: Thresholds = sourceDocumentTargets,
    private readonly raiseAfter = 3,
    private readonly clearAfter = 3,
    private readonly keepSamples = 30,
  ) {}

  warning(name: string): void {
    this.warnings.add(name);
  }

  warningCleared(name: string): void {
    this.warnings.delete(name);
  }

  sample(sample: QualitySample): void {
    this.recent.push(sample);
    if (this.recent.length > this.keepSamples) this.recent.shift();
    const bad = new Map(breaches(sample, this.limits).map((b) => [b.metric, b]));
    for (const metric of ['rtt', 'jitter'] as const) {
      const measured = typeof sample[metric] === 'number';
      if (!measured) continue;
      const breach = bad.get(metric);
      if (breach) {
        this.badStreak[metric] += 1;
        this.goodStreak[metric] = 0;
        if (this.badStreak[metric] >= this.raiseAfter || this.flagged.has(metric)) this.flagged.set(metric, breach);
      } else {
        this.goodStreak[metric] += 1;
        this.badStreak[metric] = 0;
        if (this.goodStreak[metric] >= this.clearAfter) this.flagged.delete(metric);
      }
    }
  }

  /** The last samples, oldest first, for a quality report. */
  lastSamples(count = 10): QualitySample[] {
    return this.recent.slice(-count);
  }

  state(): QualityState {
    const messages: string[] = [];
    const seen = new Set<string>();
    for (const name of this.warnings) {
      const text = describeWarning(name);
      if (!seen.has(text)) messages.push(text);
      seen.add(text);
    }
    // The SDK's own high-rtt / high-jitter warning already says it; ours adds the measured number.
    for (const breach of this.flagged.values()) messages.push(metricText[breach.metric](breach));
    const network = this.flagged.size > 0 || [...this.warnings].some((w) => w !== 'constant-audio-input-level' && w !== 'constant-audio-output-level');
    return {
      messages,
      advice: network ? 'If you are on Wi-Fi, try a network cable. If you are on a VPN, ask IT about a split tunnel for calling traffic.' : null,
    };
  }

  reset(): void {
    this.warnings.clear();
    this.flagged.clear();
    this.recent.length = 0;
    this.badStreak.rtt = this.badStreak.jitter = 0;
    this.goodStreak.rtt = this.goodStreak.jitter = 0;
  }
}

/**
 * A rough MOS from delay, jitter and loss (a simplified ITU-T G.107 E-model, as commonly used by
 * network tests). Only for the simulated network test; the real one reports Twilio's MOS.
 */
export function estimateMos(rttMs: number, jitterMs: number, lossFraction = 0): number {
  const effectiveLatency = rttMs / 2 + jitterMs * 2 + 10;
  let r = effectiveLatency < 160 ? 93.2 - effectiveLatency / 40 : 93.2 - (effectiveLatency - 120) / 10;
  r -= lossFraction * 100 * 2.5;
  r = Math.max(0, Math.min(100, r));
  const mos = 1 + 0.035 * r + 0.000007 * r * (r - 60) * (100 - r);
  return Math.round(Math.max(1, Math.min(4.5, mos)) * 100) / 100;
}
