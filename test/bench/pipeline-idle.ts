/** Waits for the pipeline behind the edge to finish its work: WorkQueue streams empty once every message is acked. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { JetStreamManager } from '@nats-io/jetstream';

/**
 * Polls until every stream in `streams` holds no message (each WorkQueue's
 * consumer has acked all), or `timeoutMs` passes; says which did not drain
 * through `note` instead of throwing (the run goes on, its figures noted as
 * taken with work left).
 */
export async function waitForIdlePipeline(
  jsm: JetStreamManager,
  streams: readonly string[],
  timeoutMs: number,
  note: (line: string) => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await Promise.all(
      streams.map(async (name) => (await jsm.streams.info(name)).state.messages),
    );
    if (counts.every((n) => n === 0)) return;
    if (Date.now() >= deadline) {
      const left = streams.map((name, i) => `${name} ${counts[i] ?? '?'}`).join(', ');
      note(`pipeline not idle after ${timeoutMs} ms (${left} messages left): raw phase runs anyway`);
      return;
    }
    await sleep(200);
  }
}
