import { request } from 'node:http';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';

/** How long one socket may take to answer the Docker API ping before it counts as dead. */
const PING_TIMEOUT_MS = 1_000;

/** A container engine that answered. */
export interface ContainerRuntime {
  /** What to give testcontainers as DOCKER_HOST, e.g. `unix:///var/run/docker.sock`. */
  readonly dockerHost: string;
  /** Whether testcontainers finds it by itself (DOCKER_HOST or a socket it knows); otherwise DOCKER_HOST must be set. */
  readonly discoverable: boolean;
}

/** Docker-API sockets to try: testcontainers' own list first, then podman's, which it does not look for. */
function candidateSockets(env: NodeJS.ProcessEnv): { path: string; discoverable: boolean }[] {
  const home = env['HOME'];
  const runtimeDir = env['XDG_RUNTIME_DIR'];
  const known = ['/var/run/docker.sock'];
  if (home !== undefined)
    known.push(join(home, '.docker/run/docker.sock'), join(home, '.docker/desktop/docker.sock'));
  if (runtimeDir !== undefined) known.push(join(runtimeDir, 'docker.sock'));
  const podman = ['/run/podman/podman.sock'];
  if (runtimeDir !== undefined) podman.unshift(join(runtimeDir, 'podman/podman.sock'));
  return [
    ...known.map((path) => ({ path, discoverable: true })),
    ...podman.map((path) => ({ path, discoverable: false })),
  ];
}

/** Whether the Docker API behind a unix socket answers GET /_ping with 200 in time. */
export function pingDockerSocket(socketPath: string, timeoutMs = PING_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    // No socket, refused, reset: there is no engine behind it, which is the answer sought.
    req.on('error', () => {
      resolve(false);
    });
    req.end();
  });
}

async function isSocket(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isSocket();
  } catch {
    return false;
  }
}

/**
 * Finds a container engine testcontainers can use, quickly: DOCKER_HOST when
 * set (a unix socket must answer; tcp/ssh endpoints are trusted as
 * configured), else the first well-known Docker or podman socket that answers
 * a ping. Undefined when there is none: a docker CLI without a daemon does
 * not count. Takes milliseconds when no socket file exists.
 */
export async function detectContainerRuntime(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ContainerRuntime | undefined> {
  const dockerHost = env['DOCKER_HOST'];
  if (dockerHost !== undefined && dockerHost !== '') {
    if (!dockerHost.startsWith('unix://')) return { dockerHost, discoverable: true };
    return (await pingDockerSocket(dockerHost.slice('unix://'.length)))
      ? { dockerHost, discoverable: true }
      : undefined;
  }
  for (const { path, discoverable } of candidateSockets(env)) {
    if ((await isSocket(path)) && (await pingDockerSocket(path))) {
      return { dockerHost: `unix://${path}`, discoverable };
    }
  }
  return undefined;
}
