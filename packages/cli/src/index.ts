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
// The launcher's parts, for tools that run the local system their own way (test/bench/gateway-bench.ts).
export { discoverServices, REPO_ROOT, type ServiceEntry } from './start/discover-services.ts';
export { DEFAULT_SIM_DELAY_MS, serviceEnv, type LaunchSettings } from './start/service-env.ts';
export { ServiceProcess, type ServiceExit } from './start/service-process.ts';
export { formatServiceLine } from './start/log-lines.ts';
export { percentile, summarizeLatency, type LatencySummary } from './send/latency-stats.ts';
export { receiptOf, type Receipt } from './send/receipt-collector.ts';
// The provisioner's settings (smsgw topology apply): the deploy files and docs are checked against them.
export { topologySettingsSchema, type TopologySettings } from './topology/topology-settings.ts';
