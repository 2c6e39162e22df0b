// Exit codes every command keeps (README "Exit codes").
export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;

/** A usage problem or unreadable input: reported as one line, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
