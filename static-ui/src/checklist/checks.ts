// The checklist's decisions, separate from the page so they can be tested. Pure; no DOM.

export interface CheckResult {
  status: 'pass' | 'warn' | 'fail';
  summary: string;
  /** The plain-language fix, when something needs doing. */
  fix?: string;
}

export function checkBrowser(userAgent: string, hasWebRtc: boolean, secureContext: boolean): CheckResult {
  const edge = /\bEdg\/(\d+)/.exec(userAgent);
  const chrome = /(?:\bHeadless)?(?:Chrome|Chromium)\/(\d+)/.exec(userAgent);
  const otherChromium = /\b(OPR|SamsungBrowser|YaBrowser|Vivaldi)\//.test(userAgent);
  const name = edge ? 'Microsoft Edge' : chrome && !otherChromium ? 'Google Chrome' : null;
  if (!hasWebRtc) {
    return { status: 'fail', summary: 'This browser can\u2019t make calls (no WebRTC).', fix: 'Open Playbooks in the latest Google Chrome or Microsoft Edge.' };
  }
  if (!secureContext) {
    return { status: 'fail', summary: 'The page isn\u2019t on a secure (https) address, so the browser won\u2019t share the microphone.', fix: 'Open Playbooks from its https:// address.' };
  }
  if (!name) {
    return { status: 'warn', summary: 'This browser may work, but only Chrome and Edge are supported.', fix: 'For the best call quality, use the latest Google Chrome or Microsoft Edge.' };
  }
  const version = Number((edge ?? chrome)![1]);
  if (version < 100) {
    return { status: 'warn', summary: `${name} ${version} is out of date.`, fix: `Update ${name}: open its menu \u2192 Help \u2192 About, and restart it.` };
  }
  return { status: 'pass', summary: `${name} ${version} is supported.` };
}

export function checkMicrophonePermission(state: 'granted' | 'denied' | 'prompt' | 'unknown'): CheckResult {
  switch (state) {
    case 'granted':
      return { status: 'pass', summary: 'The browser may use your microphone.' };
    case 'denied':
      return { status: 'fail', summary: 'Microphone access is blocked for this site.', fix: 'Allow it in Chrome\u2019s site settings (steps below), then check again.' };
    case 'prompt':
      return { status: 'warn', summary: 'The browser will ask for the microphone on your first call.', fix: 'Click \u201cAllow microphone\u201d and choose Allow in the browser\u2019s pop-up.' };
    default:
      return { status: 'warn', summary: 'The browser didn\u2019t say whether the microphone is allowed.', fix: 'Click \u201cAllow microphone\u201d to find out.' };
  }
}

export function checkDevices(inputs: number, outputs: number): CheckResult {
  if (inputs === 0) return { status: 'fail', summary: 'No microphone found.', fix: 'Plug in a headset or microphone, then check again. A wired headset gives the best quality.' };
  if (outputs === 0) return { status: 'warn', summary: `${inputs} microphone${inputs === 1 ? '' : 's'} found; the browser didn\u2019t list speakers.`, fix: 'Make sure a headset or speakers are connected, and use the speaker test on the Dialer.' };
  return { status: 'pass', summary: `${inputs} microphone${inputs === 1 ? '' : 's'} and ${outputs} speaker${outputs === 1 ? '' : 's'} found.` };
}

export interface NetworkTargets {
  rttMs: number;
  jitterMs: number;
  bandwidthKbps: number;
  minMos: number;
}

export const defaultTargets: NetworkTargets = { rttMs: 200, jitterMs: 30, bandwidthKbps: 100, minMos: 3.5 };

/** Packet loss above 1% is where Twilio's SDK starts warning of high packet loss. */
export const maxPacketLossPercent = 1;

export interface PreflightFigures {
  rttMs: number | null;
  jitterMs: number | null;
  mos: number | null;
  edge: string | null;
  simulated: boolean;
  /** Packets lost on the way to this browser, in percent of those sent. */
  packetLossPercent?: number | null;
  /** Audio bit rate the test call used (the busier direction). A call needs about 100 kbps free. */
  bandwidthKbps?: number | null;
}

export interface MetricVerdict {
  metric: 'rtt' | 'jitter' | 'packetLoss' | 'mos' | 'bandwidth' | 'edge';
  label: string;
  value: string;
  target: string;
  ok: boolean | null;
}

export function judgePreflight(f: PreflightFigures, targets: NetworkTargets = defaultTargets, expectedEdges: string[] = []): { verdicts: MetricVerdict[]; result: CheckResult } {
  const num = (v: number | null, unit: string, digits = 0) => (v === null || Number.isNaN(v) ? 'not measured' : `${v.toFixed(digits)}${unit}`);
  const verdicts: MetricVerdict[] = [
    { metric: 'rtt', label: 'Round-trip time (RTT)', value: num(f.rttMs, ' ms'), target: `under ${targets.rttMs} ms`, ok: f.rttMs === null ? null : f.rttMs < targets.rttMs },
    { metric: 'jitter', label: 'Jitter', value: num(f.jitterMs, ' ms', 1), target: `under ${targets.jitterMs} ms`, ok: f.jitterMs === null ? null : f.jitterMs < targets.jitterMs },
    { metric: 'mos', label: 'Call quality score (MOS)', value: num(f.mos, '', 2), target: `${targets.minMos} or higher (4.5 is the best)`, ok: f.mos === null ? null : f.mos >= targets.minMos },
  ];
  if (f.packetLossPercent !== undefined) {
    const loss = f.packetLossPercent;
    verdicts.splice(2, 0, { metric: 'packetLoss', label: 'Packet loss', value: num(loss, '%', 1), target: `under ${maxPacketLossPercent}%`, ok: loss === null ? null : loss < maxPacketLossPercent });
  }
  if (f.bandwidthKbps !== undefined) {
    // What the test call used, not what the line can carry: shown against the need, never judged.
    verdicts.push({ metric: 'bandwidth', label: 'Bandwidth used', value: num(f.bandwidthKbps, ' kbps'), target: `about ${targets.bandwidthKbps} kbps free per call`, ok: null });
  }
  const expected = expectedEdges.filter((e) => e !== 'roaming');
  verdicts.push({
    metric: 'edge',
    label: 'Twilio edge',
    value: f.edge ?? 'unknown',
    target: expected.length ? expected.join(' or ') : 'nearest (roaming)',
    ok: expected.length && f.edge ? expected.includes(f.edge) : null,
  });
  const failed = verdicts.filter((v) => v.ok === false && v.metric !== 'edge');
  const result: CheckResult = failed.length === 0
    ? { status: verdicts.some((v) => v.ok === false) ? 'warn' : 'pass', summary: `Your connection meets the targets${f.simulated ? ' (simulated test)' : ''}.` }
    : {
      status: 'warn',
      summary: `${failed.map((v) => v.label).join(' and ')} ${failed.length === 1 ? 'is' : 'are'} outside the target.`,
      fix: 'Use a network cable instead of Wi-Fi if you can, and try the test outside the VPN. If it stays poor, share these figures with your IT team.',
    };
  const edgeVerdict = verdicts.find((v) => v.metric === 'edge')!;
  if (edgeVerdict.ok === false) {
    result.fix = `${result.fix ? `${result.fix} ` : ''}You reached edge ${f.edge}, not the org\u2019s ${edgeVerdict.target}: a VPN or a DNS server far from you can cause this (see the Wi-Fi and VPN notes).`;
    if (result.status === 'pass') result.status = 'warn';
  }
  return { verdicts, result };
}

export interface RequirementsTable {
  signaling: { host: string; ports: string; protocol: string; purpose: string }[];
  edges: { edge: string; region: string; rows: { kind: string; protocol: string; ranges: string[]; ports: string }[] }[];
  targets: Partial<NetworkTargets>;
  /** The server's plain-language notes for the IT team (firewall, source ports, encryption, QoS). */
  notes: string[];
  /** GLL (roaming) DNS: what is needed and how to check it. */
  dns: { requirements: string[]; commands: string[]; supportedWhen: string };
  vpn: string[];
}

function s(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map(s).filter(Boolean).join(', ');
  return '';
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function texts(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : [];
}

/** Address ranges arrive as `{first, last}`; a range of one address shows as that address. */
function rangesOf(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.map((r) => {
    if (typeof r === 'string') return r;
    const o = obj(r);
    const first = s(o.first);
    const last = s(o.last);
    return first && last && first !== last ? `${first} \u2013 ${last}` : first || last;
  }).filter(Boolean);
}

/**
 * Reads GET /api/network/requirements: `signaling[] {host, protocol, ports, purpose}`, `locations[] {name, region,
 * edge, media, stun}` with `{protocol, ports, ranges[] {first, last}}`, `quality {maxRttMs, maxJitterMs,
 * bandwidthKbps}`, and the notes. Missing parts become empty, never an exception.
 */
export function readRequirements(raw: unknown): RequirementsTable {
  const r = obj(raw);
  const signaling = (Array.isArray(r.signaling) ? r.signaling : []).map((x) => {
    const o = obj(x);
    return { host: s(o.host), ports: s(o.ports), protocol: s(o.protocol) || 'TCP', purpose: s(o.purpose) };
  }).filter((x) => x.host);
  const edges = (Array.isArray(r.locations) ? r.locations : []).map((x) => {
    const o = obj(x);
    const rows: RequirementsTable['edges'][number]['rows'] = [];
    for (const [kind, fallback, part] of [['Media', 'UDP', o.media], ['STUN', 'TCP and UDP', o.stun]] as const) {
      const p = obj(part);
      const ranges = rangesOf(p.ranges);
      if (ranges.length) rows.push({ kind, protocol: s(p.protocol) || fallback, ranges, ports: s(p.ports) });
    }
    return { edge: s(o.edge) || s(o.name), region: s(o.region), rows };
  }).filter((e) => e.edge);
  const q = obj(r.quality);
  const targets: Partial<NetworkTargets> = {};
  if (typeof q.maxRttMs === 'number') targets.rttMs = q.maxRttMs;
  if (typeof q.maxJitterMs === 'number') targets.jitterMs = q.maxJitterMs;
  if (typeof q.bandwidthKbps === 'number') targets.bandwidthKbps = q.bandwidthKbps;
  const encryption = obj(r.encryption);
  const notes = [s(r.firewall), s(r.sourcePorts) && `Source ports: ${s(r.sourcePorts)}`, s(encryption.signaling), s(encryption.media), s(r.qualityOfService)].filter(Boolean);
  const gll = obj(r.gll);
  return {
    signaling,
    edges,
    targets,
    notes,
    dns: { requirements: [s(gll.summary), ...texts(gll.dnsRequirements), s(gll.caveat)].filter(Boolean), commands: texts(gll.checkCommands), supportedWhen: s(gll.supportedWhen) },
    vpn: texts(r.vpn),
  };
}
