/**
 * Where the nats-server binary is on this machine: for `smsgw start`, which
 * runs one when no NATS answers, and for the test fixtures (@smsgw/testing).
 * Here rather than in @smsgw/testing so that the CLI's production install does
 * not carry the test fixtures and testcontainers.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where nats-server is looked for after NATS_SERVER_BIN and PATH (Debian's package installs to /usr/sbin). */
const WELL_KNOWN_BINARIES = ['/usr/sbin/nats-server', '/usr/local/bin/nats-server', '/usr/bin/nats-server'];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The nats-server to run: $NATS_SERVER_BIN, else `nats-server` on PATH, else a well-known location; undefined if none. */
export function findNatsServerBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env['NATS_SERVER_BIN'];
  if (explicit !== undefined && explicit !== '') return isExecutable(explicit) ? explicit : undefined;
  const onPath = (env['PATH'] ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, 'nats-server'));
  return [...onPath, ...WELL_KNOWN_BINARIES].find(isExecutable);
}
