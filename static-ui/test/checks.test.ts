import { describe, expect, it } from 'vitest';
import { checkBrowser, checkDevices, checkMicrophonePermission, judgePreflight, readRequirements } from '../src/checklist/checks';
import { summariseTimings } from '../src/checklist/preflight';

const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const edge = `${chrome} Edg/131.0.0.0`;
const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

describe('checkBrowser', () => {
  it('passes current Chrome and Edge', () => {
    expect(checkBrowser(chrome, true, true)).toEqual({ status: 'pass', summary: 'Google Chrome 131 is supported.' });
    expect(checkBrowser(edge, true, true).summary).toBe('Microsoft Edge 131 is supported.');
  });

  it('warns on other browsers and old versions, and fails without WebRTC or https', () => {
    expect(checkBrowser(firefox, true, true)).toMatchObject({ status: 'warn', fix: expect.stringMatching(/Chrome or Microsoft Edge/) });
    expect(checkBrowser(chrome.replace('131', '90'), true, true).status).toBe('warn');
    expect(checkBrowser(chrome, false, true).status).toBe('fail');
    expect(checkBrowser(chrome, true, false).fix).toMatch(/https/);
  });
});

describe('microphone and device checks', () => {
  it('gives a fix for a blocked microphone and for missing devices', () => {
    expect(checkMicrophonePermission('denied')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/site settings/) });
    expect(checkMicrophonePermission('granted').status).toBe('pass');
    expect(checkDevices(0, 2)).toMatchObject({ status: 'fail', fix: expect.stringMatching(/headset/) });
    expect(checkDevices(1, 1).summary).toBe('1 microphone and 1 speaker found.');
  });
});

describe('judgePreflight', () => {
  it('passes figures inside the targets', () => {
    const { verdicts, result } = judgePreflight({ rttMs: 80, jitterMs: 4, mos: 4.3, edge: 'ashburn', simulated: false }, undefined, ['roaming']);
    expect(result.status).toBe('pass');
    expect(verdicts.map((v) => [v.metric, v.ok])).toEqual([['rtt', true], ['jitter', true], ['mos', true], ['edge', null]]);
  });

  it('names what is outside the target and how to fix it', () => {
    const { verdicts, result } = judgePreflight({ rttMs: 240, jitterMs: 35, mos: 3.9, edge: 'ashburn', simulated: false });
    expect(result).toMatchObject({ status: 'warn', summary: 'Round-trip time (RTT) and Jitter are outside the target.' });
    expect(result.fix).toMatch(/network cable/);
    expect(verdicts[0]).toMatchObject({ value: '240 ms', target: 'under 200 ms', ok: false });
  });

  it('flags an edge other than the org\u2019s pinned one (a VPN far away)', () => {
    const { result } = judgePreflight({ rttMs: 50, jitterMs: 2, mos: 4.4, edge: 'dublin', simulated: false }, undefined, ['ashburn']);
    expect(result.status).toBe('warn');
    expect(result.fix).toMatch(/edge dublin, not the org.s ashburn/);
  });

  it('labels a simulated test', () => {
    expect(judgePreflight({ rttMs: 3, jitterMs: 1, mos: 4.4, edge: 'simulated', simulated: true }).result.summary).toMatch(/simulated test/);
  });
});

describe('summariseTimings', () => {
  it('averages round trips and takes jitter as the mean change between them', () => {
    expect(summariseTimings([10, 20, 10, 20])).toEqual({ rttMs: 15, jitterMs: 10 });
    expect(summariseTimings([])).toEqual({ rttMs: null, jitterMs: null });
  });
});

describe('readRequirements', () => {
  it('reads the documented shape', () => {
    const table = readRequirements({
      edges: [{ edge: 'sydney', region: 'au1', media: [{ protocol: 'UDP', ranges: ['54.252.254.64/26'], ports: '10000-20000' }], stun: ['13.210.2.128/27'] }],
      signaling: [{ host: 'chunderw-gll.twilio.com', port: 443, protocol: 'TCP' }],
      targets: { rttMs: 200, jitterMs: 30, bandwidthKbps: 100 },
    });
    expect(table.signaling).toEqual([{ host: 'chunderw-gll.twilio.com', port: '443', protocol: 'TCP' }]);
    expect(table.edges[0].rows).toEqual([
      { kind: 'Media', protocol: 'UDP', ranges: ['54.252.254.64/26'], ports: '10000-20000' },
      { kind: 'STUN', protocol: 'TCP & UDP', ranges: ['13.210.2.128/27'], ports: '' },
    ]);
    expect(table.targets).toEqual({ rttMs: 200, jitterMs: 30, bandwidthKbps: 100 });
  });

  it('renders defensively: ranges as objects, missing parts, junk', () => {
    const table = readRequirements({ edges: [{ edge: 'ashburn', media: [{ ranges: [{ from: '1.1.1.0', to: '1.1.1.255' }], ports: [10000, 20000] }] }, null, { region: 'x' }], signaling: 'nope' });
    expect(table.edges).toHaveLength(1);
    expect(table.edges[0].rows[0]).toEqual({ kind: 'Media', protocol: 'UDP', ranges: ['1.1.1.0 \u2013 1.1.1.255'], ports: '10000, 20000' });
    expect(table.signaling).toEqual([]);
    expect(readRequirements(undefined)).toEqual({ signaling: [], edges: [], targets: {} });
  });
});
