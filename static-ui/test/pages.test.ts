import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../src/api/client';
import { normaliseMe, type Me, type PermissionGroup, type Person } from '../src/api/types';
import type { AppContext } from '../src/app/context';
import { parseConfig } from '../src/app/config';
import type { CallSession } from '../src/calling/callSession';
import { dispositionForm } from '../src/dialer/afterCall';
import { callColumns, outcomeCell, recentCalls } from '../src/dialer/recentCalls';
import { peopleTable } from '../src/manage/peopleTable';
import { phoneSettingsPage } from '../src/settings/phoneSettingsPage';
import { orgSettingsPage } from '../src/manage/orgSettingsPage';
import { addPersonForm } from '../src/manage/addPersonForm';
import { supportPage } from '../src/support/supportPage';
import { fakeFetch, meBody, type FakeRoute } from './fixtures';

function context(routes: FakeRoute[], profile: Me = normaliseMe(meBody())) {
  const fake = fakeFetch(routes);
  let current = profile;
  const api = new ApiClient('', { getToken: async () => 'bearer' }, () => {}, fake.fetchFn);
  const toasts: string[] = [];
  const ctx: AppContext = {
    config: parseConfig({}),
    api,
    auth: { mode: 'dev', getToken: async () => 'bearer', isSignedIn: async () => true, signOut: async () => {}, forgetToken: () => {} },
    calls: {} as CallSession,
    me: () => current,
    refreshMe: async () => {
      current = normaliseMe(await api.get('/api/me'));
      return current;
    },
    setMe: (m) => { current = m; },
    onLeave: () => {},
    toast: (_, text) => toasts.push(text),
  };
  return { ctx, requests: fake.requests, toasts };
}

function click(el: Element | null) {
  (el as HTMLElement).click();
}

const byTestId = (root: ParentNode, id: string) => root.querySelector(`[data-testid="${id}"]`);

describe('caller data is text, never markup', () => {
  it('shows a person\u2019s name with markup characters as plain text', () => {
    const { ctx } = context([]);
    const evil: Person = { userId: 'u1', displayName: '<img src=x onerror="alert(1)">Eve', callingPreference: 'phone', agentPhoneNumber: '<b>1</b>' };
    const table = peopleTable(ctx, [evil], [], () => {}, 'people');
    expect(table.querySelector('img')).toBeNull();
    expect(table.querySelector('b')).toBeNull();
    expect(table.textContent).toContain('<img src=x onerror="alert(1)">Eve');
    expect(byTestId(table, 'person-menu-u1')!.getAttribute('aria-label')).toBe('Actions for <img src=x onerror="alert(1)">Eve');
  });
});

describe('people table', () => {
  it('marks an agent phone whose owner has not verified it yet, and nothing else', () => {
    const { ctx } = context([]);
    const table = peopleTable(ctx, [
      { userId: 'u1', displayName: 'New number', callingPreference: 'phone', agentPhoneNumber: '+14155552671', agentPhoneVerified: false },
      { userId: 'u2', displayName: 'Verified', callingPreference: 'phone', agentPhoneNumber: '+14155552672', agentPhoneVerified: true },
    ], [], () => {}, 'people');
    const rows = [...table.querySelectorAll('tr[data-user-id]')].map((r) => r.textContent ?? '');
    expect(rows[0]).toContain('+14155552671 (not verified yet)');
    expect(rows[1]).toContain('+14155552672');
    expect(rows[1]).not.toContain('not verified');
  });
});

describe('after-call form', () => {
  it('counts notes, requires a disposition, then saves both to the call', async () => {
    const { ctx, requests } = context([{ method: 'PUT', path: '/api/calls/CA1/disposition', respond: () => ({ status: 204 }) }]);
    const saved = vi.fn();
    const form = dispositionForm(ctx, 'CA1', '', saved);
    document.body.append(form);
    const notes = byTestId(form, 'disposition-notes') as HTMLTextAreaElement;
    notes.value = 'Call back Tuesday';
    notes.dispatchEvent(new Event('input'));
    expect(byTestId(form, 'notes-counter')!.textContent).toBe('17 / 2000');
    expect(notes.maxLength).toBe(2000);

    click(byTestId(form, 'save-disposition'));
    await vi.waitFor(() => expect(form.textContent).toContain('Choose a disposition.'));
    expect(requests).toEqual([]);

    (byTestId(form, 'disposition-select') as HTMLSelectElement).value = 'follow-up';
    click(byTestId(form, 'save-disposition'));
    await vi.waitFor(() => expect(byTestId(form, 'disposition-saved')).not.toBeNull());
    expect(requests[0]).toMatchObject({ method: 'PUT', path: '/api/calls/CA1/disposition', body: { disposition: 'follow-up', notes: 'Call back Tuesday' } });
    expect(saved).toHaveBeenCalledOnce();
    form.remove();
  });

  it('retries while the call\u2019s activity is still being written (404), then saves', async () => {
    let attempts = 0;
    const { ctx } = context([{ method: 'PUT', path: '/api/calls/CA2/disposition', respond: () => (++attempts < 3
      ? { status: 404, body: { code: 'not-found', detail: 'Call not found.' }, headers: { 'Content-Type': 'application/problem+json' } }
      : { body: { callSid: 'CA2', disposition: 'busy', notes: null } }) }]);
    const form = dispositionForm(ctx, 'CA2', 'busy', () => {}, { attempts: 5, delayMs: 1 });
    document.body.append(form);
    click(byTestId(form, 'save-disposition'));
    await vi.waitFor(() => expect(byTestId(form, 'disposition-saved')).not.toBeNull());
    expect(attempts).toBe(3);
    form.remove();
  });

  it('shows the 404 after the retries run out', async () => {
    const { ctx, requests } = context([{ method: 'PUT', path: '/api/calls/CA3/disposition', respond: () => ({ status: 404, body: { code: 'not-found', detail: 'Call not found.' }, headers: { 'Content-Type': 'application/problem+json' } }) }]);
    const form = dispositionForm(ctx, 'CA3', 'busy', () => {}, { attempts: 2, delayMs: 1 });
    document.body.append(form);
    click(byTestId(form, 'save-disposition'));
    await vi.waitFor(() => expect(byTestId(form, 'disposition-error')!.textContent).toBe('Call not found.'));
    expect(requests).toHaveLength(2);
    form.remove();
  });

  it('pre-selects the disposition suggested by the outcome', () => {
    const { ctx } = context([]);
    const form = dispositionForm(ctx, 'CA1', 'busy', () => {});
    expect((byTestId(form, 'disposition-select') as HTMLSelectElement).value).toBe('busy');
  });
});

describe('activity lists', () => {
  it('show the activity as GET /api/calls/recent sends it: prospect number, outcome, duration, recording, disposition', () => {
    const activity = {
      callSid: 'CAagent', prospectCallSid: 'CAprospect', userId: 'rep-both', method: 'computer', prospectNumber: '+12015550100',
      callerId: '+15005550006', status: 'completed', outcome: 'connected', initiatedAt: '2026-11-26T05:15:53+00:00', durationSeconds: 64,
      hasRecording: true, recording: { durationSeconds: 64, status: 'completed', playbackPath: '/api/calls/CAagent/recording' },
      disposition: 'meeting-booked', notes: 'Tuesday 10am',
      crmSync: { state: 'pending', attempts: 0 },
    };
    const row = callColumns().map((c) => {
      const v = c.cell(activity);
      return typeof v === 'string' ? v : (v as Node | null)?.textContent ?? '';
    });
    expect(row.slice(1)).toEqual(['+1 201 555 0100', 'Computer-based calling', 'Connected', '01:04', 'Recorded (01:04)', 'Meeting booked', 'Tuesday 10am']);
    expect(outcomeCell({ status: 'in-progress' })).toBe('In progress');
    expect(outcomeCell({ status: 'busy', outcome: 'busy' })).toBe('Busy');
    expect(outcomeCell({ status: 'completed', outcome: 'connected', serverEndReason: 'call-too-long' }))
      .toBe('Connected \u00b7 ended by the server: longer than the org allows');
    expect(outcomeCell({ status: 'completed', outcome: 'connected', serverEndReason: 'rep-gone' }))
      .toBe('Connected \u00b7 ended by the server: no rep on the line');
  });
});

describe('recent calls', () => {
  it('looks again while a just-ended call has no outcome yet, and stops once it has', async () => {
    vi.useFakeTimers();
    try {
      const logged = [{ callSid: 'CA9', status: 'in-progress' }, { callSid: 'CA9', status: 'completed', outcome: 'connected', durationSeconds: 5 }];
      let gets = 0;
      const { ctx } = context([{ method: 'GET', path: '/api/calls/recent', respond: () => ({ body: { items: [logged[Math.min(gets++, 1)]], continuationToken: null } }) }]);
      const list = recentCalls(ctx);
      await vi.advanceTimersByTimeAsync(0);
      expect(list.el.querySelector('tr[data-call-sid="CA9"]')!.textContent).toContain('In progress');
      await vi.advanceTimersByTimeAsync(2000);
      expect(list.el.querySelector('tr[data-call-sid="CA9"]')!.textContent).toContain('Connected');
      await vi.advanceTimersByTimeAsync(10_000);
      expect(gets).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('Settings \u2192 Phone \u2192 Calling Preference', () => {
  it('offers exactly the server\u2019s options, saves the choice and shows the refreshed profile', async () => {
    const manager = meBody({
      callingPreference: 'computer',
      callingOptions: ['computer', 'phone'],
      canPlaceCalls: { computer: { allowed: false, reason: 'group-forbids-computer', detail: 'Group forbids it.' }, phone: { allowed: true } },
    });
    const after = meBody({ callingPreference: 'phone', callingOptions: ['phone'] });
    const { ctx, requests } = context([
      { method: 'PUT', path: '/api/me/calling-preference', respond: () => ({ body: after }) },
      { method: 'GET', path: '/api/me', respond: () => ({ body: after }) },
    ], normaliseMe(manager));
    const page = (await phoneSettingsPage(ctx, { params: {}, query: new URLSearchParams() })) as HTMLElement;
    document.body.append(page);
    expect(byTestId(page, 'current-preference')!.textContent).toBe('Computer-based calling');
    expect(byTestId(page, 'can-place-computer')!.textContent).toContain('Group forbids it.');

    click(byTestId(page, 'edit-preference'));
    const select = byTestId(page, 'preference-select') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(['computer', 'phone']);
    expect(byTestId(page, 'preference-note')!.textContent).toMatch(/won.t be offered again/);

    select.value = 'phone';
    select.dispatchEvent(new Event('change'));
    click(byTestId(page, 'save-preference'));
    await vi.waitFor(() => expect(byTestId(page, 'current-preference')!.textContent).toBe('Phone-based calling'));
    expect(requests.find((r) => r.method === 'PUT')!.body).toEqual({ preference: 'phone' });

    click(byTestId(page, 'edit-preference'));
    expect([...(byTestId(page, 'preference-select') as HTMLSelectElement).options].map((o) => o.value)).toEqual(['phone']);
    page.remove();
  });

  it('shows the server\u2019s refusal in words', async () => {
    const { ctx } = context([
      { method: 'PUT', path: '/api/me/calling-preference', respond: () => ({ status: 403, body: { code: 'preference-not-permitted', detail: 'Your permission group does not let you choose computer-based calling. Ask your manager.' }, headers: { 'Content-Type': 'application/problem+json' } }) },
    ], normaliseMe(meBody({ callingPreference: 'phone', callingOptions: ['phone', 'computer'] })));
    const page = (await phoneSettingsPage(ctx, { params: {}, query: new URLSearchParams() })) as HTMLElement;
    document.body.append(page);
    click(byTestId(page, 'edit-preference'));
    (byTestId(page, 'preference-select') as HTMLSelectElement).value = 'computer';
    click(byTestId(page, 'save-preference'));
    await vi.waitFor(() => expect(byTestId(page, 'preference-error')!.textContent).toBe('Your permission group does not let you choose computer-based calling. Ask your manager.'));
    expect(byTestId(page, 'current-preference')).toBeNull();
    page.remove();
  });
});

describe('Settings \u2192 Phone \u2192 Agent phone verification', () => {
  const expiresAt = new Date(Date.now() + 9 * 60_000).toISOString();

  it('shows an unverified number, calls it on "Call me to verify" and then shows the code to enter', async () => {
    const unverified = meBody({ agentPhoneNumber: '+14155552671', agentPhone: { number: '+14155552671', verified: false } });
    const verifying = meBody({
      agentPhoneNumber: '+14155552671',
      agentPhone: { number: '+14155552671', verified: false, verification: { code: '042917', expiresAt, attemptsLeft: 3 } },
    });
    const { ctx, requests } = context([
      { method: 'POST', path: '/api/me/agent-phone/verification', respond: () => ({ body: verifying }) },
      { method: 'GET', path: '/api/me', respond: () => ({ body: verifying }) },
    ], normaliseMe(unverified));
    const page = (await phoneSettingsPage(ctx, { params: {}, query: new URLSearchParams() })) as HTMLElement;
    document.body.append(page);
    expect(byTestId(page, 'agent-phone-state')!.getAttribute('data-state')).toBe('unverified');
    expect(byTestId(page, 'agent-phone-code')).toBeNull();

    click(byTestId(page, 'verify-agent-phone'));
    await vi.waitFor(() => expect(byTestId(page, 'agent-phone-code')!.textContent).toBe('042917'));
    expect(byTestId(page, 'agent-phone-state')!.getAttribute('data-state')).toBe('verifying');
    expect(requests.some((r) => r.method === 'POST' && r.path === '/api/me/agent-phone/verification')).toBe(true);
    page.remove();
  });

  it('shows the rate limit in words', async () => {
    const { ctx } = context([
      { method: 'POST', path: '/api/me/agent-phone/verification', respond: () => ({ status: 429, body: { code: 'agent-phone-verification-rate-limited', detail: 'A verification call was started recently. Try again in 42 seconds.' }, headers: { 'Content-Type': 'application/problem+json' } }) },
    ], normaliseMe(meBody({ agentPhoneNumber: '+14155552671', agentPhone: { number: '+14155552671', verified: false } })));
    const page = (await phoneSettingsPage(ctx, { params: {}, query: new URLSearchParams() })) as HTMLElement;
    document.body.append(page);
    click(byTestId(page, 'verify-agent-phone'));
    await vi.waitFor(() => expect(byTestId(page, 'verify-agent-phone-error')!.textContent).toContain('42 seconds'));
    page.remove();
  });

  it('shows a verified number without a code or a call button', async () => {
    const { ctx } = context([], normaliseMe(meBody({ agentPhone: { number: '+15005550001', verified: true } })));
    const page = (await phoneSettingsPage(ctx, { params: {}, query: new URLSearchParams() })) as HTMLElement;
    expect(byTestId(page, 'agent-phone-state')!.getAttribute('data-state')).toBe('verified');
    expect(byTestId(page, 'verify-agent-phone')).toBeNull();
    expect(byTestId(page, 'agent-phone-code')).toBeNull();
  });
});

describe('Support \u2192 create an org or a sandbox', () => {
  it('posts the sandbox and says computer-based calling starts off', async () => {
    const { ctx, requests } = context([{
      method: 'POST', path: '/api/support/orgs',
      respond: (body) => ({ status: 201, body: { orgId: 'acme-uat', name: (body as { name: string }).name, parentOrgId: 'acme' } }),
    }]);
    const page = supportPage(ctx, { params: {}, query: new URLSearchParams() }) as HTMLElement;
    document.body.append(page);
    (byTestId(page, 'new-org-name') as HTMLInputElement).value = ' Acme UAT ';
    (byTestId(page, 'new-org-id') as HTMLInputElement).value = 'acme-uat';
    (byTestId(page, 'new-org-parent') as HTMLInputElement).value = 'acme';

    click(byTestId(page, 'create-org'));

    await vi.waitFor(() => expect(byTestId(page, 'org-created')).not.toBeNull());
    expect(requests.at(-1)!.body).toEqual({ name: 'Acme UAT', orgId: 'acme-uat', parentOrgId: 'acme' });
    expect(byTestId(page, 'org-created')!.textContent).toBe('Created Acme UAT (acme-uat), a sandbox of acme. Computer-based calling is off until you enable it.');
    page.remove();
  });

  it('asks for a name before posting, and shows the server\u2019s refusal', async () => {
    const { ctx, requests } = context([{
      method: 'POST', path: '/api/support/orgs',
      respond: () => ({ status: 409, body: { title: 'Conflict', status: 409, code: 'org-exists', detail: 'An org with id acme already exists.' } }),
    }]);
    const page = supportPage(ctx, { params: {}, query: new URLSearchParams() }) as HTMLElement;
    document.body.append(page);

    click(byTestId(page, 'create-org'));
    expect(requests).toHaveLength(0);
    expect(byTestId(page, 'create-org-status')!.textContent).toContain('Enter the org');

    (byTestId(page, 'new-org-name') as HTMLInputElement).value = 'Acme';
    click(byTestId(page, 'create-org'));
    await vi.waitFor(() => expect(byTestId(page, 'create-org-error')).not.toBeNull());
    expect(byTestId(page, 'create-org-error')!.textContent).toContain('An org with id acme already exists.');
    page.remove();
  });
});

describe('Support \u2192 caller IDs of an org', () => {
  it('lists, assigns and releases an org\u2019s numbers through the caller-ids routes', async () => {
    let held = ['+15005550006'];
    const list = () => ({ status: 200, body: { orgId: 'acme', items: held.map((phoneNumber) => ({ phoneNumber, orgId: 'acme' })) } });
    const { ctx, requests } = context([
      { method: 'GET', path: '/api/support/orgs/acme/caller-ids', respond: list },
      { method: 'PUT', path: '/api/support/orgs/acme/caller-ids/%2B15005550010', respond: () => { held = [...held, '+15005550010']; return { status: 200, body: { phoneNumber: '+15005550010', orgId: 'acme' } }; } },
      { method: 'DELETE', path: '/api/support/orgs/acme/caller-ids/%2B15005550006', respond: () => { held = held.filter((n) => n !== '+15005550006'); return { status: 204 }; } },
    ]);
    const page = supportPage(ctx, { params: {}, query: new URLSearchParams() }) as HTMLElement;
    document.body.append(page);
    (byTestId(page, 'caller-ids-org') as HTMLInputElement).value = 'acme';

    click(byTestId(page, 'show-caller-ids'));
    await vi.waitFor(() => expect(byTestId(page, 'caller-id')?.textContent).toBe('+15005550006'));

    (byTestId(page, 'caller-id-number') as HTMLInputElement).value = '+15005550010';
    click(byTestId(page, 'assign-caller-id'));
    await vi.waitFor(() => expect(byTestId(page, 'caller-id-saved')?.textContent).toBe('+15005550010 is now a caller ID of acme.'));
    expect([...page.querySelectorAll('[data-testid="caller-id"]')].map((e) => e.textContent)).toEqual(['+15005550006', '+15005550010']);

    click(byTestId(page, 'release-caller-id'));
    await vi.waitFor(() => expect(byTestId(page, 'caller-id-saved')?.textContent).toBe('+15005550006 is released from acme.'));
    expect([...page.querySelectorAll('[data-testid="caller-id"]')].map((e) => e.textContent)).toEqual(['+15005550010']);
    expect(requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'GET', 'DELETE', 'GET']);
    page.remove();
  });

  it('shows why a number cannot be assigned', async () => {
    const { ctx } = context([{
      method: 'PUT', path: '/api/support/orgs/globex/caller-ids/%2B15005550006',
      respond: () => ({ status: 409, body: { title: 'Conflict', status: 409, code: 'caller-id-assigned-elsewhere', detail: '+15005550006 is already assigned to another org. Release it there first.' } }),
    }]);
    const page = supportPage(ctx, { params: {}, query: new URLSearchParams() }) as HTMLElement;
    document.body.append(page);
    (byTestId(page, 'caller-ids-org') as HTMLInputElement).value = 'globex';
    (byTestId(page, 'caller-id-number') as HTMLInputElement).value = '+15005550006';

    click(byTestId(page, 'assign-caller-id'));

    await vi.waitFor(() => expect(byTestId(page, 'caller-ids-error')).not.toBeNull());
    expect(byTestId(page, 'caller-ids-error')!.textContent).toContain('already assigned to another org');
    page.remove();
  });
});

describe('Admin \u2192 org settings', () => {
  it('shows the longest call and saves a change with the other settings', async () => {
    const org = { orgId: 'acme', name: 'Acme', computerCallingEnabled: true, defaultCallingPreference: 'phone', recording: 'off',
      edges: ['roaming'], codecPreferences: ['pcmu', 'opus'], callerId: '+15005550006', allowedCountries: ['US'], maxCallMinutes: 90 };
    const { ctx, requests } = context([
      { method: 'GET', path: '/api/admin/org', respond: () => ({ status: 200, body: org }) },
      { method: 'GET', path: '/api/admin/permission-groups?pageSize=200', respond: () => ({ status: 200, body: { items: [] } }) },
      { method: 'PATCH', path: '/api/admin/org', respond: (body) => ({ status: 200, body: { ...org, ...(body as object) } }) },
      { method: 'GET', path: '/api/me', respond: () => ({ status: 200, body: meBody() }) },
    ]);
    const page = await orgSettingsPage(ctx, { params: {}, query: new URLSearchParams() }) as HTMLElement;
    document.body.append(page);
    const minutes = byTestId(page, 'org-max-call-minutes') as HTMLInputElement;
    expect(minutes.value).toBe('90');

    minutes.value = '45';
    click(byTestId(page, 'save-org'));

    await vi.waitFor(() => expect(byTestId(page, 'org-saved')).not.toBeNull());
    expect((requests.find((r) => r.method === 'PATCH')!.body as { maxCallMinutes: number }).maxCallMinutes).toBe(45);
    page.remove();
  });
});

describe('Admin \u2192 org defaults for new people', () => {
  it('offers the org\u2019s groups as the default and saves the chosen one', async () => {
    const org = { orgId: 'acme', name: 'Acme', computerCallingEnabled: true, defaultCallingPreference: 'phone', recording: 'off',
      edges: ['roaming'], codecPreferences: ['pcmu', 'opus'], allowedCountries: ['US'], defaultPermissionGroupId: null };
    const { ctx, requests } = context([
      { method: 'GET', path: '/api/admin/org', respond: () => ({ status: 200, body: org }) },
      { method: 'GET', path: '/api/admin/permission-groups?pageSize=200', respond: () => ({ status: 200, body: { items: [{ id: 'starters', name: 'Starters' }] } }) },
      { method: 'PATCH', path: '/api/admin/org', respond: (body) => ({ status: 200, body: { ...org, ...(body as object) } }) },
      { method: 'GET', path: '/api/me', respond: () => ({ status: 200, body: meBody() }) },
    ]);
    const page = await orgSettingsPage(ctx, { params: {}, query: new URLSearchParams() }) as HTMLElement;
    document.body.append(page);
    const group = byTestId(page, 'org-default-group') as HTMLSelectElement;
    expect([...group.options].map((o) => o.textContent)).toEqual(['No group (only the default calling preference)', 'Starters']);

    group.value = 'starters';
    click(byTestId(page, 'save-org'));

    await vi.waitFor(() => expect(byTestId(page, 'org-saved')).not.toBeNull());
    expect((requests.find((r) => r.method === 'PATCH')!.body as { defaultPermissionGroupId: string }).defaultPermissionGroupId).toBe('starters');
    page.remove();
  });
});

describe('Admin \u2192 add a person by email', () => {
  it('posts the email and chosen group, and shows a refused duplicate', async () => {
    let calls = 0;
    const { ctx, requests } = context([
      { method: 'POST', path: '/api/admin/people', respond: () => (++calls === 1
        ? { status: 201, body: { userId: 'added-1', displayName: 'nina', email: 'nina@example.com', callingPreference: 'phone', awaitingSignIn: true } }
        : { status: 409, body: { title: 'Conflict', status: 409, code: 'email-taken', field: 'email', detail: 'Someone in this org already has the email nina@example.com.' } }) },
    ]);
    let added = 0;
    const form = addPersonForm(ctx, [{ id: 'starters', name: 'Starters' } as PermissionGroup], () => added++);
    document.body.append(form);

    (byTestId(form, 'add-person-email') as HTMLInputElement).value = ' nina@example.com ';
    (byTestId(form, 'add-person-group') as HTMLSelectElement).value = 'starters';
    (byTestId(form, 'add-person') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(byTestId(form, 'person-added')).not.toBeNull());
    (byTestId(form, 'add-person-email') as HTMLInputElement).value = 'nina@example.com';
    (byTestId(form, 'add-person') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(byTestId(form, 'add-person-error')).not.toBeNull());

    expect(requests[0].body).toEqual({ email: 'nina@example.com', permissionGroupId: 'starters' });
    expect(added).toBe(1);
    expect(byTestId(form, 'add-person-error')!.textContent).toContain('already has the email');
    form.remove();
  });
});
