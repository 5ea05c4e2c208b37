import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectContainerRuntime, pingDockerSocket } from './container-runtime.ts';

const scratch = mkdtempSync(join(tmpdir(), 'smsgw-runtime-test-'));
const servers: { close(): unknown }[] = [];
afterAll(() => {
  for (const server of servers) server.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** A fake Docker API on a unix socket (under the scratch dir) that answers /_ping with the given status. */
async function fakeDocker(name: string, status: number): Promise<string> {
  const path = join(scratch, name);
  mkdirSync(dirname(path), { recursive: true });
  const server: Server = createServer((_req, res) => {
    res.writeHead(status).end('OK');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return path;
}

describe('pingDockerSocket', () => {
  it('is true when the socket answers 200', async () => {
    expect(await pingDockerSocket(await fakeDocker('ok.sock', 200))).toBe(true);
  });

  it('is false for an error status, a missing socket, or a socket that never answers', async () => {
    expect(await pingDockerSocket(await fakeDocker('broken.sock', 500))).toBe(false);
    expect(await pingDockerSocket(join(scratch, 'missing.sock'))).toBe(false);
    const silent = createNetServer(() => undefined);
    servers.push(silent);
    const silentPath = join(scratch, 'silent.sock');
    await new Promise<void>((resolve) => silent.listen(silentPath, resolve));
    expect(await pingDockerSocket(silentPath, 100)).toBe(false);
  });
});

describe('detectContainerRuntime', () => {
  it('trusts a non-socket DOCKER_HOST as configured', async () => {
    expect(await detectContainerRuntime({ DOCKER_HOST: 'tcp://10.0.0.1:2375' })).toEqual({
      dockerHost: 'tcp://10.0.0.1:2375',
      discoverable: true,
    });
  });

  it('checks that a unix DOCKER_HOST answers', async () => {
    const path = await fakeDocker('docker-host.sock', 200);
    expect(await detectContainerRuntime({ DOCKER_HOST: `unix://${path}` })).toEqual({
      dockerHost: `unix://${path}`,
      discoverable: true,
    });
    expect(
      await detectContainerRuntime({ DOCKER_HOST: `unix://${join(scratch, 'dead.sock')}` }),
    ).toBeUndefined();
  });

  it('finds a podman socket under XDG_RUNTIME_DIR and marks it as needing DOCKER_HOST', async () => {
    const path = await fakeDocker('xdg/podman/podman.sock', 200);
    const runtimeDir = join(scratch, 'xdg');
    const found = await detectContainerRuntime({ XDG_RUNTIME_DIR: runtimeDir, HOME: runtimeDir });
    // A real engine on this machine's /var/run/docker.sock would win; otherwise the fake podman one is found.
    if (found?.discoverable === false) expect(found.dockerHost).toBe(`unix://${path}`);
    else expect(found?.dockerHost).toMatch(/^unix:\/\//);
  });
});
