import { h } from './dom';

export interface Column<T> {
  label: string;
  cell: (row: T) => Node | string | number | null | undefined;
  className?: string;
}

/** A plain table; cells are text unless a column returns a Node it built itself. */
export function dataTable<T>(columns: Column<T>[], rows: T[], options: { testid?: string; caption?: string; empty?: string; rowAttrs?: (row: T) => Record<string, string> } = {}): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty', testid: options.testid }, options.empty ?? 'Nothing here yet.');
  return h('div', { class: 'table-wrap' },
    h('table', { testid: options.testid },
      options.caption ? h('caption', {}, options.caption) : null,
      h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c.label)))),
      h('tbody', {}, ...rows.map((row) => {
        const tr = h('tr', options.rowAttrs?.(row) ?? {});
        for (const c of columns) {
          const value = c.cell(row);
          tr.append(h('td', { class: c.className }, value === null || value === undefined ? '' : value));
        }
        return tr;
      }))));
}

/** Reads a field from loosely shaped API data as display text. */
export function text(row: unknown, ...keys: string[]): string {
  if (!row || typeof row !== 'object') return '';
  for (const key of keys) {
    const value = (row as Record<string, unknown>)[key];
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) return value.join(', ');
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  }
  return '';
}
