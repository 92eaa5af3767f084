import type { ApiClient } from '../api/client';
import { estimateMos } from '../calling/quality';
import type { PreflightFigures } from './checks';

/** Average round trip and jitter (mean change between consecutive round trips) from timed requests. */
export function summariseTimings(samplesMs: number[]): { rttMs: number | null; jitterMs: number | null } {
  if (samplesMs.length === 0) return { rttMs: null, jitterMs: null };
  const rtt = samplesMs.reduce((a, b) => a + b, 0) / samplesMs.length;
  let jitter = 0;
  for (let i = 1; i < samplesMs.length; i++) jitter += Math.abs(samplesMs[i] - samplesMs[i - 1]);
  return { rttMs: rtt, jitterMs: samplesMs.length > 1 ? jitter / (samplesMs.length - 1) : 0 };
}

/** Twilio's preflight test: a real test call to the org's edge. */
export async function runTwilioPreflight(token: string, edges: string[], codecs: string[]): Promise<PreflightFigures> {
  const { Device } = await import('@twilio/voice-sdk');
  const test = Device.runPreflight(token, { edge: edges[0], codecPreferences: codecs as never });
  return new Promise((resolve, reject) => {
    test.on('completed', (report: { stats?: { rtt?: { average: number }; jitter?: { average: number }; mos?: { average: number } }; selectedEdge?: string; edge?: string }) => {
      resolve({
        rttMs: report.stats?.rtt?.average ?? null,
        jitterMs: report.stats?.jitter?.average ?? null,
        mos: report.stats?.mos?.average ?? null,
        edge: report.selectedEdge ?? report.edge ?? null,
        simulated: false,
      });
    });
    test.on('failed', (error: unknown) => reject(error));
  });
}

/**
 * The simulated mode's stand-in: times round trips to this app's own API. It measures the path to the
 * dev server, not to Twilio, and is labelled as simulated wherever it is shown.
 */
export async function runSimulatedPreflight(api: ApiClient, rounds = 8, now: () => number = () => performance.now()): Promise<PreflightFigures> {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = now();
    await api.get('/api/health', { anonymous: true });
    samples.push(now() - started);
  }
  const { rttMs, jitterMs } = summariseTimings(samples);
  return { rttMs, jitterMs, mos: rttMs === null ? null : estimateMos(rttMs, jitterMs ?? 0), edge: 'simulated', simulated: true };
}
