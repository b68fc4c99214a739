// What the request log must never keep, even though the inspector is this machine's own view:
// passwords, JWTs, API token keys, reset and confirmation codes, refresh tokens. A log is read
// over a shoulder, pasted into an issue, screenshotted. Masking works on text (a body cut at the
// log's limit is no longer valid JSON), so it is a set of patterns, not a parse.

/**
 * A key naming a secret: password, passwordConfirmation, currentPassword, jwt, token, refreshToken,
 * accessKey, secret… Not `code`: a locale has one too; reset codes are long hex, masked as such.
 */
const secretKey = /password|token|jwt|secret|access_?key|confirmation|authorization/i;

// Every key is matched by a plain pattern and tested in the callback: one alternation inside the
// scan would backtrack at every quote of a large body.
const jsonPair = /"([A-Za-z_$][\w$-]{0,63})"(\s*:\s*)("(?:[^"\\]|\\.)*"?)/g;
const formPair = /(^|[?&])([^=&#\s]{1,64})=([^&#\s]*)/g;
const jwt = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.?[A-Za-z0-9_-]*/g;
/** API token keys (256 hex), reset tokens (128 hex), the emulator's long random keys. */
const longHex = /[0-9a-f]{64,}/g;

export const maskedText = '***';

/** `text` with every secret value replaced by *** (`query`: a path with its query string). */
export function maskSecrets(text: string, kind: 'body' | 'query' = 'body'): string {
  let out = text.replace(formPair, (all, lead: string, key: string, value: string) => (value && secretKey.test(key) ? `${lead}${key}=${maskedText}` : all));
  if (kind === 'body') out = out.replace(jsonPair, (all, key: string, colon: string, value: string) => (value !== '""' && secretKey.test(key) ? `"${key}"${colon}"${maskedText}"` : all));
  return out.replace(jwt, `eyJ${maskedText}`).replace(longHex, maskedText);
}

/** A request header as the log keeps it: the scheme of an Authorization, never its credentials. */
export function maskHeader(name: string, value: string): string {
  if (name.toLowerCase() !== 'authorization') return maskSecrets(value);
  const scheme = /^\s*(\S+)\s+\S/.exec(value)?.[1];
  return scheme ? `${scheme} ${maskedText}` : maskedText;
}
