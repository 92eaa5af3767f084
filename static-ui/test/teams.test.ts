import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../src/api/client';
import { normaliseMe, type Me } from '../src/api/types';
import type { AppContext } from '../src/app/context';
import { parseConfig } from '../src/app/config';
import type { CallSession } from '../src/calling/callSession';
import { openPersonEditor } from '../src/manage/personEditor';
import { parseManagerIds } from '../src/manage/teamEditor';
import { teamsPage } from '../src/manage/teamsPages';
import { fakeFetch, meBody, type FakeRoute } from './fixtures';

function context(routes: FakeRoute[], profile: Me) {
  const fake = fakeFetch(routes);
  const api = new ApiClient('', { getToken: async () => 'bearer' }, () => {}, fake.fetchFn);
  const ctx: AppContext = {
    config: parseConfig({}),
    api,
    auth: { mode: 'dev', getToken: async () => 'bearer', isSignedIn: async () => true, signOut: async () => {}, forgetToken: () => {} },
    calls: {} as CallSession,
    me: () => profile,
    refreshMe: async () => profile,
    setMe: () => {},
    onLeave: () => {},
    toast: () => {},
  };
  return { ctx, requests: fake.requests };
}

const byTestId = (root: ParentNode, id: string) => root.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
const admin = normaliseMe(meBody({ roles: ['Admin'] }));
const manager = normaliseMe(meBody({ roles: ['Manager'] }));
const east = { id: 'east', name: 'East', managerUserIds: ['manager'], version: 'W/"1"' };
const args = { params: {}, query: new URLSearchParams() };

afterEach(() => {
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

describe('parseManagerIds', () => {
  it('splits on commas and spaces and drops blanks and repeats', () => {
    expect(parseManagerIds(' manager, boss-1 ,,manager\nboss-2 ')).toEqual(['manager', 'boss-1', 'boss-2']);
  });

  it('reads an empty box as no managers', () => {
    expect(parseManagerIds('   ')).toEqual([]);
  });
});

describe('teamsPage', () => {
  it('shows no team controls to a manager', async () => {
    const { ctx } = context([{ method: 'GET', path: '/api/admin/teams?pageSize=200', respond: () => ({ body: { items: [east] } }) }], manager);

    const page = await teamsPage(ctx, args) as HTMLElement;

    expect(byTestId(page, 'team-east')).not.toBeNull();
    expect(byTestId(page, 'create-team')).toBeNull();
    expect(byTestId(page, 'edit-team-east')).toBeNull();
    expect(byTestId(page, 'delete-team-east')).toBeNull();
  });

  it('lets an admin create a team with managers', async () => {
    const { ctx, requests } = context([
      { method: 'GET', path: '/api/admin/teams?pageSize=200', respond: () => ({ body: { items: [east] } }) },
      { method: 'POST', path: '/api/admin/teams', respond: (body) => ({ status: 201, body: { id: 'n1', ...(body as object) } }) },
    ], admin);
    const page = await teamsPage(ctx, args) as HTMLElement;
    document.body.append(page);

    byTestId(page, 'create-team')!.click();
    (byTestId(page, 'team-name-input') as HTMLInputElement).value = ' North ';
    (byTestId(page, 'team-managers-input') as HTMLInputElement).value = 'manager, boss-1';
    (byTestId(page, 'team-form') as HTMLFormElement).requestSubmit();

    await vi.waitFor(() => expect(byTestId(page, 'team-saved')).not.toBeNull());
    expect(requests.find((r) => r.method === 'POST')!.body).toEqual({ name: 'North', managerUserIds: ['manager', 'boss-1'] });
    expect(byTestId(page, 'team-saved')!.textContent).toContain('Created \u201cNorth\u201d');
  });

  it('renames a team with the version it listed as If-Match', async () => {
    const { ctx, requests } = context([
      { method: 'GET', path: '/api/admin/teams?pageSize=200', respond: () => ({ body: { items: [east] } }) },
      { method: 'PUT', path: '/api/admin/teams/east', respond: (body) => ({ body: { ...east, ...(body as object), version: 'W/"2"' } }) },
    ], admin);
    const page = await teamsPage(ctx, args) as HTMLElement;
    document.body.append(page);

    byTestId(page, 'edit-team-east')!.click();
    expect((byTestId(page, 'team-managers-input') as HTMLInputElement).value).toBe('manager');
    (byTestId(page, 'team-name-input') as HTMLInputElement).value = 'East Coast';
    (byTestId(page, 'team-form') as HTMLFormElement).requestSubmit();

    await vi.waitFor(() => expect(byTestId(page, 'team-saved')).not.toBeNull());
    const put = requests.find((r) => r.method === 'PUT')!;
    expect(put.body).toEqual({ name: 'East Coast', managerUserIds: ['manager'] });
    expect(put.headers['If-Match']).toBe('W/"1"');
  });

  it('shows the refusal when a team still has members', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const { ctx } = context([
      { method: 'GET', path: '/api/admin/teams?pageSize=200', respond: () => ({ body: { items: [east] } }) },
      {
        method: 'DELETE', path: '/api/admin/teams/east',
        respond: () => ({ status: 409, body: { code: 'team-has-members', detail: 'Team \'East\' has 3 members. Move them to another team first.', memberCount: 3 } }),
      },
    ], admin);
    const page = await teamsPage(ctx, args) as HTMLElement;
    document.body.append(page);

    byTestId(page, 'delete-team-east')!.click();

    await vi.waitFor(() => expect(byTestId(page, 'team-delete-error')).not.toBeNull());
    expect(byTestId(page, 'team-delete-error')!.textContent).toContain('has 3 members');
    expect(byTestId(page, 'team-east')).not.toBeNull();
  });
});

describe('person editor', () => {
  it('moves a person to another team with the version it read as If-Match', async () => {
    HTMLDialogElement.prototype.showModal ??= function showModal(this: HTMLDialogElement) { this.open = true; };
    HTMLDialogElement.prototype.close ??= function close(this: HTMLDialogElement) { this.open = false; this.dispatchEvent(new Event('close')); };
    const person = { userId: 'rep-1', displayName: 'Rita Rep', teamId: 'east', permissionGroupId: null, callingPreference: 'phone', version: 'W/"p1"' };
    const { ctx, requests } = context([
      { method: 'GET', path: '/api/admin/people/rep-1', respond: () => ({ body: person, headers: { ETag: 'W/"p1"' } }) },
      { method: 'GET', path: '/api/admin/permission-groups?pageSize=200', respond: () => ({ body: { items: [] } }) },
      { method: 'GET', path: '/api/admin/teams?pageSize=200', respond: () => ({ body: { items: [east, { id: 'west', name: 'West' }] } }) },
      { method: 'PATCH', path: '/api/admin/people/rep-1', respond: (body) => ({ body: { person: { ...person, ...(body as object) }, warnings: [] } }) },
    ], admin);
    const saved = vi.fn();

    await openPersonEditor(ctx, 'rep-1', saved);
    const select = byTestId(document.body, 'person-team-select') as HTMLSelectElement;
    expect(select.value).toBe('east');
    select.value = 'west';
    (byTestId(document.body, 'save-person') as HTMLButtonElement).closest('form')!.requestSubmit();

    await vi.waitFor(() => expect(saved).toHaveBeenCalled());
    const patch = requests.find((r) => r.method === 'PATCH')!;
    expect(patch.body).toEqual({ teamId: 'west' });
    expect(patch.headers['If-Match']).toBe('W/"p1"');
  });
});
