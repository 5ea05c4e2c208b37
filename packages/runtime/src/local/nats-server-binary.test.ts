import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findNatsServerBinary } from './nats-server-binary.ts';

const scratch = mkdtempSync(join(tmpdir(), 'smsgw-runtime-test-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('findNatsServerBinary', () => {
  it('prefers $NATS_SERVER_BIN, and reports a missing one as not found', () => {
    const fake = join(scratch, 'my-nats-server');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    expect(findNatsServerBinary({ NATS_SERVER_BIN: fake, PATH: '' })).toBe(fake);
    expect(findNatsServerBinary({ NATS_SERVER_BIN: join(scratch, 'missing'), PATH: '' })).toBeUndefined();
  });

  it('searches PATH before the well-known locations', () => {
    writeFileSync(join(scratch, 'nats-server'), '#!/bin/sh\n');
    chmodSync(join(scratch, 'nats-server'), 0o755);
    expect(findNatsServerBinary({ PATH: `/nonexistent:${scratch}` })).toBe(join(scratch, 'nats-server'));
  });
});
