import { itemsOf, withQuery } from '../api/client';
import { errorMessage } from '../api/problems';
import { hasRole, type PermissionGroup, type Person, type Team } from '../api/types';
import type { AppContext, Page } from '../app/context';
import { field, h, notice, replace } from '../app/dom';
import { href } from '../app/router';
import { addPersonForm } from './addPersonForm';
import { peopleTable } from './peopleTable';
import { teamForm } from './teamEditor';

async function groupsOf(ctx: AppContext): Promise<PermissionGroup[]> {
  try {
    return itemsOf<PermissionGroup>(await ctx.api.get('/api/admin/permission-groups?pageSize=200')).items;
  } catch {
    return [];
  }
}

/** Teams tab: the teams this manager manages (all of them for an admin), with a PEOPLE link; admins also create, edit and delete teams. */
export const teamsPage: Page = async (ctx) => {
  const isAdmin = hasRole(ctx.me(), 'Admin');
  const status = h('div', { 'aria-live': 'polite', testid: 'teams-status' });
  const editor = h('div', {});
  const list = h('div', {});

  async function load(): Promise<void> {
    const { items } = itemsOf<Team>(await ctx.api.get('/api/admin/teams?pageSize=200'));
    replace(list, items.length === 0
      ? h('p', { class: 'empty' }, isAdmin ? 'No teams yet.' : 'You don\u2019t manage any teams yet.')
      : h('ul', { class: 'link-list', testid: 'teams-list' }, ...items.map((t) =>
        h('li', {}, h('a', { href: href('/manage/teams/:teamId', { teamId: t.id }), testid: `team-${t.id}` }, t.name),
          isAdmin ? h('span', { class: 'row-actions' },
            ' ',
            h('button', { type: 'button', class: 'btn', testid: `edit-team-${t.id}`, 'aria-label': `Edit ${t.name}`, onclick: () => replace(editor, teamForm(ctx, t, t.version ?? null, done)) }, 'Edit'),
            ' ',
            h('button', { type: 'button', class: 'btn btn-danger', testid: `delete-team-${t.id}`, 'aria-label': `Delete ${t.name}`, onclick: () => void remove(t) }, 'Delete')) : null))));
  }

  async function remove(team: Team): Promise<void> {
    if (!confirm(`Delete the team \u201c${team.name}\u201d?`)) return;
    try {
      await ctx.api.delete(`/api/admin/teams/${encodeURIComponent(team.id)}`, { ifMatch: team.version ?? null });
      replace(status, notice('success', `Deleted \u201c${team.name}\u201d.`));
      await load();
    } catch (error) {
      // e.g. 409 team-has-members: the server's detail names how many people to move first.
      replace(status, notice('error', errorMessage(error), 'team-delete-error'));
    }
  }

  async function done(message: string): Promise<void> {
    replace(editor);
    replace(status, notice('success', message, 'team-saved'));
    try {
      await load();
    } catch (error) {
      replace(status, notice('error', errorMessage(error)));
    }
  }

  await load();
  const create = isAdmin
    ? h('button', { type: 'button', class: 'btn btn-primary', testid: 'create-team', onclick: () => replace(editor, teamForm(ctx, null, null, done)) }, 'New team')
    : null;
  return h('div', { class: 'page' },
    h('h1', {}, 'Teams'),
    h('p', {}, h('a', { href: '#/manage/people', class: 'btn', testid: 'people-link' }, 'PEOPLE'), create ? ' ' : null, create),
    status, editor, list);
};

/** One team: its people, each with the ⋮ → Edit menu. */
export const teamPage: Page = async (ctx, { params }) => {
  const teamId = params.teamId;
  const body = h('div', {});
  const groups = await groupsOf(ctx);
  let teamName = teamId;
  try {
    const teams = itemsOf<Team>(await ctx.api.get('/api/admin/teams?pageSize=200')).items;
    teamName = teams.find((t) => t.id === teamId)?.name ?? teamId;
  } catch {
    // The name is cosmetic; the people list below reports real errors.
  }
  async function load(): Promise<void> {
    try {
      const { items } = itemsOf<Person>(await ctx.api.get(`/api/admin/teams/${encodeURIComponent(teamId)}/people?pageSize=200`));
      replace(body, peopleTable(ctx, items, groups, () => void load(), 'team-people'));
    } catch (error) {
      replace(body, notice('error', errorMessage(error)));
    }
  }
  await load();
  return h('div', { class: 'page' },
    h('p', {}, h('a', { href: '#/manage/teams' }, '\u2190 Teams')),
    h('h1', { testid: 'team-name' }, teamName),
    body);
};

/** People: search the people this manager can edit; the same Edit dialog as Teams. */
export const peoplePage: Page = async (ctx, { query }) => {
  const groups = await groupsOf(ctx);
  const search = h('input', { type: 'search', value: query.get('search') ?? '', testid: 'people-search', placeholder: 'Name or email' });
  const body = h('div', { 'aria-live': 'polite' });
  const more = h('div', {});
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function load(token: string | null = null): Promise<void> {
    const term = search.value.trim();
    try {
      const data = await ctx.api.get(withQuery('/api/admin/people', { search: term, pageSize: '50', continuationToken: token }));
      const { items, continuationToken } = itemsOf<Person>(data);
      const table = peopleTable(ctx, items, groups, () => void load(), 'people-table');
      if (token) body.append(table);
      else replace(body, table);
      replace(more, continuationToken
        ? h('button', { type: 'button', class: 'btn', onclick: () => void load(continuationToken) }, 'Load more')
        : null);
    } catch (error) {
      replace(body, notice('error', errorMessage(error)));
    }
  }
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void load(), 250);
  });
  ctx.onLeave(() => clearTimeout(timer));
  await load();
  return h('div', { class: 'page' },
    h('p', {}, h('a', { href: '#/manage/teams' }, '\u2190 Teams')),
    h('h1', {}, 'People'),
    h('form', { role: 'search', onsubmit: (e: Event) => { e.preventDefault(); void load(); } }, field('Search people', search)),
    body, more,
    hasRole(ctx.me(), 'Admin') ? addPersonForm(ctx, groups, () => void load()) : null);
};
