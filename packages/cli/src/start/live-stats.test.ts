// `smsgw start --stats`: the line's format and rates, and a sample read from a real JetStream.
import { connectNats, ensureTopology, dlrSubject, routeSubject, submitSubject } from '@smsgw/nats';
import { startNatsServer } from '@smsgw/testing';
import { describe, expect, it } from 'vitest';
import { readStatsSample, statsLine } from './live-stats.ts';

describe('live stats', () => {
  it('prints the rates between two samples, never negative, and the backlog and in-flight counts', () => {
    const before = { at: 10_000, submits: 100, dlrs: 40, backlog: 3, inFlight: 9 };
    expect(statsLine(before, { at: 15_000, submits: 2_162, dlrs: 2_030, backlog: 12, inFlight: 40 })).toBe(
      'stats: 412.4 submits/s, 398.0 DLRs/s, DLR backlog 12, in flight 40',
    );
    // Streams made again start their sequences anew.
    expect(statsLine(before, { at: 12_000, submits: 5, dlrs: 0, backlog: 0, inFlight: 0 })).toBe(
      'stats: 0.0 submits/s, 0.0 DLRs/s, DLR backlog 0, in flight 0',
    );
  });

  it('reads submits and DLRs taken in, the DLR backlog and the messages in flight from the streams', async () => {
    const server = await startNatsServer();
    const nc = await connectNats({
      ...server.connectOptions,
      name: 'live-stats-test',
      waitOnFirstConnect: false,
    });
    try {
      const { js, jsm } = await ensureTopology(nc, { owner: 'all' });
      expect(await readStatsSample(jsm, 1)).toEqual({ at: 1, submits: 0, dlrs: 0, backlog: 0, inFlight: 0 });
      await js.publish(submitSubject('a'), 's0');
      await js.publish(submitSubject('a', 2), 's1');
      await js.publish(routeSubject('sim', 0), 'r0');
      await js.publish(dlrSubject('a'), 'd0');
      await js.publish(dlrSubject('a', 3), 'd1');
      expect(await readStatsSample(jsm, 2)).toEqual({ at: 2, submits: 2, dlrs: 2, backlog: 2, inFlight: 3 });
    } finally {
      await nc.close();
      await server.stop();
    }
  });
});
