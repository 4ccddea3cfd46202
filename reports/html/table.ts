// A small HTML table helper: cells are escaped unless passed as { html }.
import { escapeHtml } from './escape.ts';

export type Cell = string | number | { html: string } | { text: string | number; num?: boolean };

function cell(tag: 'td' | 'th', value: Cell): string {
  if (typeof value === 'object' && 'html' in value) return `<${tag}>${value.html}</${tag}>`;
  if (typeof value === 'object') {
    const text = typeof value.text === 'number' ? value.text.toLocaleString('en-GB') : value.text;
    return `<${tag}${value.num ? ' class="num"' : ''}>${escapeHtml(text)}</${tag}>`;
  }
  return `<${tag}${typeof value === 'number' ? ' class="num"' : ''}>${escapeHtml(typeof value === 'number' ? value.toLocaleString('en-GB') : value)}</${tag}>`;
}

export function table(head: Cell[], rows: { cells: Cell[]; className?: string }[], className = ''): string {
  const header = `<tr>${head.map((h) => cell('th', h)).join('')}</tr>`;
  const body = rows.map((r) => `<tr${r.className ? ` class="${r.className}"` : ''}>${r.cells.map((c) => cell('td', c)).join('')}</tr>`).join('\n');
  return `<table${className ? ` class="${className}"` : ''}><thead>${header}</thead><tbody>${body}</tbody></table>`;
}

export function num(value: number | string): Cell {
  return { text: value, num: true };
}
