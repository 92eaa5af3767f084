import { errorMessage } from '../api/problems';
import type { Team } from '../api/types';
import type { AppContext } from '../app/context';
import { field, h, notice, replace } from '../app/dom';

/** The user ids typed into the managers box (comma, space or newline separated), without blanks or repeats. */
export function parseManagerIds(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((id) => id.trim()).filter((id) => id.length > 0))];
}

/**
 * An admin's form to create a team or rename it and set its managers. Edits send the team's version as If-Match,
 * so a concurrent edit is refused (412) rather than overwritten.
 */
export function teamForm(ctx: AppContext, team: Team | null, etag: string | null, done: (message: string) => Promise<void>): HTMLElement {
  const name = h('input', { type: 'text', value: team?.name ?? '', required: true, maxlength: 100, testid: 'team-name-input' });
  const managers = h('input', { type: 'text', value: (team?.managerUserIds ?? []).join(', '), testid: 'team-managers-input' });
  const status = h('div', { 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'save-team' }, 'SAVE');
  const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
  const form = h('form', { class: 'card', testid: 'team-form', 'aria-labelledby': 'team-form-title' },
    h('h2', { id: 'team-form-title' }, team ? `Edit \u201c${team.name}\u201d` : 'New team'),
    field('Name', name),
    field('Managers', managers, 'User ids of the people who manage this team, separated by commas.'),
    h('div', { class: 'actions' }, save, cancel), status);
  cancel.addEventListener('click', () => form.remove());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    save.disabled = true;
    const body = { name: name.value.trim(), managerUserIds: parseManagerIds(managers.value) };
    try {
      if (team) {
        await ctx.api.put(`/api/admin/teams/${encodeURIComponent(team.id)}`, body, { ifMatch: etag });
        await done(`Saved \u201c${body.name}\u201d.`);
      } else {
        await ctx.api.post('/api/admin/teams', body);
        await done(`Created \u201c${body.name}\u201d.`);
      }
    } catch (error) {
      save.disabled = false;
      replace(status, notice('error', errorMessage(error), 'team-error'));
    }
  });
  setTimeout(() => name.focus());
  return form;
}
