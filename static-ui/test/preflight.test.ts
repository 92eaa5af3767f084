import { describe, expect, it } from 'vitest';
import { ApiClient } from '../src/api/client';
import { runSimulatedPreflight, simulatedPreflightFigures } from '../src/calling/simulatedDevice';
import { judgePreflight } from '../src/checklist/checks';
import { heardLevel, levelFromSamples } from '../src/checklist/micMeter';
import { fetchPreflightToken, figuresFromReport, readPreflightToken, testEachEdge } from '../src/checklist/preflight';
import { fakeFetch } from './fixtures';

function api(routes: Parameters<typeof fakeFetch>[0]) {
  const fake = fakeFetch(routes);
  return { api: new ApiClient('', { getToken: async () => 'bearer' }, () => {}, fake.fetchFn), requests: fake.requests };
}

describe('figuresFromReport', () => {
  it('reads RTT, jitter and MOS from the stats, packet loss and bit rate from the totals', () => {
    const figures = figuresFromReport({
      edge: 'dublin',
      selectedEdge: 'roaming',
      stats: { rtt: { average: 120 }, jitter: { average: 12.5 }, mos: { average: 4.1 } },
      totals: { packetsLost: 5, packetsReceived: 495, bytesSent: 120_000, bytesReceived: 90_000 },
      testTiming: { duration: 12_000 },
    }, 'roaming', false);
    expect(figures).toEqual({ rttMs: 120, jitterMs: 12.5, mos: 4.1, packetLossPercent: 1, bandwidthKbps: 80, edge: 'dublin', simulated: false });
  });

  it('leaves what the report lacks as not measured, and falls back to the edge asked for', () => {
    const figures = figuresFromReport({}, 'ashburn', false);
    expect(figures).toMatchObject({ rttMs: null, jitterMs: null, mos: null, packetLossPercent: null, bandwidthKbps: null, edge: 'ashburn' });
    const verdicts = judgePreflight(figures).verdicts;
    expect(verdicts.find((v) => v.metric === 'packetLoss')).toMatchObject({ value: 'not measured', ok: null });
  });
});

describe('judgePreflight with packet loss and bandwidth', () => {
  it('judges packet loss against 1% and shows bandwidth against the 100 kbps need', () => {
    const { verdicts, result } = judgePreflight({ rttMs: 80, jitterMs: 4, mos: 4.3, packetLossPercent: 2.5, bandwidthKbps: 80, edge: 'ashburn', simulated: false });
    expect(verdicts.map((v) => v.metric)).toEqual(['rtt', 'jitter', 'packetLoss', 'mos', 'bandwidth', 'edge']);
    expect(verdicts[2]).toMatchObject({ label: 'Packet loss', value: '2.5%', target: 'under 1%', ok: false });
    expect(verdicts[4]).toMatchObject({ value: '80 kbps', target: 'about 100 kbps free per call', ok: null });
    expect(result).toMatchObject({ status: 'warn', summary: 'Packet loss is outside the target.' });
  });
});

describe('the simulated network test', () => {
  it('places its test call on the simulator with the preflight token and reports the documented fake figures', async () => {
    const { api: client, requests } = api([{ method: 'POST', path: '/sim/calls', respond: () => ({ body: { callSid: 'CApre1' } }) }]);
    const report = await runSimulatedPreflight(client, 'preflight-token', 'roaming');
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/sim/calls', body: { token: 'preflight-token', params: {} } });
    expect(requests[0].headers).not.toHaveProperty('Authorization');
    const figures = figuresFromReport(report, 'roaming', true);
    expect(figures).toEqual({
      rttMs: simulatedPreflightFigures.rttMs, jitterMs: 2.4, mos: 4.38, packetLossPercent: 0.2, bandwidthKbps: 80, edge: 'ashburn', simulated: true,
    });
    expect(judgePreflight(figures).result).toMatchObject({ status: 'pass', summary: expect.stringMatching(/simulated test/) });
  });

  it('reports a pinned edge as itself', async () => {
    const { api: client } = api([{ method: 'POST', path: '/sim/calls', respond: () => ({ body: { callSid: 'CApre2' } }) }]);
    expect((await runSimulatedPreflight(client, 't', 'dublin')).edge).toBe('dublin');
  });
});

describe('preflight token and edges', () => {
  it('asks POST /api/calls/preflight-token and reads the token and the edges', async () => {
    const { api: client, requests } = api([{ method: 'POST', path: '/api/calls/preflight-token', respond: () => ({ body: { token: 'jwt', identity: '_preflight_x', edges: ['ashburn', 'dublin'], codecPreferences: ['pcmu'] } }) }]);
    expect(await fetchPreflightToken(client)).toEqual({ token: 'jwt', edges: ['ashburn', 'dublin'], codecPreferences: ['pcmu'] });
    expect(requests[0].headers).toHaveProperty('Authorization', 'Bearer bearer');
  });

  it('refuses an answer without a token', () => {
    expect(() => readPreflightToken({ edges: [] })).toThrow(/network-test token/);
  });

  it('tests each edge in turn, roaming when the org lists none, and keeps going past a failed edge', async () => {
    const asked: string[] = [];
    const reports = await testEachEdge(['ashburn', 'dublin'], async (edge) => {
      asked.push(edge);
      if (edge === 'ashburn') throw { code: 31000, message: 'Signaling failed' };
      return { rttMs: 1, jitterMs: 1, mos: 4.4, edge, simulated: false };
    });
    expect(asked).toEqual(['ashburn', 'dublin']);
    expect(reports[0]).toEqual({ edge: 'ashburn', error: 'Signaling failed (error 31000)' });
    expect(reports[1].figures?.edge).toBe('dublin');
    expect((await testEachEdge([], async (edge) => ({ rttMs: 1, jitterMs: 1, mos: 4.4, edge, simulated: true }))).map((r) => r.edge)).toEqual(['roaming']);
  });
});

describe('levelFromSamples', () => {
  it('is zero for silence and passes the heard level for a tone', () => {
    expect(levelFromSamples(new Uint8Array(512).fill(128))).toBe(0);
    const tone = Uint8Array.from({ length: 512 }, (_, i) => Math.round(128 + 20 * Math.sin((i / 512) * 2 * Math.PI * 8)));
    expect(levelFromSamples(tone)).toBeGreaterThan(heardLevel);
    expect(levelFromSamples(new Uint8Array(512).fill(255))).toBe(1);
  });
});
