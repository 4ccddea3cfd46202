// Escaping for the self-contained report: HTML text, JSON inside <script>, inline scripts.

export function escapeHtml(text: unknown): string {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * JSON for a <script type="application/json"> block. Escaping every "<" keeps "</script"
 * and "<!--" out of the page while JSON.parse still reads the original text.
 */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data).replaceAll('<', '\\u003c').replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029');
}

/** Source for an inline <script>: a literal "</script" inside it would end the element early. */
export function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1');
}
