/** The gateway bench's settings, read from BENCH_* variables (see gateway-bench.ts for what each does). */
import { env, loadConfig } from '@smsgw/runtime';
import { z } from 'zod';
import { DOWNSTREAM_MODES } from './downstream.ts';

/** The BENCH_* variables and their defaults. */
const benchSchema = z.object({
  /** SMPP sessions (transceivers) bound to the one edge. */
  BENCH_SESSIONS: env.integer({ min: 1, max: 1_000 }).default(4),
  /** Unanswered submit_sm per session. */
  BENCH_WINDOW: env.integer({ min: 1, max: 10_000 }).default(50),
  /** Messages to submit, across all sessions (ignored when BENCH_DURATION is set). */
  BENCH_MESSAGES: env.integer({ min: 1, max: 10_000_000 }).default(20_000),
  /** Submit for this long instead of a fixed count. */
  BENCH_DURATION: env.durationMs({ min: 1_000, max: 3_600_000 }).optional(),
  /** Rounds of (edge phase, raw phase); the figures are their medians. */
  BENCH_ROUNDS: env.integer({ min: 1, max: 20 }).default(5),
  /** Messages of the warm-up round before the measured ones (both phases; 0: none). */
  BENCH_WARMUP: env.integer({ min: 0, max: 1_000_000 }).default(2_000),
  /** Longest wait for the DLRs after the last submit_sm_resp. */
  BENCH_DLR_TIMEOUT: env.durationMs({ min: 0, max: 3_600_000 }).default(30_000),
  /** The sim connector's latency (CONNECTOR_SIM_DELAY, e.g. `0` or `500ms-3s`); unset: the default a user gets from `smsgw start`. */
  CONNECTOR_SIM_DELAY: env.nonEmptyString().optional(),
  /** The edge's deliver_sm window per session and the dispatchers' (DELIVER_WINDOW); unset: the defaults. */
  BENCH_DELIVER_WINDOW: env.integer({ min: 1, max: 10_000 }).optional(),
  /** bench:sustained: offer this many submits per second (one run) instead of searching for the highest sustained rate. */
  BENCH_RATE: env.integer({ min: 1, max: 1_000_000 }).optional(),
  /** bench:sustained: how long each offered rate runs. */
  BENCH_STEP_DURATION: env.durationMs({ min: 1_000, max: 600_000 }).default(10_000),
  /** The services' log level (warnings and errors are shown on stderr). */
  LOG_LEVEL: env.logLevel().default('warn'),
  /** How the router, connector and dlr-dispatcher share the machine with the edge path (downstream.ts). */
  BENCH_DOWNSTREAM: z.enum(DOWNSTREAM_MODES).default('nice'),
  /** When set, the profiled services run with `--cpu-prof` and write their profiles into this directory when they stop. */
  BENCH_EDGE_PROFILE_DIR: env.nonEmptyString().optional(),
  /** The services profiled with BENCH_EDGE_PROFILE_DIR, comma-separated (e.g. `edge,dlr-dispatcher`). */
  BENCH_PROFILE_SERVICES: env.nonEmptyString().default('edge'),
});

/** The bench's parsed settings. */
export type BenchConfig = z.output<typeof benchSchema>;

/** Reads the settings from the environment; throws ConfigError naming every bad variable. */
export function loadBenchConfig(environment: NodeJS.ProcessEnv = process.env): BenchConfig {
  return loadConfig(benchSchema, environment);
}
