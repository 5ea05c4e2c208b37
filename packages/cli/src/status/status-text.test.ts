// `smsgw status` as text: ages, aligned tables, and the parts shown for a status without receivers or backlog.
import { describe, expect, it } from 'vitest';
import type { SystemStatus } from './read-status.ts';
import { shortAge, statusText, table } from './status-text.ts';

describe('status text', () => {
  it('writes ages short', () => {
    expect([undefined, 999, 59_000, 61_000, 3_600_000 + 5 * 60_000, 3 * 86_400_000].map(shortAge)).toEqual([
      '-',
      '0s',
      '59s',
      '1m',
      '1h05m',
      '3d',
    ]);
  });

  it('aligns columns', () => {
    expect(
      table([
        ['A', 'BB'],
        ['ccc', 'd'],
      ]),
    ).toEqual(['  A    BB', '  ccc  d']);
  });

  it('says so when nothing is bound, waiting or announced', () => {
    const status: SystemStatus = {
      at: '2026-12-05T08:00:00.000Z',
      streams: [{ stream: 'SMS_SUBMIT', messages: 0, bytes: 0, lastSeq: 0, consumers: 1 }],
      lanes: [],
      dlrBacklog: [],
      edges: [],
      connectors: [{ connector: 'upstream', replicas: [], pending: 7 }],
    };
    const text = statusText(status, 'nats://n:4222').join('\n');
    expect(text).toContain('smsgw status of nats://n:4222 at 2026-12-05T08:00:00.000Z');
    expect(text).toContain('(no receivers bound anywhere)');
    expect(text).toMatch(/^ {2}SMS_SUBMIT +0 +-$/m);
    expect(text).toMatch(/^DLR backlog\n {2}\(empty\)$/m);
    expect(text).toMatch(/^ {2}upstream +\(no replica\) +- +- +- +7$/m);
  });
});
