import { errorMessage } from '../api/problems';
import type { GreetingList } from '../api/types';
import type { AppContext } from '../app/context';
import { h, notice, replace } from '../app/dom';
import { greetingLabel } from '../settings/greetingsSection';

/**
 * "Drop voicemail" during an answered call: the chosen greeting plays on the prospect's voicemail and hangs up there,
 * while the server frees the rep's leg at once. Hidden until the rep has a greeting.
 */
export function voicemailDrop(ctx: AppContext, onDropped: (greetingName: string) => void) {
  const select = h('select', { testid: 'drop-greeting', 'aria-label': 'Greeting to leave' });
  const button = h('button', { type: 'button', class: 'btn', testid: 'drop-voicemail' }, 'Drop voicemail');
  const status = h('div', { 'aria-live': 'polite', testid: 'drop-status' });
  const element = h('div', { class: 'voicemail-drop', hidden: true, testid: 'voicemail-drop' }, select, ' ', button, status);
  let callSid: string | null = null;
  let dropping = false;
  let hasGreetings = false;

  void ctx.api.get<GreetingList>('/api/me/greetings').then((list) => {
    hasGreetings = list.items.length > 0;
    replace(select, ...list.items.map((g) => h('option', { value: g.id }, greetingLabel(g))));
  }, () => { hasGreetings = false; });

  button.addEventListener('click', async () => {
    if (!callSid || !select.value) return;
    dropping = true;
    button.disabled = true;
    const name = select.selectedOptions[0]?.textContent ?? '';
    try {
      await ctx.api.post(`/api/calls/${encodeURIComponent(callSid)}/voicemail-drop`, { greetingId: select.value });
      replace(status);
      onDropped(name);
    } catch (error) {
      button.disabled = false;
      replace(status, notice('error', errorMessage(error), 'drop-error'));
    } finally {
      dropping = false;
    }
  });

  return {
    element,
    /** Shown while the prospect's leg is answered (a voicemail answers like a person). */
    update(phase: string, sid: string | null) {
      const show = phase === 'in-call' && hasGreetings && !!sid;
      if (sid !== callSid) {
        callSid = sid;
        button.disabled = false;
        replace(status);
      }
      element.hidden = !show;
      if (!dropping && show) button.disabled = false;
    },
  };
}
