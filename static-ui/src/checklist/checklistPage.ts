import { errorMessage } from '../api/problems';
import type { AppContext, Page } from '../app/context';
import { h, notice, replace } from '../app/dom';
import { dataTable } from '../app/table';
import { microphoneBlockedBanner, queryMicrophonePermission, requestMicrophone } from '../calling/microphone';
import { checkBrowser, checkDevices, checkMicrophonePermission, defaultTargets, judgePreflight, readRequirements, type CheckResult, type NetworkTargets } from './checks';
import { micMeter } from './micMeter';
import { fetchPreflightToken, figuresFromReport, runTwilioPreflight, testEachEdge, type EdgeReport } from './preflight';

const statusWords: Record<CheckResult['status'], string> = { pass: 'OK', warn: 'Check', fail: 'Fix needed' };

function checkItem(testid: string, title: string): { el: HTMLElement; show: (r: CheckResult, ...extra: (Node | null)[]) => void; slot: HTMLElement } {
  const badge = h('span', { class: 'badge' }, '\u2026');
  const body = h('div', { class: 'check-body' }, h('p', {}, 'Checking\u2026'));
  const slot = h('div', {});
  const el = h('li', { class: 'check', testid, 'data-status': 'pending' }, h('div', { class: 'check-head' }, badge, h('h3', {}, title)), body, slot);
  return {
    el,
    slot,
    show(result, ...extra) {
      el.dataset.status = result.status;
      badge.textContent = statusWords[result.status];
      badge.className = `badge badge-${result.status}`;
      replace(body, h('p', { class: 'check-summary' }, result.summary), result.fix ? h('p', { class: 'check-fix' }, h('strong', {}, 'How to fix: '), result.fix) : null, ...extra);
    },
  };
}

/** "Computer-based calling checklist": live checks, each with a plain-language fix. */
export const checklistPage: Page = (ctx) => {
  const targets: NetworkTargets = { ...defaultTargets };
  const browser = checkItem('check-browser', 'Browser');
  const mic = checkItem('check-microphone', 'Microphone permission');
  const devices = checkItem('check-devices', 'Microphone and speakers');
  devices.slot.append(micMeter());
  const network = checkItem('check-network', 'Network test');
  const requirements = h('section', { class: 'card', testid: 'firewall-requirements', 'aria-labelledby': 'fw-title' }, h('h2', { id: 'fw-title' }, 'Firewall requirements (for your IT team)'), h('p', { role: 'status' }, 'Loading\u2026'));

  browser.show(checkBrowser(navigator.userAgent, typeof RTCPeerConnection !== 'undefined', window.isSecureContext));

  async function runMic(): Promise<void> {
    const state = await queryMicrophonePermission();
    const allow = h('button', { type: 'button', class: 'btn', testid: 'allow-microphone' }, 'Allow microphone');
    allow.addEventListener('click', async () => {
      const result = await requestMicrophone();
      if (!result.ok && !result.blocked) ctx.toast('error', result.message);
      await runMic();
      await runDevices();
    });
    const result = checkMicrophonePermission(state);
    mic.show(result, state === 'granted' ? null : allow);
    replace(mic.slot, state === 'denied' ? microphoneBlockedBanner(async () => {
      await runMic();
      return (await queryMicrophonePermission()) !== 'denied';
    }) : null);
  }

  async function runDevices(): Promise<void> {
    const again = h('button', { type: 'button', class: 'btn btn-quiet', onclick: () => void runDevices() }, 'Check again');
    try {
      const list = await navigator.mediaDevices.enumerateDevices();
      devices.show(checkDevices(list.filter((d) => d.kind === 'audioinput').length, list.filter((d) => d.kind === 'audiooutput').length), again);
    } catch {
      devices.show({ status: 'fail', summary: 'The browser won\u2019t list audio devices here.', fix: 'Use Chrome or Edge on the https:// address.' }, again);
    }
  }

  const simulated = ctx.me().telephony === 'simulated';
  const runButton = h('button', { type: 'button', class: 'btn btn-primary', testid: 'run-network-test' }, 'Run network test');
  network.show({ status: 'warn', summary: simulated
    ? 'Simulated mode: the test call goes to the Twilio simulator, and the figures are fixed sample values, not measurements.'
    : 'Places a short test call to Twilio from this browser, for each of your org\u2019s edges: it records a few seconds of you and plays them back, and measures delay, jitter, packet loss and quality. It never calls anyone.' }, runButton);
  runButton.addEventListener('click', async () => {
    runButton.disabled = true;
    network.el.dataset.status = 'running';
    try {
      const preflight = await fetchPreflightToken(ctx.api);
      const reports = await testEachEdge(preflight.edges, async (edge) => {
        const report = simulated
          ? await (await import('../calling/simulatedDevice')).runSimulatedPreflight(ctx.api, preflight.token, edge)
          : await runTwilioPreflight(preflight.token, edge, preflight.codecPreferences);
        return figuresFromReport(report, edge, simulated);
      });
      network.show(overall(reports),
        simulated ? h('p', { class: 'notice notice-info', testid: 'simulated-preflight' }, 'Simulated network test: the figures are fixed sample values from the simulated device, not measurements. Run it again with Twilio for real figures.') : null,
        ...reports.map((report) => edgeSection(report, targets)),
        runButton);
    } catch (error) {
      network.show({ status: 'fail', summary: `The network test could not run: ${errorMessage(error)}`, fix: 'Check that your firewall allows the Twilio hosts and ranges listed below, then run it again.' }, runButton);
    } finally {
      runButton.disabled = false;
    }
  });

  function overall(reports: EdgeReport[]): CheckResult {
    const failed = reports.filter((r) => r.error);
    if (failed.length === reports.length) {
      return { status: 'fail', summary: `The test call failed: ${failed[0].error}`, fix: 'Check that your firewall allows the Twilio hosts and ranges listed below, then run it again.' };
    }
    const judged = reports.filter((r) => r.figures).map((r) => ({ edge: r.edge, ...judgePreflight(r.figures!, targets, [r.edge]).result }));
    const worst = judged.find((r) => r.status === 'fail') ?? judged.find((r) => r.status === 'warn');
    if (failed.length) return { status: 'warn', summary: `The test call to edge ${failed.map((r) => r.edge).join(', ')} failed.`, fix: worst?.fix ?? 'Run the test again; if it keeps failing, share these figures with your IT team.' };
    return worst ? { ...worst, summary: `Edge ${worst.edge}: ${worst.summary}` } : judged[0];
  }

  void runMic();
  void runDevices();
  void loadRequirements(ctx, requirements, targets);

  return h('div', { class: 'page' },
    h('h1', {}, 'Computer-based calling checklist'),
    h('p', {}, 'Go through these before your first computer-based call. Each check says what to do if it doesn\u2019t pass.'),
    h('ol', { class: 'checks' }, browser.el, mic.el, devices.el, network.el),
    guidance(),
    requirements);
};

/** One edge's figures against the targets, or why its test call failed. */
function edgeSection(report: EdgeReport, targets: NetworkTargets): HTMLElement {
  const title = h('h4', {}, `Edge: ${report.edge}`);
  if (!report.figures) {
    return h('section', { class: 'edge-report', testid: `network-edge-${report.edge}`, 'data-status': 'fail' }, title, h('p', { class: 'check-fix' }, report.error ?? 'The test call failed.'));
  }
  const { verdicts, result } = judgePreflight(report.figures, targets, [report.edge]);
  return h('section', { class: 'edge-report', testid: `network-edge-${report.edge}`, 'data-status': result.status }, title,
    dataTable([
      { label: 'Measure', cell: (v) => v.label },
      { label: 'Result', cell: (v) => v.value },
      { label: 'Target', cell: (v) => v.target },
      { label: '', cell: (v) => (v.ok === null ? '' : v.ok ? 'OK' : 'Outside target') },
    ], verdicts, { testid: 'network-results', rowAttrs: (v) => ({ 'data-metric': v.metric, 'data-ok': v.ok === null ? '' : String(v.ok) }) }));
}

function guidance(): HTMLElement {
  return h('section', { class: 'card', testid: 'network-guidance', 'aria-labelledby': 'wifi-title' },
    h('h2', { id: 'wifi-title' }, 'Wi-Fi, VPN and your network'),
    h('ul', {},
      h('li', {}, h('strong', {}, 'Wi-Fi: '), 'if you are on Wi-Fi, connect to the router with a network cable. If quality is poor because of Wi-Fi, work with your IT group to fix it.'),
      h('li', {}, h('strong', {}, 'VPN: '), 'a VPN connects you to the Twilio edge nearest the VPN, which may be far from you. Test outside the VPN; if the VPN is the cause, ask IT to set up a split tunnel that keeps calling traffic off the VPN, and to allow all the STUN ranges below.'),
      h('li', {}, h('strong', {}, 'Bandwidth: '), 'a call uses about 100 kbps, already part of the 1 Mbps Playbooks needs. Run an internet speed test if calls sound poor.'),
      h('li', {}, h('strong', {}, 'Latency and jitter: '), 'RTT should be under 200 ms and jitter under 30 ms for good audio.'),
      h('li', {}, h('strong', {}, 'Packet loss: '), 'ping 8.8.8.8 while on a poor call; if packets are lost, your IT group works with your internet provider.'),
      h('li', {}, h('strong', {}, 'Headset: '), 'try a different headset, and charge or replace batteries.'),
      h('li', {}, h('strong', {}, 'DNS (roaming edge): '), 'the nearest edge is found through DNS. Your DNS should support client subnet (RFC 7871): run ', h('code', {}, 'nslookup -type=txt edns-client-sub.net'), ' and look for ecs True.')),
    h('p', { class: 'hint' }, 'The call-quality issue report on the Dialer sends your last call\u2019s figures to support.'));
}

async function loadRequirements(ctx: AppContext, section: HTMLElement, targets: NetworkTargets): Promise<void> {
  const title = section.firstElementChild!;
  try {
    // Without ?edge= the server answers for the edges this org uses (every location for roaming).
    const table = readRequirements(await ctx.api.get('/api/network/requirements'));
    Object.assign(targets, table.targets);
    const edgeRows = table.edges.flatMap((e) => e.rows.map((row) => ({ ...row, edge: e.edge, region: e.region })));
    replace(section, title,
      table.notes.length
        ? h('ul', { testid: 'firewall-notes' }, ...table.notes.map((n) => h('li', {}, n)))
        : h('p', {}, 'Calls start from this browser, so your firewall must allow outgoing TCP and UDP to these destinations and their replies.'),
      h('h3', {}, 'Signaling'),
      dataTable([
        { label: 'Host', cell: (r) => r.host },
        { label: 'Ports', cell: (r) => r.ports },
        { label: 'Protocol', cell: (r) => r.protocol },
        { label: 'What for', cell: (r) => r.purpose },
      ], table.signaling, { testid: 'signaling-table', empty: 'No signaling hosts listed.' }),
      h('h3', {}, 'Media and STUN by edge'),
      dataTable([
        { label: 'Edge', cell: (r) => (r.region ? `${r.edge} (${r.region})` : r.edge) },
        { label: 'Traffic', cell: (r) => `${r.kind} \u00b7 ${r.protocol}` },
        { label: 'Address ranges', cell: (r) => h('ul', { class: 'plain' }, ...r.ranges.map((x) => h('li', {}, x))) },
        { label: 'Ports', cell: (r) => r.ports },
      ], edgeRows, { testid: 'edge-table', empty: 'No edge ranges listed.' }),
      table.dns.requirements.length ? h('h3', {}, 'DNS for the roaming edge') : null,
      table.dns.requirements.length ? h('ul', { testid: 'dns-requirements' }, ...table.dns.requirements.map((n) => h('li', {}, n))) : null,
      table.dns.commands.length ? h('p', {}, 'Check with ', ...table.dns.commands.flatMap((c, i) => [i ? ' or ' : '', h('code', {}, c)]), `. ${table.dns.supportedWhen}`) : null,
      table.vpn.length ? h('h3', {}, 'VPN') : null,
      table.vpn.length ? h('ul', {}, ...table.vpn.map((n) => h('li', {}, n))) : null,
      h('p', { class: 'hint' }, `Targets: RTT under ${targets.rttMs} ms, jitter under ${targets.jitterMs} ms, about ${targets.bandwidthKbps} kbps per call.`));
  } catch (error) {
    replace(section, title, notice('error', errorMessage(error), 'requirements-error'));
  }
}
