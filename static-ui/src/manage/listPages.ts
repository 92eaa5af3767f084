import { itemsOf, withQuery } from '../api/client';
import { errorMessage } from '../api/problems';
import { feedbackIssues } from '../api/types';
import type { AppContext, Page } from '../app/context';
import { formatDateTime, h, notice, replace } from '../app/dom';
import { dataTable, text, type Column } from '../app/table';
import { callColumns } from '../dialer/recentCalls';

type Row = Record<string, unknown>;

const issueLabel = new Map<string, string>(feedbackIssues);

/** A read-only, paged list page over one GET endpoint. */
function listPage(title: string, path: string, columnsOf: Column<Row>[] | ((ctx: AppContext) => Column<Row>[]), testid: string, intro?: string): Page {
  return async (ctx: AppContext) => {
    const columns = typeof columnsOf === 'function' ? columnsOf(ctx) : columnsOf;
    const body = h('div', {});
    const more = h('div', {});
    async function load(token: string | null): Promise<void> {
      try {
        const { items, continuationToken } = itemsOf<Row>(await ctx.api.get(withQuery(path, { continuationToken: token })));
        const table = dataTable(columns, items, { testid, empty: 'Nothing recorded yet.' });
        if (token) body.append(table);
        else replace(body, table);
        replace(more, continuationToken ? h('button', { type: 'button', class: 'btn', onclick: () => void load(continuationToken) }, 'Load more') : null);
      } catch (error) {
        replace(body, notice('error', errorMessage(error)));
      }
    }
    await load(null);
    return h('div', { class: 'page' },
      h('div', { class: 'card-head' }, h('h1', {}, title), h('button', { type: 'button', class: 'btn btn-quiet', onclick: () => void load(null) }, 'Refresh')),
      intro ? h('p', {}, intro) : null,
      body, more);
  };
}

function details(summary: string, json: unknown): Node | string {
  if (json === null || json === undefined || json === '') return '';
  let pretty = String(json);
  try {
    pretty = JSON.stringify(typeof json === 'string' ? JSON.parse(json) : json, null, 2);
  } catch {
    // Not JSON: show as it is.
  }
  return h('details', {}, h('summary', {}, summary), h('pre', {}, pretty));
}

/** Every change is recorded before it is made; the outcome says whether it then happened. */
export function auditOutcome(row: Record<string, unknown>): string {
  const state = typeof row.state === 'string' ? row.state : 'applied';
  if (state === 'applied') return 'Applied';
  if (state === 'not-applied') return typeof row.outcome === 'string' && row.outcome ? `Not applied (${row.outcome})` : 'Not applied';
  return 'Pending (outcome unknown)';
}

export const auditPage = listPage('Audit log', '/api/admin/audit', [
  { label: 'When', cell: (r) => formatDateTime(r.at) },
  { label: 'Who', cell: (r) => text(r, 'actorDisplayName', 'actorUserId') },
  { label: 'Action', cell: (r) => text(r, 'action') },
  { label: 'Target', cell: (r) => `${text(r, 'targetType')} ${text(r, 'targetId')}`.trim() },
  { label: 'Outcome', cell: (r) => auditOutcome(r) },
  { label: 'Before', cell: (r) => details('Before', r.before) },
  { label: 'After', cell: (r) => details('After', r.after) },
], 'audit-table', 'Every change to groups, people and org settings: who made it, what changed, and whether it was applied.');

export const callsPage = listPage('Calls', '/api/admin/calls', (ctx) => [
  { label: 'Rep', cell: (r) => text(r, 'userId') },
  ...callColumns(ctx),
], 'admin-calls-table');

export const qualityReportsPage = listPage('Quality reports', '/api/admin/quality-reports', [
  { label: 'When', cell: (r) => formatDateTime(r.at) },
  { label: 'Rep', cell: (r) => text(r, 'reporterDisplayName', 'reporterUserId') },
  { label: 'Call', cell: (r) => text(r, 'callSid') },
  { label: 'Score', cell: (r) => text(r, 'score') },
  { label: 'Issues', cell: (r) => (Array.isArray(r.issues) ? r.issues.map((i) => issueLabel.get(String(i)) ?? String(i)).join(', ') : '') },
  { label: 'Comment', cell: (r) => text(r, 'comment') },
  { label: 'Samples', cell: (r) => (Array.isArray(r.samples) && r.samples.length ? details(`${r.samples.length} sample${r.samples.length === 1 ? '' : 's'}`, r.samples) : '') },
], 'quality-reports-table', 'Reports reps sent with \u201cReport a call-quality issue\u201d, with the network figures from the end of the call.');
