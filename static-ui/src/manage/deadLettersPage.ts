import { itemsOf } from '../api/client';
import { errorMessage } from '../api/problems';
import type { AppContext, Page } from '../app/context';
import { formatDateTime, h, notice, replace } from '../app/dom';
import { dataTable, text } from '../app/table';

type Row = Record<string, unknown>;

const reasons: Record<string, string> = {
  'max-delivery-exceeded': 'Kept failing (storage or CRM down too long)',
  'activity-write-rejected': 'Storage refused the activity',
  'invalid-activity-key': 'Event names no valid call',
  'unparseable-payload': 'Unreadable event',
  'unsupported-version': 'Event from an unknown version',
};

/** A readable reason; unknown codes are shown as they are. */
export function reasonLabel(code: unknown): string {
  const key = typeof code === 'string' ? code : '';
  return reasons[key] ?? key;
}

/** Call events the activity writer gave up on, with replay for one or all (Admin). */
export const deadLettersPage: Page = async (ctx: AppContext) => {
  const status = h('div', {});
  const body = h('div', {});

  async function replay(path: string): Promise<void> {
    try {
      const result = (await ctx.api.post<{ replayed?: number }>(path)) ?? {};
      replace(status, notice('success', `Replayed ${result.replayed ?? 0} event${result.replayed === 1 ? '' : 's'}.`, 'dead-letters-status'));
    } catch (error) {
      replace(status, notice('error', errorMessage(error), 'dead-letters-status'));
    }
    await load();
  }

  async function load(): Promise<void> {
    try {
      const { items } = itemsOf<Row>(await ctx.api.get('/api/admin/dead-letters'));
      replace(body, dataTable([
        { label: 'When', cell: (r) => formatDateTime(r.deadLetteredAt) },
        { label: 'Reason', cell: (r) => h('span', { title: text(r, 'description') }, reasonLabel(r.reason)) },
        { label: 'Call', cell: (r) => text(r, 'callSid') },
        { label: 'Event', cell: (r) => text(r, 'kind') },
        {
          label: '',
          cell: (r) => h('button', {
            type: 'button', class: 'btn', testid: 'dead-letter-replay',
            onclick: () => void replay(`/api/admin/dead-letters/${encodeURIComponent(text(r, 'id'))}/replay`),
          }, 'Replay'),
        },
      ], items, { testid: 'dead-letters-table', empty: 'No failed call events.' }));
    } catch (error) {
      replace(body, notice('error', errorMessage(error)));
    }
  }

  await load();
  return h('div', { class: 'page' },
    h('div', { class: 'card-head' },
      h('h1', {}, 'Failed call events'),
      h('button', { type: 'button', class: 'btn', testid: 'dead-letters-replay-all', onclick: () => void replay('/api/admin/dead-letters/replay') }, 'Replay all'),
      h('button', { type: 'button', class: 'btn btn-quiet', onclick: () => void load() }, 'Refresh')),
    h('p', {}, 'Call events that could not be written to their activity. Replaying puts them back on the queue; replaying one twice does no harm.'),
    status, body);
};
