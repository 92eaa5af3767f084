import { errorMessage } from '../api/problems';
import type { ApiClient } from '../api/client';
import type { PreflightFigures } from './checks';

/** Average round trip and jitter (mean change between consecutive round trips) from timed requests. */
export function summariseTimings(samplesMs: number[]): { rttMs: number | null; jitterMs: number | null } {
  if (samplesMs.length === 0) return { rttMs: null, jitterMs: null };
  const rtt = samplesMs.reduce((a, b) => a + b, 0) / samplesMs.length;
  let jitter = 0;
  for (let i = 1; i < samplesMs.length; i++) jitter += Math.abs(samplesMs[i] - samplesMs[i - 1]);
  return { rttMs: rtt, jitterMs: samplesMs.length > 1 ? jitter / (samplesMs.length - 1) : 0 };
}

/** The parts of the Voice SDK's PreflightTest.Report the checklist reads (the simulated device produces the same shape). */
export interface PreflightReport {
  callSid?: string;
  edge?: string;
  selectedEdge?: string;
  stats?: { rtt?: { average: number }; jitter?: { average: number }; mos?: { average: number } };
  totals?: { packetsLost?: number; packetsReceived?: number; bytesSent?: number; bytesReceived?: number };
  testTiming?: { duration?: number };
}

/** What POST /api/calls/preflight-token answers. */
export interface PreflightToken {
  token: string;
  edges: string[];
  codecPreferences: string[];
}

export function readPreflightToken(raw: unknown): PreflightToken {
  const o = (raw ?? {}) as Record<string, unknown>;
  if (typeof o.token !== 'string' || !o.token) throw new Error('The server did not return a network-test token.');
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : []);
  return { token: o.token, edges: list(o.edges), codecPreferences: list(o.codecPreferences) };
}

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** RTT, jitter, packet loss, MOS and the bit rate used, from a preflight report; what is missing stays null. */
export function figuresFromReport(report: PreflightReport, requestedEdge: string, simulated: boolean): PreflightFigures {
  const totals = report.totals ?? {};
  const lost = finite(totals.packetsLost);
  const received = finite(totals.packetsReceived);
  const packetLossPercent = lost !== null && received !== null && lost + received > 0 ? (lost / (lost + received)) * 100 : null;
  const durationMs = finite(report.testTiming?.duration);
  const bytes = Math.max(finite(totals.bytesSent) ?? 0, finite(totals.bytesReceived) ?? 0);
  // bytes * 8 bits over milliseconds is kilobits per second.
  const bandwidthKbps = durationMs && durationMs > 0 && bytes > 0 ? (bytes * 8) / durationMs : null;
  return {
    rttMs: finite(report.stats?.rtt?.average),
    jitterMs: finite(report.stats?.jitter?.average),
    mos: finite(report.stats?.mos?.average),
    packetLossPercent,
    bandwidthKbps,
    edge: report.edge ?? report.selectedEdge ?? requestedEdge,
    simulated,
  };
}

/** Twilio's preflight test: a real test call through the preflight TwiML app to one edge. */
export async function runTwilioPreflight(token: string, edge: string, codecs: string[]): Promise<PreflightReport> {
  const { Device } = await import('@twilio/voice-sdk');
  const test = Device.runPreflight(token, { edge, codecPreferences: codecs as never });
  return new Promise((resolve, reject) => {
    test.on('completed', (report: PreflightReport) => resolve(report));
    test.on('failed', (error: unknown) => reject(error));
  });
}

export interface EdgeReport {
  edge: string;
  figures?: PreflightFigures;
  error?: string;
}

/** Runs one test per edge, one after the other (two at once would share the line and spoil both). Roaming when none. */
export async function testEachEdge(edges: string[], run: (edge: string) => Promise<PreflightFigures>): Promise<EdgeReport[]> {
  const reports: EdgeReport[] = [];
  for (const edge of edges.length ? edges : ['roaming']) {
    try {
      reports.push({ edge, figures: await run(edge) });
    } catch (error) {
      reports.push({ edge, error: errorMessage(error) });
    }
  }
  return reports;
}

export async function fetchPreflightToken(api: ApiClient): Promise<PreflightToken> {
  return readPreflightToken(await api.post<unknown>('/api/calls/preflight-token'));
}
