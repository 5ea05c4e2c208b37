/**
 * PriorityLanes' scheduling against scripted consumers: which lane take()
 * serves, and when it waits for a higher lane instead.
 */
import type { Consumer, JsMsg } from '@nats-io/jetstream';
import { createLogger } from '@smsgw/runtime';
import { describe, expect, it } from 'vitest';
import { PriorityLanes } from './priority-lanes.ts';
import type { Priority } from './topology.ts';

const silentLogger = () => createLogger({ service: 'nats-test', pod: 'test', level: 'silent' });

/** One pull the reader made: the test delivers into it and ends it. */
class Pull {
  readonly #queue: (JsMsg | null)[] = [];
  #wake: (() => void) | undefined;
  readonly batch: number;

  constructor(batch: number) {
    this.batch = batch;
  }

  deliver(...messages: JsMsg[]): void {
    this.#queue.push(...messages);
    this.#wake?.();
  }

  end(): void {
    this.#queue.push(null);
    this.#wake?.();
  }

  close(): Promise<void> {
    this.end();
    return Promise.resolve();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<JsMsg> {
    for (;;) {
      const next = this.#queue.shift();
      if (next === null) return;
      if (next !== undefined) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}

/** A consumer whose pulls the test answers by hand. */
class ScriptedConsumer {
  readonly pulls: Pull[] = [];

  fetch(options: { max_messages: number }): Promise<Pull> {
    const pull = new Pull(options.max_messages);
    this.pulls.push(pull);
    return Promise.resolve(pull);
  }

  /** The newest pull, once the reader made it. */
  async pull(index: number): Promise<Pull> {
    for (let i = 0; i < 100 && this.pulls.length <= index; i++) await tick();
    const pull = this.pulls[index];
    if (pull === undefined) throw new Error(`no pull #${index}`);
    return pull;
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A lane message: `id` for the test, `pending` as the server's num_pending after it. */
function msg(id: string, pending = 0): JsMsg {
  return { id, info: { pending }, working: () => undefined, nak: () => undefined } as unknown as JsMsg;
}

function idOf(taken: { message: JsMsg } | undefined): string | undefined {
  return (taken?.message as unknown as { id: string } | undefined)?.id;
}

function lanes(pendingAtStart: Partial<Record<Priority, number>>): {
  lanes: PriorityLanes;
  consumers: Record<Priority, ScriptedConsumer>;
} {
  const consumers = {
    0: new ScriptedConsumer(),
    1: new ScriptedConsumer(),
    2: new ScriptedConsumer(),
    3: new ScriptedConsumer(),
  };
  const priorities: Priority[] = [0, 1, 2, 3];
  const result = new PriorityLanes({
    sources: priorities.map((priority) => ({
      priority,
      consumer: consumers[priority] as unknown as Consumer,
      pendingAtStart: pendingAtStart[priority] ?? 0,
    })),
    prefetch: 4,
    expiresMs: 1_000,
    logger: silentLogger(),
  });
  result.start();
  return { lanes: result, consumers };
}

describe('PriorityLanes', () => {
  it('serves the highest lane that has a message', async () => {
    const { lanes: l, consumers } = lanes({});
    (await consumers[0].pull(0)).deliver(msg('a0'));
    (await consumers[2].pull(0)).deliver(msg('c0'));
    await tick();
    expect(idOf(l.take())).toBe('c0');
    expect(idOf(l.take())).toBe('a0');
    expect(l.take()).toBeUndefined();
    l.abandon();
  });

  it('at start, waits for a lane that had messages pending before serving a lower one', async () => {
    const { lanes: l, consumers } = lanes({ 3: 1, 0: 100 });
    (await consumers[0].pull(0)).deliver(msg('a0', 99));
    await tick();
    expect(l.take()).toBeUndefined();
    (await consumers[3].pull(0)).deliver(msg('urgent'));
    await tick();
    expect(idOf(l.take())).toBe('urgent');
    expect(idOf(l.take())).toBe('a0');
    l.abandon();
  });

  it('keeps waiting for a higher lane whose last message said more are pending, until a pull comes back short', async () => {
    const { lanes: l, consumers } = lanes({});
    const high = await consumers[3].pull(0);
    (await consumers[1].pull(0)).deliver(msg('low'));
    high.deliver(msg('h0', 7));
    await tick();
    expect(idOf(l.take())).toBe('h0');
    // Lane 3 is empty for the moment, but the server said 7 more are pending.
    expect(l.take()).toBeUndefined();
    high.deliver(msg('h1', 6));
    await tick();
    expect(idOf(l.take())).toBe('h1');
    expect(l.take()).toBeUndefined();
    // The pull ends short of its batch: lane 3 is empty (or another replica took the rest).
    high.end();
    await tick();
    expect(idOf(l.take())).toBe('low');
    l.abandon();
  });

  it('is finished once intake stopped and the open pulls ended with nothing left', async () => {
    const { lanes: l, consumers } = lanes({});
    const pulls = await Promise.all([0, 1, 2, 3].map((p) => consumers[p as Priority].pull(0)));
    pulls[2]?.deliver(msg('late'));
    l.stopIntake();
    expect(l.finished).toBe(false);
    for (const pull of pulls) pull.end();
    await l.closed();
    expect(l.finished).toBe(false);
    expect(idOf(l.take())).toBe('late');
    expect(l.finished).toBe(true);
  });
});

describe('PriorityLanes shares and exclusions', () => {
  function shared(lowerLaneEvery: number): { lanes: PriorityLanes; consumers: ScriptedConsumer[] } {
    const consumers = [0, 1, 2, 3].map(() => new ScriptedConsumer());
    const result = new PriorityLanes({
      sources: [0, 1, 2, 3].map((p) => ({
        priority: p as Priority,
        consumer: consumers[p] as unknown as Consumer,
        pendingAtStart: 0,
      })),
      prefetch: 20,
      expiresMs: 1_000,
      logger: silentLogger(),
      lowerLaneEvery,
    });
    result.start();
    return { lanes: result, consumers };
  }

  it('gives the lower lanes one take in N while a higher lane stays busy, the lower lanes taking turns', async () => {
    const { lanes: l, consumers } = shared(4);
    const ids = (p: number, n: number): JsMsg[] => Array.from({ length: n }, (_, i) => msg(`p${p}-${i}`));
    (await consumers[3]!.pull(0)).deliver(...ids(3, 12));
    (await consumers[2]!.pull(0)).deliver(...ids(2, 2));
    (await consumers[0]!.pull(0)).deliver(...ids(0, 2));
    await tick();
    const order = Array.from({ length: 16 }, () => idOf(l.take())?.slice(0, 2));
    expect(order).toEqual([
      ...['p3', 'p3', 'p3', 'p2'],
      ...['p3', 'p3', 'p3', 'p0'],
      ...['p3', 'p3', 'p3', 'p2'],
      ...['p3', 'p3', 'p3', 'p0'],
    ]);
    l.abandon();
  });

  it('with a share of 0 is strict', async () => {
    const { lanes: l, consumers } = shared(0);
    (await consumers[3]!.pull(0)).deliver(msg('h0'), msg('h1'), msg('h2'));
    (await consumers[0]!.pull(0)).deliver(msg('low'));
    await tick();
    expect([l.take(), l.take(), l.take(), l.take()].map(idOf)).toEqual(['h0', 'h1', 'h2', 'low']);
    l.abandon();
  });

  it('passes over a lane the caller cannot serve now, without waiting for it', async () => {
    const { lanes: l, consumers } = shared(0);
    (await consumers[0]!.pull(0)).deliver(msg('low'));
    (await consumers[1]!.pull(0)).deliver(msg('mid'));
    await tick();
    expect(idOf(l.take((p) => p >= 1))).toBe('mid');
    expect(l.take((p) => p >= 1)).toBeUndefined();
    expect(idOf(l.take())).toBe('low');
    l.abandon();
  });
});
