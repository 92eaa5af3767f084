import { itemsOf, withQuery } from '../api/client';
import { errorMessage } from '../api/problems';
import type { PermissionGroup, Person, Team } from '../api/types';
import type { AppContext, Page } from '../app/context';
import { field, h, notice, replace } from '../app/dom';
import { href } from '../app/router';
import { peopleTable } from './peopleTable';

async function groupsOf(ctx: AppContext): Promise<PermissionGroup[]> {
  try {
    return itemsOf<PermissionGroup>(await ctx.api.get('/api/admin/permission-groups?pageSize=200')).items;
  } catch {
    return [];
  }
}

/** Teams tab: the teams this manager manages (all of them for an admin), with a PEOPLE link. */
export const teamsPage: Page = async (ctx) => {
  const { items } = itemsOf<Team>(await ctx.api.get('/api/admin/teams?pageSize=200'));
  return h('div', { class: 'page' },
    h('h1', {}, 'Teams'),
    h('p', {}, h('a', { href: '#/manage/people', class: 'btn', testid: 'people-link' }, 'PEOPLE')),
    items.length === 0
      ? h('p', { class: 'empty' }, 'You don\u2019t manage any teams yet.')
      : h('ul', { class: 'link-list', testid: 'teams-list' }, ...items.map((t) =>
        h('li', {}, h('a', { href: href('/manage/teams/:teamId', { teamId: t.id }), testid: `team-${t.id}` }, t.name)))));
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
    body, more);
};
