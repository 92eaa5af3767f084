import { errorMessage } from '../api/problems';
import { methodLabel } from '../api/types';
import type { AppContext, Page } from '../app/context';
import { field, h, notice, replace } from '../app/dom';
import { checkNumber, formatE164 } from '../dialer/phoneNumber';
import { agentPhoneStatus } from './agentPhoneStatus';
import { greetingsSection } from './greetingsSection';
import { canChangePreference, placeCallsSummary, preferenceChoices, whyPreferenceIsFixed } from './callingOptions';

/** Settings → Phone: Calling Preference (Edit → select → Save), the agent phone number, and what is allowed. */
export const phoneSettingsPage: Page = (ctx) => {
  const page = h('div', { class: 'page' });
  const render = () => replace(page,
    h('h1', {}, 'Settings \u2192 Phone'),
    preferenceSection(ctx, render),
    agentPhoneSection(ctx, render),
    placeCallsSection(ctx),
    greetings,
    orgSection(ctx));
  // Built once: a re-render of the other sections keeps a recording in progress.
  const greetings = greetingsSection(ctx);
  render();
  return page;
};

function preferenceSection(ctx: AppContext, rerender: () => void): HTMLElement {
  const me = ctx.me();
  const status = h('div', { 'aria-live': 'polite' });
  const body = h('div', {});
  const section = h('section', { class: 'card', 'aria-labelledby': 'pref-title', testid: 'calling-preference' },
    h('h2', { id: 'pref-title' }, 'Calling Preference'), body, status);

  const showView = () => {
    const edit = h('button', { type: 'button', class: 'btn', testid: 'edit-preference' }, 'Edit');
    edit.addEventListener('click', showEdit);
    replace(body,
      h('p', {}, h('span', { testid: 'current-preference' }, methodLabel(me.callingPreference)), ' ', edit),
      canChangePreference(me) ? null : h('p', { class: 'hint', testid: 'preference-fixed' }, whyPreferenceIsFixed(me)));
  };

  const showEdit = () => {
    const choices = preferenceChoices(me);
    const select = h('select', { testid: 'preference-select' },
      ...choices.map((c) => h('option', { value: c.value, selected: c.value === me.callingPreference }, c.label)));
    const note = h('p', { class: 'hint', testid: 'preference-note' });
    const updateNote = () => {
      note.textContent = choices.find((c) => c.value === select.value)?.note ?? (choices.length < 2 ? whyPreferenceIsFixed(me) : '');
    };
    select.addEventListener('change', updateNote);
    updateNote();
    const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'save-preference' }, 'Save');
    const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
    cancel.addEventListener('click', () => { replace(status); showView(); });
    const form = h('form', {}, field('Calling Preference', select), note, h('div', { class: 'actions' }, save, cancel));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (select.value === me.callingPreference) {
        showView();
        return;
      }
      save.disabled = true;
      try {
        await ctx.api.put('/api/me/calling-preference', { preference: select.value });
        await ctx.refreshMe();
        rerender();
        ctx.toast('success', `Calling preference saved: ${methodLabel(select.value)}.`);
      } catch (error) {
        save.disabled = false;
        replace(status, notice('error', errorMessage(error), 'preference-error'));
      }
    });
    replace(body, form);
    select.focus();
  };

  showView();
  return section;
}

function agentPhoneSection(ctx: AppContext, rerender: () => void): HTMLElement {
  const me = ctx.me();
  const input = h('input', { type: 'tel', value: me.agentPhoneNumber ?? '', testid: 'agent-phone', autocomplete: 'tel', maxlength: 32 });
  const hint = h('div', { class: 'hint', 'aria-live': 'polite' }, 'Phone-based calls ring this phone first; answer it to be connected to the prospect.');
  input.setAttribute('aria-describedby', (hint.id = 'agent-phone-hint'));
  const status = h('div', { 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'save-agent-phone' }, 'Save');
  input.addEventListener('input', () => {
    const check = checkNumber(input.value);
    hint.textContent = check.valid ? `Will ring ${formatE164(check.e164)}` : check.empty ? 'Leave empty to remove the number.' : check.reason;
    hint.classList.toggle('hint-error', !check.valid && !check.empty);
  });
  const form = h('form', { class: 'card', 'aria-labelledby': 'agent-title' },
    h('h2', { id: 'agent-title' }, 'Agent phone number'), field('Your phone for phone-based calls', input, hint), h('div', { class: 'actions' }, save),
    verificationBlock(ctx, rerender), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const check = checkNumber(input.value);
    if (!check.valid && !check.empty) {
      replace(status, notice('error', check.reason));
      return;
    }
    save.disabled = true;
    try {
      await ctx.api.patch('/api/me', { agentPhoneNumber: check.valid ? check.e164 : '' });
      await ctx.refreshMe();
      rerender();
      ctx.toast('success', check.valid ? 'Agent phone number saved. We are calling it to verify it.' : 'Agent phone number removed.');
    } catch (error) {
      save.disabled = false;
      replace(status, notice('error', errorMessage(error), 'agent-phone-error'));
    }
  });
  return form;
}

/** The number's verification state, the code to enter while we call, and "Call me to verify". */
function verificationBlock(ctx: AppContext, rerender: () => void): HTMLElement {
  const state = agentPhoneStatus(ctx.me());
  const status = h('div', { 'aria-live': 'polite' });
  const block = h('div', { class: `agent-phone-state state-${state.state}`, testid: 'agent-phone-state', 'data-state': state.state },
    h('p', {}, h('strong', {}, `${state.label}. `), state.text));
  if (state.code) {
    block.append(h('p', { class: 'verification-code', testid: 'agent-phone-code', 'aria-label': 'Verification code' }, state.code));
  }
  if (state.canCallMe) {
    const callMe = h('button', { type: 'button', class: 'btn', testid: 'verify-agent-phone' }, 'Call me to verify');
    const refresh = h('button', { type: 'button', class: 'btn btn-quiet', testid: 'refresh-agent-phone' }, 'I entered the code');
    callMe.addEventListener('click', async () => {
      callMe.disabled = true;
      try {
        await ctx.api.post('/api/me/agent-phone/verification');
        await ctx.refreshMe();
        rerender();
        ctx.toast('success', 'Calling your phone now. Enter the code shown here.');
      } catch (error) {
        callMe.disabled = false;
        replace(status, notice('error', errorMessage(error), 'verify-agent-phone-error'));
      }
    });
    refresh.addEventListener('click', async () => {
      await ctx.refreshMe();
      rerender();
    });
    block.append(h('div', { class: 'actions' }, callMe, state.state === 'verifying' ? refresh : null), status);
  }
  return block;
}

function placeCallsSection(ctx: AppContext): HTMLElement {
  return h('section', { class: 'card', 'aria-labelledby': 'can-title' },
    h('h2', { id: 'can-title' }, 'What you can use'),
    h('ul', { class: 'status-list' }, ...placeCallsSummary(ctx.me()).map((s) =>
      h('li', { class: s.allowed ? 'ok' : 'not-ok', testid: `can-place-${s.method}` },
        h('strong', {}, `${s.label}: `), s.allowed ? 'Available. ' : 'Not available. ', s.text))),
    h('p', { class: 'hint' }, 'Changes your manager or Support make show here and on the dialer within about 5\u201310 seconds, without a reload. A call in progress is never cut: a change applies from your next call.'));
}

function orgSection(ctx: AppContext): HTMLElement {
  const { calling } = ctx.me();
  const recording: Record<string, string> = { off: 'Calls are not recorded.', 'record-from-answer': 'Calls are recorded from when they are answered.', 'dual-channel': 'Calls are recorded, each side on its own channel.' };
  return h('section', { class: 'card', 'aria-labelledby': 'org-title' },
    h('h2', { id: 'org-title' }, 'Your organization'),
    h('p', {}, recording[calling.recording] ?? `Recording: ${calling.recording}.`, ' Computer-based calls follow the same recording setting.'),
    h('p', { class: 'hint' }, `Twilio edge: ${calling.edges.join(' \u2192 ')}.`));
}
