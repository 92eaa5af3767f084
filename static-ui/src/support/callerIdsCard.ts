import { itemsOf } from '../api/client';
import { errorMessage } from '../api/problems';
import type { Page } from '../app/context';
import { field, h, notice, replace } from '../app/dom';

interface CallerIdAssignment {
  phoneNumber: string;
  orgId: string;
  assignedAt?: string;
}

/** Support: the caller IDs an org holds. A number belongs to one org; only the Twilio account's own or verified numbers can be assigned. */
export function callerIdsCard(ctx: Parameters<Page>[0]): HTMLElement {
  const orgId = h('input', { type: 'text', testid: 'caller-ids-org', placeholder: 'acme-demo', autocomplete: 'off' });
  const number = h('input', { type: 'tel', testid: 'caller-id-number', placeholder: '+15551234567', autocomplete: 'off' });
  const show = h('button', { type: 'button', class: 'btn', testid: 'show-caller-ids' }, 'Show caller IDs');
  const assign = h('button', { type: 'button', class: 'btn btn-primary', testid: 'assign-caller-id' }, 'Assign number');
  const list = h('ul', { testid: 'caller-id-list' });
  const status = h('div', { 'aria-live': 'polite', testid: 'caller-ids-status' });
  const path = (org: string, phone?: string) =>
    `/api/support/orgs/${encodeURIComponent(org)}/caller-ids${phone ? `/${encodeURIComponent(phone)}` : ''}`;

  function org(): string | null {
    const id = orgId.value.trim();
    if (!id) {
      replace(status, notice('error', 'Enter the org id.'));
      orgId.focus();
      return null;
    }
    return id;
  }

  async function refresh(id: string): Promise<void> {
    const { items } = itemsOf<CallerIdAssignment>(await ctx.api.get(path(id)));
    replace(list, ...items.map((item) => {
      const release = h('button', { type: 'button', class: 'btn btn-danger', testid: 'release-caller-id' }, 'Release');
      release.addEventListener('click', () => void run(async () => {
        await ctx.api.delete(path(id, item.phoneNumber));
        await refresh(id);
        replace(status, notice('success', `${item.phoneNumber} is released from ${id}.`, 'caller-id-saved'));
      }));
      return h('li', {}, h('span', { testid: 'caller-id' }, item.phoneNumber), ' ', release);
    }));
    if (items.length === 0) replace(list, h('li', { class: 'hint' }, `${id} holds no caller IDs.`));
  }

  async function run(action: () => Promise<void>): Promise<void> {
    show.disabled = assign.disabled = true;
    try {
      await action();
    } catch (error) {
      replace(status, notice('error', errorMessage(error), 'caller-ids-error'));
    } finally {
      show.disabled = assign.disabled = false;
    }
  }

  show.addEventListener('click', () => {
    const id = org();
    if (id) void run(async () => { replace(status); await refresh(id); });
  });
  assign.addEventListener('click', () => {
    const id = org();
    const phone = number.value.trim();
    if (!id) return;
    if (!phone) {
      replace(status, notice('error', 'Enter the number to assign.'));
      number.focus();
      return;
    }
    void run(async () => {
      const assigned = await ctx.api.put<CallerIdAssignment>(path(id, phone), {});
      await refresh(id);
      replace(status, notice('success', `${assigned.phoneNumber} is now a caller ID of ${id}.`, 'caller-id-saved'));
    });
  });

  return h('section', { class: 'card', 'aria-labelledby': 'caller-ids-title' },
    h('h2', { id: 'caller-ids-title' }, 'Caller IDs of an org'),
    h('p', {}, 'An org\u2019s admins can only choose caller IDs assigned here. Each number belongs to one org at a time and must be owned by or verified on the Twilio account.'),
    field('Org id', orgId),
    field('Number', number, 'E.164, e.g. +15551234567.'),
    h('div', { class: 'actions' }, show, assign),
    list,
    status);
}
