// Splits a command line into argv without a shell: whitespace separates words, single and
// double quotes group them, a backslash escapes the next character outside single quotes.
// No globbing, no variables, no pipes: what is written is what runs.
import { InputError } from '../../errors.ts';

export function splitArgv(line: string, where: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new InputError(`${where}: unclosed ${quote} quote in the command`);
  if (inWord) words.push(word);
  if (words.length === 0) throw new InputError(`${where}: command: names no program`);
  return words;
}
