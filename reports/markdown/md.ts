// Markdown table helpers: cells never break the table (pipes escaped, newlines flattened).

export function mdCell(value: unknown): string {
  return String(value).replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll(/\r?\n/g, ' ');
}

export function mdTable(head: string[], rows: unknown[][], align?: ('l' | 'r')[]): string {
  const sep = head.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [head, sep, ...rows].map((r) => `| ${r.map((c, i) => (i < head.length && r !== sep ? mdCell(c) : c)).join(' | ')} |`).join('\n');
}

/** Inline code that survives backticks inside the text. */
export function mdCode(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}
