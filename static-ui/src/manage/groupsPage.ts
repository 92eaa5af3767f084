import { itemsOf } from '../api/client';
import { errorMessage } from '../api/problems';
import type { PermissionGroup } from '../api/types';
import type { AppContext, Page } from '../app/context';
import { field, h, notice, replace } from '../app/dom';
import { dataTable } from '../app/table';

/** Permission groups: list, create, edit Phone Settings, Save; delete shows the server's refusal. */
export const groupsPage: Page = async (ctx) => {
  const status = h('div', { 'aria-live': 'polite', testid: 'groups-status' });
  const list = h('div', {});
  const editor = h('div', {});
  const create = h('button', { type: 'button', class: 'btn btn-primary', testid: 'create-group' }, 'New permission group');
  create.addEventListener('click', () => replace(editor, groupForm(ctx, null, null, done)));

  async function load(): Promise<void> {
    const { items } = itemsOf<PermissionGroup>(await ctx.api.get('/api/admin/permission-groups?pageSize=200'));
    replace(list, dataTable([
      { label: 'Name', cell: (g) => g.name },
      { label: 'Computer-based calling', cell: (g) => (g.allowComputer ? 'Allowed' : '\u2014') },
      { label: 'Phone-based calling', cell: (g) => (g.allowPhone ? 'Allowed' : '\u2014') },
      { label: 'Actions', cell: (g) => h('div', { class: 'row-actions' },
        h('button', { type: 'button', class: 'btn', testid: `edit-group-${g.id}`, 'aria-label': `Edit ${g.name}`, onclick: () => void edit(g) }, 'Edit'),
        h('button', { type: 'button', class: 'btn btn-danger', testid: `delete-group-${g.id}`, 'aria-label': `Delete ${g.name}`, onclick: () => void remove(g) }, 'Delete')) },
    ], items, { testid: 'groups-table', empty: 'No permission groups yet.', rowAttrs: (g) => ({ 'data-group-id': g.id }) }));
  }

  async function edit(group: PermissionGroup): Promise<void> {
    try {
      // The form keeps this version and sends it back as If-Match, so a concurrent edit isn't overwritten.
      const { data, etag } = await ctx.api.send<PermissionGroup>('GET', `/api/admin/permission-groups/${encodeURIComponent(group.id)}`);
      replace(editor, groupForm(ctx, data, etag ?? data.version ?? null, done));
    } catch (error) {
      replace(status, notice('error', errorMessage(error)));
    }
  }

  async function remove(group: PermissionGroup): Promise<void> {
    if (!confirm(`Delete the permission group \u201c${group.name}\u201d?`)) return;
    try {
      const { etag } = await ctx.api.send('GET', `/api/admin/permission-groups/${encodeURIComponent(group.id)}`);
      await ctx.api.delete(`/api/admin/permission-groups/${encodeURIComponent(group.id)}`, { ifMatch: etag ?? group.version });
      replace(status, notice('success', `Deleted \u201c${group.name}\u201d.`));
      await load();
    } catch (error) {
      replace(status, notice('error', errorMessage(error), 'group-delete-error'));
    }
  }

  async function done(message: string): Promise<void> {
    replace(editor);
    replace(status, notice('success', message, 'group-saved'));
    try {
      await load();
    } catch (error) {
      replace(status, notice('error', errorMessage(error)));
    }
  }

  await load();
  return h('div', { class: 'page' },
    h('h1', {}, 'Permission groups'),
    h('p', {}, 'A group\u2019s Phone Settings say which calling preferences its users may choose. Turn on both to let users switch between them.'),
    status, h('div', { class: 'actions' }, create), editor, list);
};

function groupForm(ctx: AppContext, group: PermissionGroup | null, etag: string | null, done: (message: string) => Promise<void>): HTMLElement {
  const name = h('input', { type: 'text', value: group?.name ?? '', required: true, maxlength: 100, testid: 'group-name' });
  const computer = h('input', { type: 'checkbox', checked: group?.allowComputer ?? false, testid: 'group-allow-computer' });
  const phone = h('input', { type: 'checkbox', checked: group?.allowPhone ?? false, testid: 'group-allow-phone' });
  const status = h('div', { 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'save-group' }, 'SAVE');
  const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
  const form = h('form', { class: 'card', testid: 'group-form', 'aria-labelledby': 'group-form-title' },
    h('h2', { id: 'group-form-title' }, group ? `Edit \u201c${group.name}\u201d` : 'New permission group'),
    field('Name', name),
    h('fieldset', {}, h('legend', {}, 'Phone Settings: calling preferences users may select'),
      h('label', { class: 'check' }, computer, ' Computer-based calling'),
      h('label', { class: 'check' }, phone, ' Phone-based calling')),
    h('div', { class: 'actions' }, save, cancel), status);
  cancel.addEventListener('click', () => form.remove());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    save.disabled = true;
    const body = { name: name.value.trim(), allowComputer: computer.checked, allowPhone: phone.checked };
    try {
      if (group) {
        await ctx.api.put(`/api/admin/permission-groups/${encodeURIComponent(group.id)}`, body, { ifMatch: etag });
        await done(`Saved \u201c${body.name}\u201d.`);
      } else {
        await ctx.api.post('/api/admin/permission-groups', body);
        await done(`Created \u201c${body.name}\u201d.`);
      }
    } catch (error) {
      save.disabled = false;
      replace(status, notice('error', errorMessage(error), 'group-error'));
    }
  });
  setTimeout(() => name.focus());
  return form;
}
