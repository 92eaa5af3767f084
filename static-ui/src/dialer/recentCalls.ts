import { itemsOf } from '../api/client';
import { errorMessage } from '../api/problems';
import { dispositions, methodLabel } from '../api/types';
import type { AppContext } from '../app/context';
import { formatDateTime, formatDuration, h, notice, replace } from '../app/dom';
import { dataTable, text } from '../app/table';
import { formatE164 } from './phoneNumber';

type Row = Record<string, unknown>;

const dispositionLabel = new Map<string, string>(dispositions);

export function callColumns() {
  return [
    { label: 'When', cell: (r: Row) => formatDateTime(r.startedAt ?? r.initiatedAt ?? r.createdAt ?? r.at) },
    { label: 'Number', cell: (r: Row) => formatE164(text(r, 'to', 'prospectNumber', 'number')) },
    { label: 'Method', cell: (r: Row) => methodLabel(text(r, 'method')) },
    { label: 'Outcome', cell: (r: Row) => text(r, 'outcome', 'status') },
    { label: 'Duration', cell: (r: Row) => (typeof (r.duration ?? r.durationSeconds) === 'number' ? formatDuration((r.duration ?? r.durationSeconds) as number) : '') },
    { label: 'Disposition', cell: (r: Row) => dispositionLabel.get(text(r, 'disposition')) ?? text(r, 'disposition') },
    { label: 'Notes', cell: (r: Row) => text(r, 'notes'), className: 'notes-cell' },
  ];
}

/** The rep's recent calls; `reload()` re-reads them (after a call ends or a disposition is saved). */
export function recentCalls(ctx: AppContext): { el: HTMLElement; reload: () => Promise<void> } {
  const body = h('div', {}, h('p', { role: 'status' }, 'Loading\u2026'));
  const refresh = h('button', { type: 'button', class: 'btn btn-quiet', testid: 'refresh-recent-calls' }, 'Refresh');
  const el = h('section', { class: 'card', 'aria-labelledby': 'recent-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'recent-title' }, 'Recent calls'), refresh),
    body);
  async function reload(): Promise<void> {
    try {
      const { items } = itemsOf<Row>(await ctx.api.get('/api/calls/recent'));
      replace(body, dataTable(callColumns(), items, {
        testid: 'recent-calls',
        empty: 'No calls yet.',
        rowAttrs: (r) => ({ 'data-call-sid': text(r, 'callSid') }),
      }));
    } catch (error) {
      replace(body, notice('error', errorMessage(error)));
    }
  }
  refresh.addEventListener('click', () => void reload());
  void reload();
  return { el, reload };
}
