// lodash's string helpers as users-permissions uses them: a new role without `type` gets
// `_.snakeCase(_.deburr(_.toLower(name)))`. lodash splits words differently when the text
// mixes letters with digits or punctuation ("Role a1b2" → "role_a_1_b_2"), so that is
// reproduced too.

const specialLetters: Record<string, string> = { ß: 'ss', æ: 'ae', Æ: 'Ae', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ł: 'l', Ł: 'L', þ: 'th', Þ: 'Th', ð: 'd', Ð: 'D', œ: 'oe', Œ: 'Oe', ĳ: 'ij', Ĳ: 'IJ', ſ: 's', ŉ: "'n" };

/** lodash deburr: Latin-1 / Latin Extended-A letters to ASCII, combining marks removed. */
export function deburr(s: string): string {
  return s
    .replace(/[\u00c0-\u017f]/g, (c) => specialLetters[c] ?? c.normalize('NFD').replace(/[\u0300-\u036f]/g, ''))
    .replace(/[\u0300-\u036f\ufe20-\ufe2f\u20d0-\u20ff]/g, '');
}

const hasUnicodeWord = /[a-z][A-Z]|[A-Z]{2}[a-z]|[0-9][a-zA-Z]|[a-zA-Z][0-9]|[^a-zA-Z0-9 ]/;
const asciiWord = /[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+/g;
// lodash's unicode word pattern, reduced to what a lower-cased, deburred string can hold:
// ordinals (1st, 22nd, 4th), runs of letters, runs of digits, emoji.
const unicodeWordLower = /\d*(?:1st|2nd|3rd|(?![123])\dth)(?=\b|[A-Z_])|[A-Z]?[a-z\u00df-\u00f6\u00f8-\u00ff]+|[A-Z]+|\d+|\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic})*/gu;

export function words(s: string): string[] {
  return (hasUnicodeWord.test(s) ? s.match(unicodeWordLower) : s.match(asciiWord)) ?? [];
}

export function snakeCase(s: string): string {
  return words(deburr(s).replace(/['\u2019]/g, ''))
    .map((w) => w.toLowerCase())
    .join('_');
}

/** The type users-permissions derives for a role created without one. */
export function roleTypeFromName(name: unknown): string {
  const lower = name === null || name === undefined ? '' : String(name).toLowerCase();
  return snakeCase(deburr(lower));
}
