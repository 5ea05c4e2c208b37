/**
 * Turns whatever a command threw into one line on stderr and an exit code:
 * typed errors get their own wording, nothing is swallowed silently.
 */
import {
  AccountExistsError,
  AccountNotFoundError,
  InvalidAccountError,
  InvalidPasswordError,
} from '@smsgw/accounts';
import { CliError, ExitCode, type ExitCodeValue } from './cli-error.ts';

/** The message and exit code for an error thrown by a command. */
export function reportOf(err: unknown): { message: string; exitCode: ExitCodeValue } {
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode };
  if (err instanceof AccountExistsError) {
    return {
      message: `${err.message} (change it with \`smsgw accounts update\`)`,
      exitCode: ExitCode.failure,
    };
  }
  if (err instanceof AccountNotFoundError) return { message: err.message, exitCode: ExitCode.failure };
  // Values given on the command line that the account model refuses: a usage error.
  if (err instanceof InvalidAccountError || err instanceof InvalidPasswordError) {
    return { message: err.message, exitCode: ExitCode.usage };
  }
  if (err instanceof Error) return { message: err.message, exitCode: ExitCode.failure };
  return { message: String(err), exitCode: ExitCode.failure };
}
