import type { ApiClient } from '../api/client';
import type { Me } from '../api/types';
import type { AuthProvider } from '../auth/auth';
import type { CallSession } from '../calling/callSession';
import type { AppConfig } from './config';

export interface AppContext {
  readonly config: AppConfig;
  readonly api: ApiClient;
  readonly auth: AuthProvider;
  readonly calls: CallSession;
  me(): Me;
  /** Re-reads GET /api/me (after a settings change) and re-renders what depends on it. */
  refreshMe(): Promise<Me>;
  setMe(me: Me): void;
  /** Runs when the current page is left; pages use it to stop timers and listeners. */
  onLeave(cleanup: () => void): void;
  toast(kind: 'error' | 'success' | 'info', text: string): void;
}

export interface PageArgs {
  params: Record<string, string>;
  query: URLSearchParams;
}

export type Page = (ctx: AppContext, args: PageArgs) => HTMLElement | Promise<HTMLElement>;
