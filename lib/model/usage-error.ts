/**
 * Bad input is reported one way everywhere, for the CLI and the library API alike: a UsageError
 * whose message is one line naming the bad value and what would be valid, so a typo costs one
 * glance, not a stack trace.
 */

/** Bad input from the user: the message is one line, names the value, and says what is valid. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message.replace(/\s+/g, ' ').trim());
    this.name = 'UsageError';
  }
}
