/**
 * The services' settings in a bench: the defaults a user gets from `smsgw
 * start`, except what the bench's own settings override, each override listed
 * with its reason so that the figures say what they were measured with.
 */
import type { BenchConfig } from './bench-config.ts';

/** The services' environment and the overrides it contains. */
export interface BenchServiceSettings {
  readonly env: NodeJS.ProcessEnv;
  /** `NAME=value (why)`, one per setting that is not the user's default. */
  readonly overrides: readonly string[];
}

/** Service settings a bench passes on from its own environment, listed as overrides when set (A/B runs). */
const PASSED_ON = ['DLR_DIRECT_ROOM_WAIT'] as const;

/** The environment for the services of a bench with `window` submits in flight per session. */
export function benchServiceSettings(
  config: BenchConfig,
  window: number,
  environment: NodeJS.ProcessEnv = process.env,
): BenchServiceSettings {
  const env: NodeJS.ProcessEnv = { LOG_LEVEL: config.LOG_LEVEL };
  const overrides: string[] = [];
  const override = (name: string, value: string, why: string): void => {
    env[name] = value;
    overrides.push(`${name}=${value} (${why})`);
  };
  for (const name of PASSED_ON) {
    const value = environment[name];
    if (value !== undefined) override(name, value, `${name} given`);
  }
  if (config.CONNECTOR_SIM_DELAY !== undefined) {
    override('CONNECTOR_SIM_DELAY', config.CONNECTOR_SIM_DELAY, 'CONNECTOR_SIM_DELAY given');
  }
  if (window > 100) {
    override('EDGE_SMPP_WINDOW', String(window), "the edge's inbound window must hold the client's");
  }
  if (config.BENCH_DELIVER_WINDOW !== undefined) {
    const w = String(config.BENCH_DELIVER_WINDOW);
    // One value for the edges and the dispatchers (docs/configuration.md, "Shared settings").
    override('DELIVER_WINDOW', w, 'BENCH_DELIVER_WINDOW given');
  }
  return { env, overrides };
}

/** The line that says what the services ran with. */
export function settingsLine(settings: BenchServiceSettings): string {
  return settings.overrides.length === 0
    ? 'service settings: the defaults of `smsgw start` (sim latency 500ms-3s, deliver window 10)'
    : `service settings: the defaults of \`smsgw start\` except ${settings.overrides.join(', ')}`;
}
