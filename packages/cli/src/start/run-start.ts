/**
 * `smsgw start`: everything on this machine with one command. NATS (found or
 * started), the topology, the demo account, a self-signed certificate, then
 * every service as a child process; a banner says how to send a first
 * message. Runs until `stop` aborts (SIGINT/SIGTERM), then stops the
 * services one by one, edge first (SIGTERM, grace period, SIGKILL), then NATS
 * if it started it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountStore } from '@smsgw/accounts';
import { ensureTopology, type TopologyOptions } from '@smsgw/nats';
import { CliError, ExitCode, type ExitCodeValue } from '../cli-error.ts';
import { println, type CliIo } from '../cli-io.ts';
import { connectCliNats, DEFAULT_NATS_URL } from '../nats-connection.ts';
import { writeSelfSignedCertificate, type CertificateFiles } from './certificate.ts';
import { DEMO_SYSTEM_ID, ensureDemoAccount, generatePassword } from './demo-account.ts';
import { discoverServices, REPO_ROOT } from './discover-services.ts';
import { withUpstream } from './upstream-launch.ts';
import { UPSTREAM_CONNECTOR } from './upstream-url.ts';
import { provideNats, type ProvidedNats } from './nats-provision.ts';
import { serviceEnv, type LaunchSettings } from './service-env.ts';
import { ServiceProcess, type ServiceExit } from './service-process.ts';
import { supervise, type RestartBackoff } from './supervise.ts';
import { waitAllReady } from './wait-all-ready.ts';
import { startLiveStats } from './live-stats.ts';
import { topologyOptionsOf, topologySettingsOf } from '../topology/topology-settings.ts';

/** What `smsgw start` was asked for. */
export interface StartOptions {
  /** --nats-url, else NATS_URL; undefined: the default, started if it does not answer. */
  readonly natsUrl?: string;
  readonly smppPort: number;
  readonly tlsPort: number;
  readonly tls: boolean;
  readonly adminPortBase: number;
  readonly grpcPort: number;
  readonly readyTimeoutMs: number;
  readonly stopGraceMs: number;
  /**
   * JetStream replicas of every stream and bucket (--replicas): the topology is
   * created with them and every service gets them as NATS_REPLICAS, so that no
   * stream is created at 1 replica and raised later (on nats-server 2.9 a stream
   * raised that way kept every acknowledged message: docs/operations.md).
   */
  readonly replicas?: number;
  readonly pretty: boolean;
  /** The demo password; generated when undefined. */
  readonly demoPassword?: string;
  /** --upstream: the SMPP_* variables of an extra smpp connector `upstream`, made the default route. */
  readonly upstream?: Readonly<Record<string, string>>;
  /** The checkout whose services/ to run. */
  readonly root?: string;
  /** The back-off before a service that exited on its own is started again (tests shorten it). */
  readonly restartBackoff?: RestartBackoff;
  /** --stats: a one-line live summary (live-stats.ts) this often once everything is ready; undefined: none. */
  readonly statsEveryMs?: number;
}

function describeExit(exit: ServiceExit): string {
  return exit.signal === null ? `code ${String(exit.code)}` : exit.signal;
}

/** Which services exited before every service was ready, and why, as far as their output says. */
async function exitedBeforeReady(services: readonly ServiceProcess[]): Promise<string> {
  const parts = await Promise.all(
    services.map(async (s) => {
      const exit = await s.exited;
      const cause = await s.failureCause();
      return `${s.entry.name} exited before it was ready (${describeExit(exit)}): ${cause ?? 'see its output above'}`;
    }),
  );
  return `${parts.join('; ')}; stopped everything`;
}

/** Which services were not ready in time, with what their /readyz last said. */
function notReadyInTime(services: readonly ServiceProcess[], timeoutMs: number): string {
  const parts = services.map((s) => `${s.entry.name} (${s.notReadyReason})`);
  return `not ready after ${timeoutMs} ms: ${parts.join(', ')}; stopped everything (see their output above)`;
}

/** The lines that tell a person what runs where and how to send a first message. */
function banner(
  opts: StartOptions,
  natsUrl: string,
  password: string,
  cert: CertificateFiles | undefined,
  hasEdge: boolean,
): string[] {
  const portArg = opts.smppPort === 2775 ? '' : ` --port ${opts.smppPort}`;
  const tlsPortArg = opts.tlsPort === 8775 ? '' : ` --port ${opts.tlsPort}`;
  // A number the sim connector delivers (last digit 0), and the delivery report waited for on the same session.
  const sendArgs = `--system-id ${DEMO_SYSTEM_ID} --password '${password}' --to 4512345670 "Hello" --wait-dlr`;
  const lines = [
    'smsgw start: ready',
    '',
    `  NATS      ${natsUrl}${natsUrl === DEFAULT_NATS_URL ? '' : `   (export NATS_URL=${natsUrl} for \`smsgw accounts\`)`}`,
    `  account   system_id ${DEMO_SYSTEM_ID}, password ${password}   (reset on every start)`,
  ];
  if (!hasEdge) {
    lines.push(
      '  SMPP      no edge service in this checkout yet (services/edge/src/main.ts): nothing listens for SMPP',
    );
  } else {
    lines.push(`  SMPP      127.0.0.1:${opts.smppPort}`);
    if (cert !== undefined)
      lines.push(`  SMPP/TLS  127.0.0.1:${opts.tlsPort}   (self-signed certificate ${cert.certFile})`);
    lines.push('', 'Send a first message:', `  ./run smsgw send${portArg} ${sendArgs}`);
    if (cert !== undefined)
      lines.push('Over TLS:', `  ./run smsgw send --tls --ca ${cert.certFile}${tlsPortArg} ${sendArgs}`);
  }
  lines.push('', 'Ctrl-C stops everything.', '');
  return lines;
}

async function setUpNats(
  nats: ProvidedNats,
  password: string,
  topologyOptions: TopologyOptions,
  note: (l: string) => void,
): Promise<void> {
  try {
    // The provisioner: create what is missing (at the replicas the services will ask for) and apply
    // the stream limits (docs/configuration.md, "Stream limits"); leave every other setting to the
    // service that owns the object.
    const topology = await ensureTopology(nats.nc, { owner: 'provisioner', ...topologyOptions });
    const done = await ensureDemoAccount(new AccountStore(topology.kv.accounts), password);
    note(
      `NATS ${nats.url}: topology in place, demo account ${done === 'created' ? 'created' : 'password reset'}`,
    );
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new CliError(`cannot set up NATS at ${nats.url} (is JetStream enabled?): ${reason}`, 1, {
      cause: err,
    });
  }
}

/** Runs until `stop` aborts; `force` aborting (a second Ctrl-C) kills the services at once. Resolves with the exit code. */
export async function runStart(
  opts: StartOptions,
  io: CliIo,
  stop: AbortSignal,
  force?: AbortSignal,
): Promise<ExitCodeValue> {
  const note = (line: string): void => {
    println(io, `smsgw start: ${line}`);
  };
  // The stream limits from smsgw start's environment (DLR_BACKLOG_MAX…), read as `smsgw topology apply`
  // reads them; a bad one fails before anything starts.
  const topologyOptions = {
    ...topologyOptionsOf(topologySettingsOf(io.env)),
    replicas: opts.replicas ?? 1,
  };
  const nats = await provideNats(opts.natsUrl, note);
  let certDir: string | undefined;
  const children: ServiceProcess[] = [];
  let stopping = false;
  let ready = false;
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const password = opts.demoPassword ?? generatePassword();
    try {
      await setUpNats(nats, password, topologyOptions, note);
    } finally {
      // The services keep their own connections; ours was for setting up only.
      await nats.nc.close();
    }
    let cert: CertificateFiles | undefined;
    if (opts.tls) {
      certDir = await mkdtemp(join(tmpdir(), 'smsgw-start-tls-'));
      cert = await writeSelfSignedCertificate(certDir);
    }
    const settings: LaunchSettings = {
      natsUrl: nats.url,
      smppPort: opts.smppPort,
      ...(cert === undefined
        ? {}
        : { tls: { port: opts.tlsPort, certFile: cert.certFile, keyFile: cert.keyFile } }),
      adminPortBase: opts.adminPortBase,
      grpcPort: opts.grpcPort,
      replicas: opts.replicas ?? 1,
    };
    const services = await discoverServices(opts.root ?? REPO_ROOT);
    if (services.length === 0) note('no services found (services/*/src/main.ts)');
    const launches = withUpstream(services, opts.upstream);
    if (opts.upstream !== undefined) {
      note(
        `connector "${UPSTREAM_CONNECTOR}" (smpp) to ${opts.upstream['CONNECTOR_SMPP_HOST'] ?? '?'}:${opts.upstream['CONNECTOR_SMPP_PORT'] ?? '?'} is the default route; the sim stays available by route`,
      );
    }
    const spawnService = (i: number): ServiceProcess => {
      const launch = launches[i];
      if (launch === undefined) throw new CliError(`no service ${String(i)}`);
      const { entry, extraEnv } = launch;
      const env = { ...serviceEnv(entry.name, i, settings, io.env), ...extraEnv };
      return new ServiceProcess(
        entry,
        env,
        opts.adminPortBase + i + 1,
        (line) => {
          println(io, line);
        },
        opts.pretty,
      );
    };
    launches.forEach(({ entry }, i) => {
      const child = spawnService(i);
      children.push(child);
      note(`started ${entry.name} (pid ${String(child.pid)}, admin http://127.0.0.1:${child.adminPort})`);
      void child.exited.then((exit) => {
        if (!stopping && !ready) note(`${entry.name} exited on its own (${describeExit(exit)})`);
      });
    });
    force?.addEventListener('abort', () => {
      for (const c of children) c.kill();
    });

    const startup = await waitAllReady(children, opts.readyTimeoutMs, stop);
    if (startup.kind === 'stopped') return ExitCode.ok;
    // The banner promises a working gateway: without it, the others are stopped (finally) and the exit code says so.
    if (startup.kind === 'exited') throw new CliError(await exitedBeforeReady(startup.services));
    if (startup.kind === 'timeout') throw new CliError(notReadyInTime(startup.services, opts.readyTimeoutMs));
    for (const line of banner(
      opts,
      nats.url,
      password,
      cert,
      services.some((s) => s.name === 'edge'),
    ))
      println(io, line);

    if (opts.statsEveryMs !== undefined) {
      const statsNc = await connectCliNats(nats.url, 'smsgw-start-stats');
      const stats = startLiveStats(statsNc, io, opts.statsEveryMs);
      cleanups.push(async () => {
        stats.stop();
        await statsNc.close();
      });
    }

    // Run until asked to stop, starting again any service that exits on its own (supervise.ts).
    ready = true;
    await supervise({
      children,
      respawn: spawnService,
      stop,
      note,
      describeExit,
      readyTimeoutMs: opts.readyTimeoutMs,
      ...(opts.restartBackoff === undefined ? {} : { backoff: opts.restartBackoff }),
    });
    return ExitCode.ok;
  } finally {
    stopping = true;
    for (const cleanup of cleanups) await cleanup();
    if (children.some((c) => c.running))
      note(
        `stopping ${children
          .filter((c) => c.running)
          .map((c) => c.entry.name)
          .join(', ')}`,
      );
    // Reverse start order, so the edge first (no new submits); each drains what it holds, the rest waits in JetStream.
    for (const child of [...children].reverse()) {
      const exit = await child.stop(opts.stopGraceMs);
      note(`${child.entry.name} stopped (${describeExit(exit)})`);
    }
    if (nats.spawned !== undefined) {
      await nats.spawned.stop();
      note('NATS stopped');
    }
    if (certDir !== undefined) await rm(certDir, { recursive: true, force: true });
    note('bye');
  }
}
