// Builds DOM nodes. Text always goes in as text nodes, so caller data can never become markup.

type Child = Node | string | number | null | undefined | false;
type Handler = (event: Event) => void;

export interface Attrs {
  [name: string]: string | number | boolean | Handler | null | undefined;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2).toLowerCase(), value as Handler);
    } else if (name === 'value' && 'value' in el) {
      (el as HTMLInputElement).value = String(value);
    } else if (name === 'testid') {
      el.dataset.testid = String(value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces all of an element's content. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

let idCounter = 0;
export function uid(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A labelled form control: the label is tied to the control with for/id. */
export function field(label: string, control: HTMLElement, hint?: HTMLElement | string): HTMLElement {
  if (!control.id) control.id = uid('f');
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, typeof hint === 'string' ? h('div', { class: 'hint' }, hint) : hint);
}

/** A status line for messages; role=alert for errors so screen readers announce them. */
export function notice(kind: 'error' | 'info' | 'success' | 'warning', text: string, testid?: string): HTMLElement {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' || kind === 'warning' ? 'alert' : 'status', testid }, text);
}

export function formatDateTime(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const minutes = Math.floor(s / 60);
  const seconds = s % 60;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}
