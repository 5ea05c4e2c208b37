// `smsgw status --watch --json` as a real process against a real NATS: one JSON line per refresh, Ctrl-C ends it (exit 0).
import { connectNats, ensureTopology } from '@smsgw/nats';
import { childNatsUrl, startNatsServer } from '@smsgw/testing';
import { expect, it } from 'vitest';
import { spawnCli } from '../cli-process.test-support.ts';

it('refreshes until SIGINT, one JSON document per line when not on a terminal', async () => {
  const server = await startNatsServer();
  const nc = await connectNats({
    ...server.connectOptions,
    name: 'status-watch-test',
    waitOnFirstConnect: false,
  });
  try {
    await ensureTopology(nc, { owner: 'all' });
    const cli = spawnCli(['status', '--watch', '100ms', '--json', '--nats-url', childNatsUrl(server)]);
    // Three reports: the first and two refreshes.
    const deadline = Date.now() + 30_000;
    while (
      cli
        .stdout()
        .split('\n')
        .filter((l) => l !== '').length < 3
    ) {
      if (Date.now() > deadline) throw new Error(`fewer than 3 reports:\n${cli.stdout()}\n${cli.stderr()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    const reports = cli
      .stdout()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { at: string; lanes: unknown[] });
    expect(reports.length).toBeGreaterThanOrEqual(3);
    for (const r of reports) expect(r.lanes).toHaveLength(8);
  } finally {
    await nc.close();
    await server.stop();
  }
}, 60_000);
