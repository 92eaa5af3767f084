// Keeps the signed-in profile fresh: re-reads GET /api/me with If-None-Match every few seconds while the tab is
// visible and at once when the tab comes back, so a manager's or Support's change reaches the rep without a reload.
// A change never cuts a call in progress: the Device is released and the page re-drawn only once no call is active.

import type { Me } from '../api/types';

export type MeFetch = { changed: false } | { changed: true; me: Me; etag: string | null };

export interface MePollerDeps {
  /** GET /api/me with If-None-Match: `etag` (when not null); 304 means unchanged. */
  fetchMe(etag: string | null): Promise<MeFetch>;
  /** The new profile, as soon as it arrives (header, ctx.me()). */
  onChange(me: Me): void;
  isCallActive(): boolean;
  /** Releases the Twilio Device (computer-based calling no longer allowed). */
  releaseDevice(): void;
  /** Re-draws the current page from the new profile. */
  refreshPage(): void;
  /** False while re-drawing would throw away what the person is typing. */
  canRefreshPage(): boolean;
  intervalMs?: number;
  /** Where visibility and focus are read from; the browser's by default. */
  doc?: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;
  win?: Pick<Window, 'addEventListener' | 'removeEventListener'>;
}

export const mePollIntervalMs = 5_000;

export class MePoller {
  private timer: ReturnType<typeof setInterval> | null = null;
  private inFlight: Promise<void> | null = null;
  private pendingRelease = false;
  private pendingRefresh = false;
  private readonly onWake = () => {
    if (this.visible()) void this.poll();
  };

  constructor(private readonly deps: MePollerDeps, private etag: string | null) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.visible()) void this.poll();
      else this.settle();
    }, this.deps.intervalMs ?? mePollIntervalMs);
    this.doc()?.addEventListener('visibilitychange', this.onWake);
    this.win()?.addEventListener('focus', this.onWake);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.doc()?.removeEventListener('visibilitychange', this.onWake);
    this.win()?.removeEventListener('focus', this.onWake);
  }

  get currentETag(): string | null {
    return this.etag;
  }

  /** The ETag of a profile read elsewhere (after the rep's own edit), so the next poll doesn't redraw for it. */
  remember(etag: string | null): void {
    this.etag = etag;
  }

  /** Polls once (a poll already running is shared), then applies whatever is waiting for the call to end. */
  poll(): Promise<void> {
    this.inFlight ??= this.fetchAndApply().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Applies a deferred Device release or page re-draw once no call is active; the shell calls it when a call ends. */
  settle(): void {
    if (this.deps.isCallActive()) return;
    if (this.pendingRelease) {
      this.pendingRelease = false;
      this.deps.releaseDevice();
    }
    if (this.pendingRefresh && this.deps.canRefreshPage()) {
      this.pendingRefresh = false;
      this.deps.refreshPage();
    }
  }

  private async fetchAndApply(): Promise<void> {
    let result: MeFetch;
    try {
      result = await this.deps.fetchMe(this.etag);
    } catch {
      this.settle();
      return; // offline or a blip: the next tick tries again
    }
    if (result.changed) {
      this.etag = result.etag;
      this.deps.onChange(result.me);
      this.pendingRefresh = true;
      this.pendingRelease = !result.me.canPlaceCalls.computer.allowed;
    }
    this.settle();
  }

  private visible(): boolean {
    const doc = this.doc();
    return !doc || doc.visibilityState !== 'hidden';
  }

  private doc() {
    return this.deps.doc ?? (typeof document === 'undefined' ? undefined : document);
  }

  private win() {
    return this.deps.win ?? (typeof window === 'undefined' ? undefined : window);
  }
}
