/**
 * @smsgw/cli — the `smsgw` command line as a library, for tests and tooling:
 * run it in-process with runCli, or use the command actions directly.
 */
export { runCli, buildProgram } from './program.ts';
export { ExitCode, CliError, UsageError, QuietExit, type ExitCodeValue } from './cli-error.ts';
export { processIo, type CliIo, type TextSink } from './cli-io.ts';
export { DEFAULT_NATS_URL, natsUrlOf, connectCliNats } from './nats-connection.ts';
export {
  addAccount,
  listAccounts,
  showAccount,
  updateAccount,
  setAccountPassword,
  removeAccount,
  type AccountSettings,
} from './accounts/accounts-actions.ts';
export { runSend, type SendPlan, type SendReport, type SubmitOutcome } from './send/run-send.ts';
export { runStart, type StartOptions } from './start/run-start.ts';
export { DEMO_SYSTEM_ID, ensureDemoAccount } from './start/demo-account.ts';
