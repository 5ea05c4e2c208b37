import { detectContainerRuntime } from './container-runtime.ts';
import { NatsFixtureError } from './errors.ts';
import { startBinaryNatsCluster } from './nats-cluster-binary.ts';
import { startContainerNatsCluster } from './nats-cluster-container.ts';
import type { NatsClusterHandle } from './nats-cluster-handle.ts';
import { findNatsServerBinary } from '@smsgw/runtime';

/** Options of startNatsCluster(). */
export interface NatsClusterOptions {
  /** As startNatsServer's backend (SMSGW_TEST_NATS sets the default): a container engine first, else the binary. */
  backend?: 'auto' | 'binary' | 'container';
  /** Startup wait limit, until the cluster has a JetStream meta leader (binary default 30 s, container 120 s). */
  startTimeoutMs?: number;
}

function backendOf(options: NatsClusterOptions): 'auto' | 'binary' | 'container' {
  const chosen = options.backend ?? process.env['SMSGW_TEST_NATS'] ?? 'auto';
  if (chosen === '' || chosen === 'auto') return 'auto';
  if (chosen === 'binary' || chosen === 'container') return chosen;
  throw new NatsFixtureError(`SMSGW_TEST_NATS must be auto, binary or container, not '${chosen}'`);
}

/**
 * Starts a three-node NATS cluster with JetStream for one test file: in
 * containers when a container engine is reachable, else three local
 * nats-server processes on loopback. Throws a NatsFixtureError when neither
 * exists, so that a chaos test never passes by skipping. Stop it in afterAll;
 * leftover processes are killed when the test process exits.
 */
export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<NatsClusterHandle> {
  const backend = backendOf(options);
  const timeout = options.startTimeoutMs === undefined ? {} : { startTimeoutMs: options.startTimeoutMs };
  if (backend !== 'binary') {
    const runtime = await detectContainerRuntime();
    if (runtime !== undefined) return startContainerNatsCluster(runtime, timeout);
    if (backend === 'container') {
      throw new NatsFixtureError(
        'SMSGW_TEST_NATS=container, but no container engine answered (DOCKER_HOST or a docker/podman socket)',
      );
    }
  }
  if (findNatsServerBinary() === undefined) {
    throw new NatsFixtureError(
      'no NATS cluster for tests: no container engine answered and nats-server was not found ($NATS_SERVER_BIN, PATH, /usr/sbin/nats-server); install nats-server or start Docker',
    );
  }
  return startBinaryNatsCluster(timeout);
}
