/**
 * PresenceView against a real presence bucket: what it loads at start, what a
 * put, a refresh and a delete do to it and its listeners, expiry of entries
 * whose owner stopped refreshing them (a driven clock), and an unreadable entry.
 */
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, encodePresenceValue, ensureTopology, presenceKey } from '@smsgw/nats';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger, waitFor } from './dispatcher.test-support.ts';
import { PresenceView } from './presence-view.ts';

const TTL_MS = 60_000;
let server: NatsServerHandle;
let nc: NatsConnection;
let kv: KV;
const views: PresenceView[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({ ...server.connectOptions, name: 'presence-view-test', waitOnFirstConnect: false });
  kv = (await ensureTopology(nc, { owner: 'all' })).kv.presence;
});

afterEach(async () => {
  for (const view of views.splice(0)) await view.close();
  for await (const key of await kv.keys()) await kv.purge(key);
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

async function announce(account: string, pod: string, receivers: number, port = 9091): Promise<void> {
  await kv.put(
    presenceKey(account, pod),
    encodePresenceValue({
      pod,
      grpcAddress: `${pod}.edge:${String(port)}`,
      receivers,
      updatedAt: new Date().toISOString(),
    }),
  );
}

async function startView(now?: () => number): Promise<{ view: PresenceView; changes: string[] }> {
  const { logger } = captureLogger();
  const view = new PresenceView({ kv, ttlMs: TTL_MS, logger, ...(now === undefined ? {} : { now }) });
  views.push(view);
  const changes: string[] = [];
  view.onChange((account) => changes.push(account));
  await view.start();
  return { view, changes };
}

describe('PresenceView', () => {
  it('loads what the bucket holds before start() resolves, most receivers first', async () => {
    await announce('acme', 'edge-0', 1);
    await announce('acme', 'edge-1', 3);
    await announce('globex', 'edge-0', 2);
    const { view } = await startView();
    expect(view.accounts().sort()).toEqual(['acme', 'globex']);
    expect(view.pods('acme').map((p) => [p.pod, p.grpcAddress, p.receivers])).toEqual([
      ['edge-1', 'edge-1.edge:9091', 3],
      ['edge-0', 'edge-0.edge:9091', 1],
    ]);
    expect(view.pods('nobody')).toEqual([]);
  });

  it('follows puts and deletes, and tells listeners only of changes (a plain refresh is not one)', async () => {
    const { view, changes } = await startView();
    await announce('acme', 'edge-0', 1);
    await waitFor('the put seen', () => view.pods('acme').length === 1);
    await announce('acme', 'edge-0', 1); // the edge's refresh
    await announce('acme', 'edge-0', 2); // a second receiver bound
    await waitFor('the second receiver seen', () => view.pods('acme')[0]?.receivers === 2);
    await kv.delete(presenceKey('acme', 'edge-0')); // the last receiver went
    await waitFor('the delete seen', () => view.accounts().length === 0);
    expect(changes).toEqual(['acme', 'acme', 'acme']);
  });

  it('expires an entry its owner stopped refreshing for one TTL, and tells listeners', async () => {
    let clock = 1_000_000;
    await announce('acme', 'edge-0', 1);
    await announce('acme', 'edge-1', 1);
    const { view, changes } = await startView(() => clock);
    const loaded = changes.length; // the two entries found at start
    clock += TTL_MS / 2;
    await announce('acme', 'edge-1', 1); // edge-1 refreshes, edge-0 died (seenAt: now less the entry's age)
    await waitFor(
      'the refresh seen',
      () => (view.pods('acme').find((p) => p.pod === 'edge-1')?.seenAt ?? 0) > clock - 1_000,
    );
    clock += TTL_MS / 2 + 1;
    view.sweep();
    expect(view.pods('acme').map((p) => p.pod)).toEqual(['edge-1']);
    expect(changes.slice(loaded)).toEqual(['acme']);
    clock += TTL_MS;
    view.sweep();
    expect(view.accounts()).toEqual([]);
  });

  it('ignores an unreadable entry with a warning and keeps following', async () => {
    const { logger, lines } = captureLogger();
    const view = new PresenceView({ kv, ttlMs: TTL_MS, logger });
    views.push(view);
    await view.start();
    await kv.put(presenceKey('acme', 'edge-0'), 'not json');
    await announce('acme', 'edge-1', 1);
    await waitFor('the readable entry seen', () => view.pods('acme').length === 1);
    expect(view.pods('acme')[0]?.pod).toBe('edge-1');
    expect(lines().some((l) => l.msg === 'unreadable presence entry ignored')).toBe(true);
  });
});
