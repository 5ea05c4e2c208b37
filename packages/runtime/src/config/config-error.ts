/** One environment variable that failed validation, and why. */
export interface ConfigIssue {
  /** The variable's name, e.g. `EDGE_SMPP_PORT` (dotted when a schema nests, which env schemas rarely do). */
  readonly variable: string;
  /** Why it is wrong, e.g. `expected an integer 1–65535, got "abc"`. */
  readonly message: string;
}

/**
 * The environment does not satisfy the service's config schema. The message names every bad
 * variable at once, so one failed start shows everything to fix, not just the first problem.
 */
export class ConfigError extends Error {
  /** Every bad variable, in schema order. */
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options?: ErrorOptions) {
    super(`invalid configuration: ${issues.map((i) => `${i.variable}: ${i.message}`).join('; ')}`, options);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
