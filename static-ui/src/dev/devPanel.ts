import { errorMessage } from '../api/problems';
import type { Page } from '../app/context';
import { formatDateTime, h, notice, replace } from '../app/dom';
import { dataTable, text } from '../app/table';

type SimEvent = Record<string, unknown>;

/** The Twilio simulator's event log (dev server only, shown when telephony is simulated). */
export const devPanel: Page = async (ctx) => {
  const body = h('div', {});
  async function load(): Promise<void> {
    try {
      const data = await ctx.api.get<unknown>('/sim/events', { anonymous: true });
      const events = (Array.isArray(data) ? data : Array.isArray((data as { items?: unknown })?.items) ? (data as { items: SimEvent[] }).items : []) as SimEvent[];
      replace(body, dataTable([
        { label: 'When', cell: (e) => formatDateTime(e.at) },
        { label: 'Kind', cell: (e) => text(e, 'kind') },
        { label: 'Call', cell: (e) => text(e, 'callSid') },
        { label: 'Detail', cell: (e) => text(e, 'detail') },
      ], [...events].reverse(), { testid: 'sim-events', empty: 'No simulator events yet.' }));
    } catch (error) {
      replace(body, notice('error', errorMessage(error)));
    }
  }
  await load();
  return h('div', { class: 'page' },
    h('div', { class: 'card-head' }, h('h1', {}, 'Simulator'), h('button', { type: 'button', class: 'btn', testid: 'refresh-sim-events', onclick: () => void load() }, 'Refresh')),
    h('p', {}, 'Telephony is simulated: no real calls are placed. This is what the simulated Twilio saw, newest first.'),
    body);
};
