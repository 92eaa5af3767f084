// The signed-in app: header, navigation by role, and the routed page in <main>.

import { errorMessage } from '../api/problems';
import { normaliseMe, type Me } from '../api/types';
import type { ApiClient } from '../api/client';
import type { AuthProvider } from '../auth/auth';
import type { CallSession } from '../calling/callSession';
import { statusText, isActive } from '../dialer/callMachine';
import type { AppConfig } from './config';
import type { AppContext, Page } from './context';
import { MePoller } from './mePoller';
import { h, notice, replace } from './dom';
import { resolve, href } from './router';
import { canSee, homeFor, routeDefs, type RouteDef } from './routes';

export type PageTable = Record<(typeof routeDefs)[number]['pattern'], Page>;

export interface ShellDeps {
  root: HTMLElement;
  config: AppConfig;
  api: ApiClient;
  auth: AuthProvider;
  calls: CallSession;
  me: Me;
  /** The ETag GET /api/me answered with at boot, so the first poll can be a 304. */
  meETag?: string | null;
  pages: PageTable;
  onSignOut: () => void;
}

/** Starts the signed-in app; `stop()` removes its window listeners (sign-out, session expiry). */
export function startShell(deps: ShellDeps): { ctx: AppContext; stop: () => void } {
  let me = deps.me;
  let cleanups: (() => void)[] = [];
  let renderToken = 0;

  const toasts = h('div', { class: 'toasts', 'aria-live': 'polite', testid: 'toasts' });
  const nav = h('nav', { class: 'nav', 'aria-label': 'Main' });
  const main = h('main', { id: 'main', tabindex: '-1' });
  const who = h('span', { class: 'who', testid: 'signed-in-as' });
  const callPill = h('a', { class: 'call-pill', href: '#/dialer', hidden: true, testid: 'call-pill' });
  const signOut = h('button', { type: 'button', class: 'btn btn-quiet', testid: 'sign-out' }, 'Sign out');
  signOut.addEventListener('click', async () => {
    if (isActive(deps.calls.snapshot().state) && !confirm('A call is in progress. Sign out and hang up?')) return;
    deps.calls.hangup();
    await deps.auth.signOut();
    deps.onSignOut();
  });

  const header = h('header', { class: 'topbar' },
    h('a', { class: 'skip', href: '#main', onclick: (e: Event) => { e.preventDefault(); main.focus(); } }, 'Skip to content'),
    h('span', { class: 'brand' }, 'Playbooks Calling'),
    callPill,
    h('span', { class: 'spacer' }),
    who,
    signOut,
  );
  replace(deps.root, header, h('div', { class: 'layout' }, nav, main), toasts);

  const ctx: AppContext = {
    config: deps.config,
    api: deps.api,
    auth: deps.auth,
    calls: deps.calls,
    me: () => me,
    async refreshMe() {
      const fresh = await deps.api.send<unknown>('GET', '/api/me');
      poller.remember(fresh.etag);
      ctx.setMe(normaliseMe(fresh.data));
      return me;
    },
    setMe(next: Me) {
      me = next;
      renderChrome();
    },
    onLeave(cleanup) {
      cleanups.push(cleanup);
    },
    toast(kind, text) {
      const item = notice(kind, text);
      item.classList.add('toast');
      const close = h('button', { type: 'button', class: 'btn btn-quiet', 'aria-label': 'Dismiss' }, '\u00d7');
      close.addEventListener('click', () => item.remove());
      item.append(close);
      toasts.append(item);
      setTimeout(() => item.remove(), kind === 'error' ? 12_000 : 5_000);
    },
  };

  function renderChrome(): void {
    who.textContent = `${me.user.displayName} \u00b7 ${me.org.name}${me.org.isSandbox ? ' (sandbox)' : ''}`;
    const current = resolve<RouteDef>(routeDefs, location.hash)?.route.pattern;
    const groups: [string, RouteDef[]][] = [
      ['Calling', routeDefs.filter((r) => r.section === 'rep')],
      ['Manage', routeDefs.filter((r) => r.section === 'manage')],
      ['Support', routeDefs.filter((r) => r.section === 'support')],
      ['Development', routeDefs.filter((r) => r.section === 'dev')],
    ];
    replace(nav, ...groups.map(([label, list]) => {
      const visible = list.filter((r) => r.nav && canSee(r, me));
      if (visible.length === 0) return null;
      return h('div', { class: 'nav-group' },
        h('div', { class: 'nav-label' }, label),
        h('ul', {}, ...visible.map((r) => h('li', {},
          h('a', { href: href(r.pattern), 'aria-current': current === r.pattern || current?.startsWith(`${r.pattern}/`) ? 'page' : null, testid: `nav-${r.pattern.replace(/^\//, '').replace(/\//g, '-')}` }, r.nav!)))));
    }));
  }

  const updatePill = () => {
    const snapshot = deps.calls.snapshot();
    const active = isActive(snapshot.state);
    callPill.hidden = !active;
    callPill.textContent = active ? statusText(snapshot.state, Date.now()) : '';
  };
  const unsubscribePill = deps.calls.subscribe(updatePill);
  const pillTimer = setInterval(updatePill, 1000);

  async function render(): Promise<void> {
    const token = ++renderToken;
    for (const cleanup of cleanups) cleanup();
    cleanups = [];
    const match = resolve<RouteDef>(routeDefs, location.hash);
    if (!match) {
      location.replace(href(homeFor(me)));
      return;
    }
    renderChrome();
    if (!canSee(match.route, me)) {
      replace(main, h('h1', {}, 'Not available'), notice('info', 'Your role does not include this page.'), h('a', { href: href(homeFor(me)) }, 'Go to your home page'));
      return;
    }
    document.title = `${match.route.title} \u00b7 Playbooks Calling`;
    replace(main, h('p', { class: 'loading', role: 'status' }, 'Loading\u2026'));
    let content: HTMLElement;
    try {
      content = await deps.pages[match.route.pattern as keyof PageTable](ctx, { params: match.params, query: match.location.query });
    } catch (error) {
      content = h('section', {}, h('h1', {}, match.route.title), notice('error', errorMessage(error), 'page-error'),
        h('button', { type: 'button', class: 'btn', onclick: () => void render() }, 'Try again'));
    }
    if (token !== renderToken) return;
    replace(main, content);
  }

  // Pages that draw from the profile; they follow a change without a reload (never while a call is active).
  const meDrivenPages = new Set(['/dialer', '/checklist', '/settings/phone']);
  const poller = new MePoller({
    async fetchMe(etag) {
      const response = await deps.api.send<unknown>('GET', '/api/me', { ifNoneMatch: etag });
      return response.status === 304 ? { changed: false } : { changed: true, me: normaliseMe(response.data), etag: response.etag };
    },
    onChange: (next) => ctx.setMe(next),
    isCallActive: () => isActive(deps.calls.snapshot().state),
    releaseDevice: () => void deps.calls.releaseDevice(),
    refreshPage() {
      const pattern = resolve<RouteDef>(routeDefs, location.hash)?.route.pattern;
      if (!pattern || !meDrivenPages.has(pattern)) return;
      const typed = main.querySelector<HTMLInputElement>('#dial-number')?.value ?? '';
      void render().then(() => {
        const input = main.querySelector<HTMLInputElement>('#dial-number');
        if (input && typed) {
          input.value = typed;
          input.dispatchEvent(new Event('input'));
        }
      });
    },
    canRefreshPage() {
      // Don't redraw under someone typing into a settings field; the dialer keeps its number across the redraw.
      const active = document.activeElement;
      if (!active || !main.contains(active) || active.id === 'dial-number') return true;
      return !(active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement || active instanceof HTMLSelectElement);
    },
  }, deps.meETag ?? null);
  let wasActive = isActive(deps.calls.snapshot().state);
  const unsubscribeSettle = deps.calls.subscribe((snapshot) => {
    const active = isActive(snapshot.state);
    if (wasActive && !active) poller.settle();
    wasActive = active;
  });
  poller.start();

  const onHashChange = () => void render();
  const onRejection = (event: PromiseRejectionEvent) => {
    event.preventDefault();
    ctx.toast('error', errorMessage(event.reason));
  };
  window.addEventListener('hashchange', onHashChange);
  window.addEventListener('unhandledrejection', onRejection);
  if (!location.hash || location.hash === '#' || location.hash === '#/') location.replace(href(homeFor(me)));
  void render();
  return {
    ctx,
    stop() {
      window.removeEventListener('hashchange', onHashChange);
      window.removeEventListener('unhandledrejection', onRejection);
      unsubscribePill();
      unsubscribeSettle();
      poller.stop();
      clearInterval(pillTimer);
      for (const cleanup of cleanups) cleanup();
      cleanups = [];
      renderToken++;
    },
  };
}
