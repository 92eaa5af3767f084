import type { AppContext } from '../app/context';
import { h } from '../app/dom';
import { formatE164 } from './phoneNumber';

interface CallerIdPreview {
  to: string;
  callerId: string;
  tier: 'area-code' | 'region' | 'country' | 'default';
}

const tierText: Record<CallerIdPreview['tier'], string> = {
  'area-code': 'a local number in their area code',
  region: 'a number from their state or province',
  country: 'a number from their country',
  default: 'your org\u2019s caller ID',
};

export function describePreview(preview: CallerIdPreview): string {
  return `The prospect will see ${formatE164(preview.callerId)} (${tierText[preview.tier] ?? preview.tier}).`;
}

/** A line under the number input: which caller ID the prospect will see, fetched once the typing settles. */
export function callerIdPreview(ctx: AppContext, delayMs = 300): { element: HTMLElement; update: (e164: string | null) => void } {
  const element = h('div', { class: 'hint', testid: 'caller-id-preview', 'aria-live': 'polite' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest: string | null = null;
  const update = (e164: string | null) => {
    latest = e164;
    clearTimeout(timer);
    if (!e164) {
      element.textContent = '';
      return;
    }
    timer = setTimeout(async () => {
      try {
        const { data } = await ctx.api.send<CallerIdPreview>('GET', `/api/calls/caller-id?to=${encodeURIComponent(e164)}`);
        if (latest === e164) element.textContent = describePreview(data);
      } catch {
        if (latest === e164) element.textContent = '';
      }
    }, delayMs);
  };
  return { element, update };
}
