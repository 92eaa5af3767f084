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
  it('reads GET /api/network/requirements as the API sends it', () => {
    const table = readRequirements({
      edges: ['roaming'],
      signaling: [{ host: 'chunderw-vpc-gll.twilio.com', protocol: 'TCP', ports: '443', purpose: 'Secure TLS connection to the Twilio signaling gateway' }],
      locations: [{
        name: 'sydney', region: 'au1', edge: 'sydney',
        media: { protocol: 'UDP', ports: '10000-20000', ranges: [{ first: '54.252.254.64', last: '54.252.254.127' }] },
        stun: { protocol: 'TCP and UDP', ports: '443, 3478 (TCP and UDP), 5349 TCP', ranges: [{ first: '13.210.2.128', last: '13.210.2.159' }, { first: '3.25.42.1', last: '3.25.42.1' }] },
      }],
      sourcePorts: 'Any: the browser picks a port from the ephemeral range.',
      firewall: 'Allow outgoing TCP and UDP to these destinations.',
      qualityOfService: 'Prioritise this traffic.',
      encryption: { signaling: 'WSS (TLS 1.2) to TCP port 443.', media: 'DTLS-SRTP.' },
      quality: { maxRttMs: 200, maxJitterMs: 30, bandwidthKbps: 100, note: 'n' },
      gll: { summary: 'Roaming uses latency-based DNS.', dnsRequirements: ['RFC 7871.'], checkCommands: ['dig edns-client-sub.net TXT'], supportedWhen: 'ecs True.', caveat: 'Anycast DNS may pick badly.' },
      vpn: ['Split tunnel.'],
    });
    expect(table.signaling).toEqual([{ host: 'chunderw-vpc-gll.twilio.com', ports: '443', protocol: 'TCP', purpose: 'Secure TLS connection to the Twilio signaling gateway' }]);
    expect(table.edges).toEqual([{ edge: 'sydney', region: 'au1', rows: [
      { kind: 'Media', protocol: 'UDP', ranges: ['54.252.254.64 \u2013 54.252.254.127'], ports: '10000-20000' },
      { kind: 'STUN', protocol: 'TCP and UDP', ranges: ['13.210.2.128 \u2013 13.210.2.159', '3.25.42.1'], ports: '443, 3478 (TCP and UDP), 5349 TCP' },
    ] }]);
    expect(table.targets).toEqual({ rttMs: 200, jitterMs: 30, bandwidthKbps: 100 });
    expect(table.notes).toEqual(['Allow outgoing TCP and UDP to these destinations.', 'Source ports: Any: the browser picks a port from the ephemeral range.', 'WSS (TLS 1.2) to TCP port 443.', 'DTLS-SRTP.', 'Prioritise this traffic.']);
    expect(table.dns).toEqual({ requirements: ['Roaming uses latency-based DNS.', 'RFC 7871.', 'Anycast DNS may pick badly.'], commands: ['dig edns-client-sub.net TXT'], supportedWhen: 'ecs True.' });
    expect(table.vpn).toEqual(['Split tunnel.']);
  });

  it('renders defensively: missing parts and junk become empty, never an exception', () => {
    const table = readRequirements({ locations: [{ edge: 'ashburn', media: { ranges: [{ first: '1.1.1.0', last: '1.1.1.255' }, 7] } }, null, { region: 'x' }], signaling: 'nope', quality: 'fast' });
    expect(table.edges).toEqual([{ edge: 'ashburn', region: '', rows: [{ kind: 'Media', protocol: 'UDP', ranges: ['1.1.1.0 \u2013 1.1.1.255'], ports: '' }] }]);
    expect(table.signaling).toEqual([]);
    expect(table.targets).toEqual({});
    expect(readRequirements(undefined)).toEqual({ signaling: [], edges: [], targets: {}, notes: [], dns: { requirements: [], commands: [], supportedWhen: '' }, vpn: [] });
  });
});
