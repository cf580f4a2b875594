/**
 * Splits text into lower-case tokens: a token is a maximal run of Unicode letters, digits and marks
 * (`\p{L}\p{N}\p{M}`); everything else (spaces, punctuation, symbols) separates tokens. So
 * `"Don't stop, 2 cats!"` gives `["don", "t", "stop", "2", "cats"]`. Deliberately simple: no
 * stemming, no stop words, no special case for apostrophes or hyphens.
 *
 * @example
 * ```ts
 * tokenize("You say goodbye, and I say HELLO."); // ["you", "say", "goodbye", "and", "i", "say", "hello"]
 * ```
 */
export function tokenize(text: string): string[] {
  if (typeof text !== "string") throw new TypeError(`tokenize: text must be a string, got ${typeof text}`);
  return text.toLowerCase().match(TOKEN) ?? [];
}

const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
