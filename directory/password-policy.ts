// Password rules. The legacy platform accepted short single-class passwords; the new platform's
// stricter policy (the 2009 migration's trigger) rejects them, forcing a reset at T0.
import { mix } from './names.ts';

export interface PasswordPolicy {
  readonly name: string;
  /** undefined when acceptable, otherwise a reason a user can read. */
  check(password: string): string | undefined;
}

/** Legacy rule: at least 6 characters. */
export const legacyPolicy: PasswordPolicy = {
  name: 'legacy',
  check: (p) => (p.length >= 6 ? undefined : 'password must be at least 6 characters'),
};

/**
 * Stricter rule, modelled on common complexity policies (AD "complexity requirements":
 * three of four character classes) with a longer minimum length of 10.
 */
export const strictPolicy: PasswordPolicy = {
  name: 'strict',
  check(p) {
    if (p.length < 10) return 'password must be at least 10 characters';
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(p)).length;
    if (classes < 3) return 'password must use three of: lower case, upper case, digits, symbols';
    return undefined;
  },
};

const WEAK_WORDS = ['summer', 'welcome', 'monday', 'hospital', 'nurse', 'daffodil', 'london', 'football', 'sunshine', 'letmein'];
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const SYMBOLS = '!#%&*+?@';

/**
 * The password of user `index` at `version`, derived rather than stored so a large
 * population costs no strings. Weak ones pass the legacy policy and fail the strict one.
 */
export function generatedPassword(seed: number, index: number, version: number, weak: boolean): string {
  let h = mix(mix(seed, index), version + 1);
  if (weak) return `${WEAK_WORDS[h % WEAK_WORDS.length]}${10 + (h >>> 8) % 90}`;
  let out = '';
  for (let i = 0; i < 9; i++) {
    out += ALPHABET[h % ALPHABET.length];
    h = mix(h, i);
  }
  // Guarantee three classes whatever the letters were: a digit, an upper case letter and a symbol.
  return `${out}${(h >>> 4) % 10}${SYMBOLS[h % SYMBOLS.length]}Q`;
}
