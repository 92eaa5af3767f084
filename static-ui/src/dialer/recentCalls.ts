import { itemsOf } from '../api/client';
import { errorMessage } from '../api/problems';
import { dispositions, methodLabel } from '../api/types';
import type { AppContext } from '../app/context';
import { formatDateTime, formatDuration, h, notice, replace } from '../app/dom';
import { dataTable, text } from '../app/table';
import { describeOutcome, type Outcome } from './callMachine';
import { formatE164 } from './phoneNumber';
import { recordingCell, type RecordingAccess } from './recordingPlayer';

type Row = Record<string, unknown>;

const dispositionLabel = new Map<string, string>(dispositions);

const statusLabel: Record<string, string> = {
  queued: 'Starting', initiated: 'Starting', ringing: 'Ringing', 'in-progress': 'In progress', completed: 'Ended',
};

const serverEndLabel: Record<string, string> = {
  'call-too-long': 'ended by the server: longer than the org allows',
  'rep-gone': 'ended by the server: no rep on the line',
};

/** An activity's outcome (connected, busy, no-answer, failed, canceled) once known, else where the call is now. */
export function outcomeCell(r: Row): string {
  const outcome = text(r, 'outcome');
  const serverEnd = text(r, 'serverEndReason');
  const endedBy = serverEnd ? ` \u00b7 ${serverEndLabel[serverEnd] ?? 'ended by the server'}` : '';
  if (outcome) return (describeOutcome(outcome as Outcome) ?? outcome) + endedBy;
  const status = text(r, 'status');
  return statusLabel[status] ?? status;
}

/** Columns of an activity list (GET /api/calls/recent, /api/admin/calls); with `access`, recordings can be played. */
export function callColumns(access?: RecordingAccess) {
  return [
    { label: 'When', cell: (r: Row) => formatDateTime(r.initiatedAt ?? r.answeredAt ?? r.endedAt) },
    { label: 'Number', cell: (r: Row) => formatE164(text(r, 'prospectNumber')) },
    { label: 'Method', cell: (r: Row) => methodLabel(text(r, 'method')) },
    { label: 'Outcome', cell: outcomeCell },
    { label: 'Duration', cell: (r: Row) => (typeof r.durationSeconds === 'number' ? formatDuration(r.durationSeconds) : '') },
    { label: 'Recording', cell: (r: Row) => recordingCell(access, r) },
    { label: 'Disposition', cell: (r: Row) => dispositionLabel.get(text(r, 'disposition')) ?? text(r, 'disposition') },
    { label: 'Notes', cell: (r: Row) => text(r, 'notes'), className: 'notes-cell' },
  ];
}

const maxFollowUps = 5;
const followUpDelayMs = 2000;

/** The rep's recent calls; `reload()` re-reads them (after a call ends or a disposition is saved). */
export function recentCalls(ctx: AppContext): { el: HTMLElement; reload: () => Promise<void> } {
  const body = h('div', {}, h('p', { role: 'status' }, 'Loading\u2026'));
  const refresh = h('button', { type: 'button', class: 'btn btn-quiet', testid: 'refresh-recent-calls' }, 'Refresh');
  const el = h('section', { class: 'card', 'aria-labelledby': 'recent-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'recent-title' }, 'Recent calls'), refresh),
    body);
  // A call that just ended is logged from Twilio's callbacks a moment later: look again while one has no outcome.
  let followUp: ReturnType<typeof setTimeout> | undefined;
  let followUps = 0;
  ctx.onLeave(() => clearTimeout(followUp));
  async function reload(fromFollowUp = false): Promise<void> {
    clearTimeout(followUp);
    if (!fromFollowUp) followUps = 0;
    try {
      const { items } = itemsOf<Row>(await ctx.api.get('/api/calls/recent'));
      if (items.some((r) => !text(r, 'outcome')) && followUps < maxFollowUps) {
        followUps += 1;
        followUp = setTimeout(() => void reload(true), followUpDelayMs);
      }
      replace(body, dataTable(callColumns(ctx), items, {
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
  return { el, reload: () => reload() };
}
