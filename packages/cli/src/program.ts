/**
 * The `smsgw` command line: builds the commander program and runs it,
 * resolving with the exit code instead of exiting, so tests can call it.
 */
import { Command, CommanderError } from 'commander';
import { accountsCommand } from './accounts/accounts-command.ts';
import { ExitCode } from './cli-error.ts';
import { eprintln, type CliIo } from './cli-io.ts';
import { reportOf } from './error-report.ts';
import { moCommand } from './mo/mo-command.ts';
import { numbersCommand } from './numbers/numbers-command.ts';
import { receiveCommand } from './receive/receive-command.ts';
import { sendCommand } from './send/send-command.ts';
import { startCommand } from './start/start-command.ts';
import { statusCommand } from './status/status-command.ts';
import { topologyCommand } from './topology/topology-command.ts';

/** Applies output routing and exit overriding to a command and all its subcommands (addCommand does not inherit them). */
function configureTree(command: Command, io: CliIo): void {
  command
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  for (const sub of command.commands) configureTree(sub, io);
}

/** The program with every command, writing to `io`. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('smsgw')
    .description(
      'smsgw: accounts, an SMPP client for humans and scripts, the system status, and the local launcher',
    )
    .addCommand(startCommand(io))
    .addCommand(accountsCommand(io))
    .addCommand(numbersCommand(io))
    .addCommand(sendCommand(io))
    .addCommand(receiveCommand(io))
    .addCommand(moCommand(io))
    .addCommand(statusCommand(io))
    .addCommand(topologyCommand(io));
  configureTree(program, io);
  return program;
}

/** Runs the CLI with `args` (without node and script) and resolves with the exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end parsing with an "error" whose exit code is 0.
      if (err.exitCode === 0) return ExitCode.ok;
      // Commander has already printed the problem.
      return ExitCode.usage;
    }
    const { message, exitCode } = reportOf(err);
    if (message !== '') eprintln(io, `smsgw: ${message}`);
    return exitCode;
  }
}
