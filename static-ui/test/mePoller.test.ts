import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../src/api/client';
import { MePoller, type MeFetch, type MePollerDeps } from '../src/app/mePoller';
import type { Me } from '../src/api/types';
import { me } from './fixtures';

class FakeTarget {
  visibilityState: DocumentVisibilityState = 'visible';
  private readonly listeners = new Map<string, Set<() => void>>();
  addEventListener(type: string, listener: () => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: () => void): void {
    this.listeners.get(type)?.delete(listener);
  }
  fire(type: string): void {
    for (const listener of this.listeners.get(type) ?? []) listener();
  }
  count(type: string): number {
    return this.listeners.get(type)?.size ?? 0;
  }
}

const computerOff = me({ canPlaceCalls: { computer: { allowed: false, code: 'computer-calling-disabled', message: 'Off.' }, phone: { allowed: true } } });

function setup(answers: MeFetch[] = []) {
  const doc = new FakeTarget();
  const win = new FakeTarget();
  let callActive = false;
  let canRefresh = true;
  const seen: (string | null)[] = [];
  const applied: Me[] = [];
  const deps = {
    fetchMe: vi.fn(async (etag: string | null) => {
      seen.push(etag);
      return answers.shift() ?? { changed: false as const };
    }),
    onChange: vi.fn((next: Me) => void applied.push(next)),
    isCallActive: () => callActive,
    releaseDevice: vi.fn(),
    refreshPage: vi.fn(),
    canRefreshPage: () => canRefresh,
    intervalMs: 5_000,
    doc: doc as unknown as MePollerDeps['doc'],
    win: win as unknown as MePollerDeps['win'],
  };
  const poller = new MePoller(deps, '"boot"');
  return {
    poller, deps, doc, win, seen, applied,
    setCallActive: (value: boolean) => { callActive = value; },
    setCanRefresh: (value: boolean) => { canRefresh = value; },
  };
}

describe('MePoller', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('polls every 5 seconds with the last ETag while the tab is visible', async () => {
    const t = setup();
    t.poller.start();

    await vi.advanceTimersByTimeAsync(4_999);
    expect(t.deps.fetchMe).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(5_000);

    expect(t.seen).toEqual(['"boot"', '"boot"']);
    t.poller.stop();
  });

  it('does not poll while the tab is hidden, and polls at once when it becomes visible or gets focus', async () => {
    const t = setup();
    t.poller.start();
    t.doc.visibilityState = 'hidden';
    await vi.advanceTimersByTimeAsync(20_000);
    expect(t.deps.fetchMe).not.toHaveBeenCalled();

    t.doc.visibilityState = 'visible';
    t.doc.fire('visibilitychange');
    await vi.advanceTimersByTimeAsync(0);
    expect(t.deps.fetchMe).toHaveBeenCalledTimes(1);
    t.win.fire('focus');
    await vi.advanceTimersByTimeAsync(0);
    expect(t.deps.fetchMe).toHaveBeenCalledTimes(2);
    t.poller.stop();
  });

  it('removes its timer and listeners on stop', async () => {
    const t = setup();
    t.poller.start();
    t.poller.stop();

    await vi.advanceTimersByTimeAsync(30_000);

    expect(t.deps.fetchMe).not.toHaveBeenCalled();
    expect([t.doc.count('visibilitychange'), t.win.count('focus')]).toEqual([0, 0]);
  });

  it('keeps the state and ETag when the answer is 304', async () => {
    const t = setup([{ changed: false }]);

    await t.poller.poll();

    expect(t.deps.onChange).not.toHaveBeenCalled();
    expect(t.deps.refreshPage).not.toHaveBeenCalled();
    expect(t.deps.releaseDevice).not.toHaveBeenCalled();
    expect(t.poller.currentETag).toBe('"boot"');
  });

  it('applies a changed profile, re-draws the page and sends the new ETag next time', async () => {
    const phone = me({ callingPreference: 'phone' });
    const t = setup([{ changed: true, me: phone, etag: '"v2"' }]);

    await t.poller.poll();
    await t.poller.poll();

    expect(t.applied).toEqual([phone]);
    expect(t.deps.refreshPage).toHaveBeenCalledTimes(1);
    expect(t.deps.releaseDevice).not.toHaveBeenCalled();
    expect(t.seen).toEqual(['"boot"', '"v2"']);
  });

  it('releases the Device when computer calling is no longer allowed and no call is active', async () => {
    const t = setup([{ changed: true, me: computerOff, etag: '"v2"' }]);

    await t.poller.poll();

    expect(t.deps.releaseDevice).toHaveBeenCalledTimes(1);
  });

  it('never cuts a call in progress: the Device is released and the page re-drawn once the call has ended', async () => {
    const t = setup([{ changed: true, me: computerOff, etag: '"v2"' }]);
    t.setCallActive(true);

    await t.poller.poll();
    await t.poller.poll();
    expect(t.applied).toEqual([computerOff]);
    expect(t.deps.releaseDevice).not.toHaveBeenCalled();
    expect(t.deps.refreshPage).not.toHaveBeenCalled();

    t.setCallActive(false);
    t.poller.settle();
    t.poller.settle();
    expect(t.deps.releaseDevice).toHaveBeenCalledTimes(1);
    expect(t.deps.refreshPage).toHaveBeenCalledTimes(1);
  });

  it('waits to re-draw while the person is typing into a field, then re-draws on a later tick', async () => {
    const t = setup([{ changed: true, me: me({ callingOptions: ['phone'] }), etag: '"v2"' }]);
    t.setCanRefresh(false);
    t.poller.start();

    await vi.advanceTimersByTimeAsync(5_000);
    expect(t.deps.refreshPage).not.toHaveBeenCalled();
    t.setCanRefresh(true);
    await vi.advanceTimersByTimeAsync(5_000);

    expect(t.deps.refreshPage).toHaveBeenCalledTimes(1);
    t.poller.stop();
  });

  it('keeps polling after a failed request', async () => {
    const t = setup();
    t.deps.fetchMe.mockRejectedValueOnce(new Error('offline'));

    await t.poller.poll();
    await t.poller.poll();

    expect(t.deps.fetchMe).toHaveBeenCalledTimes(2);
    expect(t.deps.onChange).not.toHaveBeenCalled();
  });
});

describe('ApiClient conditional GET', () => {
  it('sends If-None-Match without caching and answers 304 as a status, not an error', async () => {
    const fetchFn = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      expect((init!.headers as Record<string, string>)['If-None-Match']).toBe('"abc"');
      expect(init!.cache).toBe('no-store');
      return new Response(null, { status: 304, headers: { ETag: '"abc"' } });
    });
    const api = new ApiClient('', { getToken: async () => 't' }, () => {}, fetchFn as unknown as typeof fetch);

    const response = await api.send('GET', '/api/me', { ifNoneMatch: '"abc"' });

    expect(response.status).toBe(304);
    expect(response.data).toBeUndefined();
    expect(response.etag).toBe('"abc"');
  });
});
