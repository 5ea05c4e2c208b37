/**
 * The CLI's exit codes and the errors that carry one. Anything else thrown by
 * a command is reported by its message and exits 1.
 */

/** Process exit codes of every smsgw command. */
export const ExitCode = {
  /** The command did what was asked. */
  ok: 0,
  /** It failed: NATS unreachable, account not found, an SMPP error status, a DLR timeout… */
  failure: 1,
  /** The command line was wrong: unknown option, missing or invalid argument. */
  usage: 2,
} as const;

/** One of ExitCode's values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the CLI reports as one line (no stack) and exits with `exitCode`. */
export class CliError extends Error {
  /** The process exit code to end with. */
  readonly exitCode: ExitCodeValue;

  constructor(message: string, exitCode: ExitCodeValue = ExitCode.failure, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** The command line is wrong (exit 2). */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.usage);
    this.name = 'UsageError';
  }
}

/** Ends the command with `exitCode` after it has printed everything itself (nothing more is reported). */
export class QuietExit extends CliError {
  constructor(exitCode: ExitCodeValue) {
    super('', exitCode);
    this.name = 'QuietExit';
  }
}
