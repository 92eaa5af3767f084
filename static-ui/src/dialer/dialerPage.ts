import { methodLabel } from '../api/types';
import type { Page } from '../app/context';
import { h, notice, replace } from '../app/dom';
import { audioDevicesPanel } from '../calling/audioDevicesPanel';
import type { CallSnapshot } from '../calling/callSession';
import { qualityReportForm } from '../calling/feedbackForm';
import { microphoneBlockedBanner } from '../calling/microphone';
import { dispositionForm } from './afterCall';
import { isActive, statusText, suggestedDisposition } from './callMachine';
import { checkNumber, formatE164 } from './phoneNumber';
import { recentCalls } from './recentCalls';
import { cannotCallText } from '../settings/agentPhoneStatus';
import { callerIdPreview } from './callerIdPreview';
import { voicemailDrop } from './voicemailDrop';

const padKeys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
const padLetters: Record<string, string> = { '2': 'ABC', '3': 'DEF', '4': 'GHI', '5': 'JKL', '6': 'MNO', '7': 'PQRS', '8': 'TUV', '9': 'WXYZ', '0': '+' };
const keyNames: Record<string, string> = { '*': 'star', '#': 'pound' };

export const dialerPage: Page = (ctx, { query }) => {
  // Click-to-dial from a CRM record: #/dialer?to=+14155550100&whoId=003...
  const whoId = query.get('whoId') ?? undefined;
  const me = ctx.me();
  const method = me.callingPreference === 'computer' ? 'computer' : 'phone';
  const permission = method === 'computer' ? me.canPlaceCalls.computer : me.canPlaceCalls.phone;

  const banners = h('div', { class: 'banners' });
  const qualityBanner = h('div', { class: 'banner banner-warning', role: 'status', hidden: true, testid: 'quality-banner' });

  const number = h('input', {
    type: 'tel', autocomplete: 'off', inputmode: 'tel', testid: 'dial-number', id: 'dial-number',
    placeholder: '(415) 555-0100 or +44 20 7946 0000', 'aria-describedby': 'dial-number-hint', maxlength: 32,
  });
  const numberHint = h('div', { id: 'dial-number-hint', class: 'hint', testid: 'number-hint', 'aria-live': 'polite' }, 'US and Canadian numbers can be typed as you would dial them.');
  const callButton = h('button', { type: 'submit', class: 'btn btn-call', testid: 'call-button' }, 'Call');
  const status = h('div', { class: 'call-status', role: 'status', 'aria-live': 'polite', testid: 'call-status' });
  const mute = h('button', { type: 'button', class: 'btn', 'aria-pressed': 'false', testid: 'mute-button' }, 'Mute');
  const end = h('button', { type: 'button', class: 'btn btn-end', 'aria-label': 'END call', testid: 'end-button' }, 'END');
  const digitsSent = h('output', { class: 'digits-sent', testid: 'digits-sent', 'aria-label': 'Digits sent' });
  const pad = h('div', { class: 'dialpad', role: 'group', 'aria-label': 'Dial pad', testid: 'dialpad' },
    ...padKeys.map((key) => h('button', {
      type: 'button', class: 'pad-key', testid: `dtmf-${keyNames[key] ?? key}`, 'aria-label': `Dial ${keyNames[key] ?? key}`, 'data-key': key,
    }, h('span', { class: 'pad-digit' }, key), h('span', { class: 'pad-letters', 'aria-hidden': 'true' }, padLetters[key] ?? ''))));
  const padNote = h('p', { class: 'hint' });
  const reportButton = h('button', { type: 'button', class: 'btn btn-quiet', testid: 'report-quality' }, 'Report a call-quality issue');
  const afterCall = h('div', { class: 'after-call' });
  const reportSlot = h('div', {});
  const recent = recentCalls(ctx);

  const preview = callerIdPreview(ctx);
  const dropped = h('div', { 'aria-live': 'polite', testid: 'voicemail-left' });
  const drop = voicemailDrop(ctx, (name) => {
    // The server ends the rep's leg while the greeting plays: the dialer is ready for the next number.
    replace(dropped, notice('success', `Voicemail left: ${name}. Ready for the next number.`));
    number.value = '';
    validate(false);
  });
  const form = h('form', { class: 'dial-form', testid: 'dial-form' },
    h('label', { for: 'dial-number' }, 'Number to call'),
    h('div', { class: 'dial-row' }, number, callButton),
    numberHint,
    preview.element);

  function validate(showEmpty: boolean): ReturnType<typeof checkNumber> {
    const check = checkNumber(number.value);
    number.setAttribute('aria-invalid', String(!check.valid && (!check.empty || showEmpty)));
    numberHint.classList.toggle('hint-error', !check.valid && (!check.empty || showEmpty));
    numberHint.textContent = check.valid ? `Will dial ${formatE164(check.e164)}` : check.empty && !showEmpty ? 'US and Canadian numbers can be typed as you would dial them.' : check.reason;
    return check;
  }
  number.addEventListener('input', () => { const check = validate(false); preview.update(check.valid ? check.e164 : null); });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const check = validate(true);
    if (!check.valid) {
      number.focus();
      return;
    }
    if (!permission.allowed) return;
    afterCall.replaceChildren();
    reportSlot.replaceChildren();
    void ctx.calls.dial(check.e164, whoId);
  });
  pad.addEventListener('click', (event) => {
    const key = (event.target as HTMLElement).closest<HTMLButtonElement>('.pad-key')?.dataset.key;
    if (key) ctx.calls.sendDigits(key);
  });
  mute.addEventListener('click', () => ctx.calls.toggleMute());
  end.addEventListener('click', () => ctx.calls.hangup());
  reportButton.addEventListener('click', () => {
    const sid = ctx.calls.snapshot().lastCallSid ?? callSidOf(ctx.calls.snapshot());
    if (!sid) return;
    replace(reportSlot, qualityReportForm(ctx, sid, () => reportSlot.replaceChildren()));
    reportSlot.querySelector<HTMLInputElement>('input')?.focus();
  });

  // Digits typed anywhere on the page (outside a text field) go to the call as DTMF.
  const onKey = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement;
    if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
    if (!/^[0-9*#]$/.test(event.key) || !ctx.calls.canSendDigits()) return;
    event.preventDefault();
    ctx.calls.sendDigits(event.key);
    const button = pad.querySelector<HTMLElement>(`[data-key="${CSS.escape(event.key)}"]`);
    button?.classList.add('pressed');
    setTimeout(() => button?.classList.remove('pressed'), 150);
  };
  document.addEventListener('keydown', onKey);
  ctx.onLeave(() => document.removeEventListener('keydown', onKey));

  let shownAfterCallFor: string | null = null;
  let previousPhase = '';
  function render(snapshot: CallSnapshot): void {
    const { state } = snapshot;
    const active = isActive(state);
    status.textContent = statusText(state, Date.now());
    status.dataset.phase = state.phase;
    callButton.disabled = active || !permission.allowed;
    number.disabled = active;
    end.disabled = !active || state.phase === 'ending';
    end.hidden = !active;
    mute.hidden = !active;
    mute.disabled = !ctx.calls.canMute();
    const muted = state.phase === 'in-call' && state.muted;
    mute.setAttribute('aria-pressed', String(muted));
    mute.textContent = muted ? 'Unmute' : 'Mute';
    const padEnabled = ctx.calls.canSendDigits();
    for (const key of pad.querySelectorAll<HTMLButtonElement>('button')) key.disabled = !padEnabled;
    digitsSent.textContent = state.phase === 'in-call' ? state.digits : '';
    padNote.textContent = method === 'phone' && active ? 'In a phone-based call, use your phone\u2019s keypad to get through phone trees.' : 'The dial pad works during a call; you can also type digits on your keyboard.';
    drop.update(state.phase, state.phase === 'idle' ? null : state.callSid ?? null);
    if (state.phase === 'preparing') dropped.replaceChildren();
    reportButton.hidden = !(state.phase === 'in-call' || state.phase === 'ended') || !(snapshot.lastCallSid ?? callSidOf(snapshot));

    const bannerNodes: HTMLElement[] = [];
    if (snapshot.micBlocked) bannerNodes.push(microphoneBlockedBanner(() => ctx.calls.recheckMicrophone()));
    if (state.phase === 'ended' && state.error) bannerNodes.push(notice('error', state.error, 'call-error'));
    if (snapshot.deviceError) bannerNodes.push(notice('error', snapshot.deviceError, 'device-error'));
    const bannerKey = `${snapshot.micBlocked}|${state.phase === 'ended' ? state.error ?? '' : ''}|${snapshot.deviceError ?? ''}`;
    if (banners.dataset.key !== bannerKey) {
      banners.dataset.key = bannerKey;
      replace(banners, ...bannerNodes);
    }

    const quality = snapshot.quality;
    qualityBanner.hidden = !(active && quality.messages.length > 0);
    if (!qualityBanner.hidden) {
      replace(qualityBanner, h('strong', {}, 'Call quality'), h('ul', {}, ...quality.messages.map((m) => h('li', {}, m))), quality.advice ? h('p', {}, quality.advice) : null);
    }

    if (state.phase === 'ended') {
      const sid = snapshot.lastCallSid ?? state.callSid ?? null;
      if (sid && shownAfterCallFor !== sid) {
        shownAfterCallFor = sid;
        replace(afterCall,
          dispositionForm(ctx, sid, suggestedDisposition(state.outcome), () => void recent.reload()),
          h('button', { type: 'button', class: 'btn', testid: 'new-call', onclick: () => { ctx.calls.reset(); afterCall.replaceChildren(); reportSlot.replaceChildren(); number.value = ''; validate(false); number.focus(); } }, 'New call'));
      }
      if (previousPhase !== 'ended') void recent.reload();
    }
    if (state.phase === 'in-call' && previousPhase !== 'in-call') end.focus();
    if (state.phase === 'ended' && previousPhase !== 'ended' && dropped.childElementCount > 0) number.focus();
    previousPhase = state.phase;
  }

  const unsubscribe = ctx.calls.subscribe(render);
  const ticker = setInterval(() => render(ctx.calls.snapshot()), 1000);
  ctx.onLeave(() => {
    unsubscribe();
    clearInterval(ticker);
  });
  if (query.get('to') && !isActive(ctx.calls.snapshot().state)) {
    number.value = query.get('to')!;
    validate(false);
  }
  render(ctx.calls.snapshot());

  const methodLine = h('p', { class: 'method-line', testid: 'calling-method' },
    'Calling with ', h('strong', {}, methodLabel(method)),
    method === 'phone' && me.agentPhoneNumber ? ` (your phone ${formatE164(me.agentPhoneNumber)} rings first)` : '',
    ' \u00b7 ', h('a', { href: '#/settings/phone' }, 'Change in Settings'));
  const blocked = permission.allowed ? null : h('div', { class: 'notice notice-warning', role: 'alert', testid: 'cannot-call' },
    h('strong', {}, `You can\u2019t place ${method}-based calls right now. `),
    cannotCallText(method, permission),
    ' ',
    h('a', { href: '#/settings/phone' }, 'See your calling settings'));

  return h('div', { class: 'page dialer-page' },
    h('h1', {}, 'Dialer'),
    methodLine,
    blocked,
    method === 'computer' ? h('p', { class: 'hint' }, 'Keep this tab open during a call: closing or reloading it hangs up. New to computer-based calling? ', h('a', { href: '#/checklist' }, 'Run the checklist'), '.') : null,
    banners,
    h('div', { class: 'dialer-grid' },
      h('section', { class: 'card dialer', 'aria-label': 'Call' },
        form,
        status,
        qualityBanner,
        h('div', { class: 'call-controls' }, mute, end),
        pad,
        digitsSent,
        padNote,
        drop.element,
        dropped,
        reportButton),
      h('div', { class: 'side' }, afterCall, reportSlot, method === 'computer' ? audioDevicesPanel(ctx) : null)),
    recent.el);
};

function callSidOf(snapshot: CallSnapshot): string | null {
  return snapshot.state.phase === 'idle' ? null : snapshot.state.callSid ?? null;
}
