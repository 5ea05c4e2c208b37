/**
 * The system the user-default benches (bench:burst, bench:sustained) run:
 * the local system with `smsgw start`'s defaults (overrides from BENCH_*
 * listed by bench-settings.ts), one account, every process watched for CPU.
 */
import { DEFAULT_SIM_DELAY_MS } from '@smsgw/cli';
import { env } from '@smsgw/runtime';
import type { BenchConfig } from './bench-config.ts';
import { benchServiceSettings, type BenchServiceSettings } from './bench-settings.ts';
import { startLocalSystem, type LocalSystem } from './local-system.ts';
import type { WatchedProcess } from './process-cpu.ts';

/** The account the load binds as. */
export const BENCH_ACCOUNT = { systemId: 'bench', password: 'bench-pw' } as const;

/** A started system and what a bench reads of it. */
export interface DefaultSystem {
  readonly system: LocalSystem;
  readonly settings: BenchServiceSettings;
  /** The bench process, each service and nats-server. */
  readonly watched: readonly WatchedProcess[];
  /** The sim's longest latency (ms), from CONNECTOR_SIM_DELAY or its default. */
  readonly simMaxMs: number;
}

/** Starts the system for `config` (BENCH_SESSIONS sessions of BENCH_WINDOW); services' lines go to stderr. */
export async function startDefaultSystem(config: BenchConfig): Promise<DefaultSystem> {
  const settings = benchServiceSettings(config, config.BENCH_WINDOW);
  const system = await startLocalSystem({
    ...BENCH_ACCOUNT,
    maxBinds: Math.max(10, config.BENCH_SESSIONS),
    env: { ...process.env, ...settings.env },
    out: (line) => {
      console.error(line);
    },
    readyTimeoutMs: 60_000,
  });
  const watched = [
    { label: 'bench client', pid: undefined },
    ...system.services.map((s) => ({ label: s.entry.name, pid: s.pid })),
    { label: 'nats-server', pid: system.nats.pid },
  ];
  const simMaxMs = env.durationRangeMs().parse(config.CONNECTOR_SIM_DELAY ?? DEFAULT_SIM_DELAY_MS).maxMs;
  return { system, settings, watched, simMaxMs };
}
