import { itemsOf } from '../api/client';
import { errorMessage } from '../api/problems';
import { methodLabel, type PermissionGroup, type Person, type PersonWarning, type Team } from '../api/types';
import type { AppContext } from '../app/context';
import { field, h, notice, replace } from '../app/dom';
import { checkNumber } from '../dialer/phoneNumber';

/**
 * The Edit dialog for a person, shared by Teams and People: Calling Preference → Change → select → SAVE,
 * plus permission group and agent phone. Saves with If-Match from the GET's ETag and shows the server's
 * warnings (e.g. the person can't call with the new preference until granted).
 */
export async function openPersonEditor(ctx: AppContext, userId: string, onSaved: () => void): Promise<void> {
  const [{ data: person, etag }, groupsRaw, teamsRaw] = await Promise.all([
    ctx.api.send<Person>('GET', `/api/admin/people/${encodeURIComponent(userId)}`),
    ctx.api.get('/api/admin/permission-groups?pageSize=200').catch(() => []),
    ctx.api.get('/api/admin/teams?pageSize=200').catch(() => []),
  ]);
  const groups = itemsOf<PermissionGroup>(groupsRaw).items;
  const teams = itemsOf<Team>(teamsRaw).items;
  const version = etag ?? person.version ?? null;

  const dialog = h('dialog', { class: 'dialog', testid: 'person-editor', 'aria-labelledby': 'person-editor-title' });
  const status = h('div', { 'aria-live': 'polite', testid: 'person-editor-status' });

  // Calling Preference: shown, then Change reveals the choice.
  const prefValue = h('span', { testid: 'person-preference' }, methodLabel(person.callingPreference));
  const prefSelect = h('select', { testid: 'person-preference-select' },
    ...(['computer', 'phone'] as const).map((m) => h('option', { value: m, selected: m === person.callingPreference }, methodLabel(m))));
  const prefField = field('New calling preference', prefSelect);
  prefField.hidden = true;
  const change = h('button', { type: 'button', class: 'btn', testid: 'change-preference' }, 'Change');
  change.addEventListener('click', () => {
    prefField.hidden = false;
    change.hidden = true;
    prefSelect.focus();
  });

  const groupSelect = h('select', { testid: 'person-group-select' },
    h('option', { value: '', selected: !person.permissionGroupId }, 'No permission group'),
    ...groups.map((g) => h('option', { value: g.id, selected: g.id === person.permissionGroupId },
      `${g.name} (${[g.allowComputer && 'computer', g.allowPhone && 'phone'].filter(Boolean).join(' + ') || 'no calling'})`)));
  // Moving a person to another team: a manager sees only the teams they manage, an admin every team.
  const teamSelect = h('select', { testid: 'person-team-select' },
    h('option', { value: '', selected: !person.teamId }, 'No team'),
    ...teams.map((t) => h('option', { value: t.id, selected: t.id === person.teamId }, t.name)),
    ...(person.teamId && !teams.some((t) => t.id === person.teamId) ? [h('option', { value: person.teamId, selected: true }, person.teamId)] : []));
  const agentPhone = h('input', { type: 'tel', value: person.agentPhoneNumber ?? '', testid: 'person-agent-phone', maxlength: 32 });

  const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'save-person' }, 'SAVE');
  const close = h('button', { type: 'button', class: 'btn', testid: 'close-person-editor' }, 'Close');
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());

  const form = h('form', { method: 'dialog' },
    h('h2', { id: 'person-editor-title' }, `Edit ${person.displayName}`),
    h('section', { class: 'dialog-section', 'aria-labelledby': 'cp-title' },
      h('h3', { id: 'cp-title' }, 'Calling Preference'),
      h('p', {}, prefValue, ' ', change),
      prefField),
    h('section', { class: 'dialog-section' }, h('h3', {}, 'Permissions'), field('Permission group', groupSelect), field('Team', teamSelect)),
    h('section', { class: 'dialog-section' }, h('h3', {}, 'Phone'), field('Agent phone number', agentPhone, 'The phone that rings first for phone-based calls.')),
    status,
    h('div', { class: 'actions' }, save, close));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const patch: Record<string, string> = {};
    if (!prefField.hidden && prefSelect.value !== person.callingPreference) patch.callingPreference = prefSelect.value;
    if (groupSelect.value !== (person.permissionGroupId ?? '')) patch.permissionGroupId = groupSelect.value;
    if (teamSelect.value !== (person.teamId ?? '')) patch.teamId = teamSelect.value;
    const phoneText = agentPhone.value.trim();
    if (phoneText !== (person.agentPhoneNumber ?? '')) {
      const check = checkNumber(phoneText);
      if (!check.valid && !check.empty) {
        replace(status, notice('error', `Agent phone number: ${check.reason}`));
        return;
      }
      patch.agentPhoneNumber = check.valid ? check.e164 : '';
    }
    if (Object.keys(patch).length === 0) {
      replace(status, notice('info', 'Nothing changed.'));
      return;
    }
    save.disabled = true;
    try {
      const result = await ctx.api.patch<{ person?: Person; warnings?: PersonWarning[] }>(`/api/admin/people/${encodeURIComponent(userId)}`, patch, { ifMatch: version });
      const warnings = result?.warnings ?? [];
      onSaved();
      if (warnings.length === 0) {
        ctx.toast('success', `Saved ${person.displayName}.`);
        dialog.close();
        return;
      }
      // Saved, but the person can't call this way yet: keep the dialog open so the manager reads why.
      replace(form, h('h2', {}, `Saved ${person.displayName}`),
        ...warnings.map((w) => notice('warning', w.detail, 'person-warning')),
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn btn-primary', onclick: () => dialog.close() }, 'OK')));
    } catch (error) {
      save.disabled = false;
      replace(status, notice('error', errorMessage(error), 'person-editor-error'));
    }
  });

  dialog.append(form);
  document.body.append(dialog);
  dialog.showModal();
}

/** A person's row menu: the vertical ellipsis with Edit. */
export function personMenu(ctx: AppContext, person: Person, onSaved: () => void): HTMLElement {
  const menuId = `menu-${person.userId}`;
  const button = h('button', { type: 'button', class: 'btn btn-quiet kebab', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': menuId, 'aria-label': `Actions for ${person.displayName}`, testid: `person-menu-${person.userId}` }, '\u22ee');
  const edit = h('button', { type: 'button', role: 'menuitem', class: 'menu-item', testid: `person-edit-${person.userId}` }, 'Edit');
  const menu = h('div', { class: 'menu', role: 'menu', id: menuId, hidden: true }, edit);
  const wrap = h('div', { class: 'menu-wrap' }, button, menu);
  const setOpen = (open: boolean) => {
    menu.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) edit.focus();
  };
  button.addEventListener('click', () => setOpen(menu.hidden));
  menu.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      setOpen(false);
      button.focus();
    }
  });
  wrap.addEventListener('focusout', (e) => {
    if (!wrap.contains(e.relatedTarget as Node | null)) setOpen(false);
  });
  edit.addEventListener('click', () => {
    setOpen(false);
    openPersonEditor(ctx, person.userId, onSaved).catch((error) => ctx.toast('error', errorMessage(error)));
  });
  return wrap;
}
