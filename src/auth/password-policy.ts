import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

// New passwords must not be common (zxcvbn-ts with its list of ~49,000 leaked passwords) and
// must reach a minimum estimated strength. zxcvbn's cost grows with length, so only the first
// MAX_CHECKED characters are judged: that keeps one check well under the event loop budget, and
// a password that is strong in its first 16 characters is strong.
export const MIN_PASSWORD_SCORE = 2; // 0-4; 2 = "somewhat guessable": safe with rate-limited logins
const MAX_CHECKED = 16;

let checker: ZxcvbnFactory | null = null;

function zxcvbn(): ZxcvbnFactory {
  checker ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs, maxLength: MAX_CHECKED });
  return checker;
}

// Why `password` is refused, or null. `related` are words an attacker knows (the email).
export function passwordProblem(password: string, related: string[] = []): string | null {
  const lower = password.toLowerCase();
  if (related.some((w) => w.length >= 4 && lower.includes(w.toLowerCase()))) {
    return 'is too easy to guess (it contains your email address)';
  }
  const result = zxcvbn().check(password, related);
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  const hint = result.feedback.warning ? ` (${warningText(result.feedback.warning)})` : '';
  return `is too easy to guess${hint}; use a longer mix of unrelated words, digits and symbols`;
}

// zxcvbn-ts answers translation keys; these are its English texts, shortened.
const WARNINGS: Record<string, string> = {
  topTen: 'one of the ten most used passwords',
  topHundred: 'one of the hundred most used passwords',
  common: 'a commonly used password',
  similarToCommon: 'close to a commonly used password',
  sequences: 'a sequence like abc or 123',
  recentYears: 'a recent year',
  dates: 'a date',
  straightRow: 'a row of keys on the keyboard',
  keyPattern: 'a keyboard pattern',
  simpleRepeat: 'a repeated character',
  extendedRepeat: 'a repeated pattern',
  userInputs: 'based on your email address',
};

function warningText(key: string): string {
  return Object.hasOwn(WARNINGS, key) ? WARNINGS[key] : key;
}
