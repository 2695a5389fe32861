/**
 * The rules for a new history passphrase (the lock screen's set-up and Settings → Privacy):
 * long enough, and typed the same twice. The backend refuses only an empty one; these rules are
 * the UI's, so a typo does not lock the history away for good.
 */
export const MIN_PASSPHRASE = 8;

export type PassphraseProblem = "empty" | "short" | "mismatch" | null;

/** Counted in characters (code points), so a Chinese passphrase is not judged by its bytes. */
export function passphraseProblem(passphrase: string, confirm: string): PassphraseProblem {
  if (passphrase.length === 0) return "empty";
  if ([...passphrase].length < MIN_PASSPHRASE) return "short";
  if (passphrase !== confirm) return "mismatch";
  return null;
}
