import { trace, type TracerProvider } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { flushTraces } from './flush-traces.ts';

describe('flushTraces', () => {
  afterEach(() => {
    trace.disable();
  });

  it('resolves at once when no SDK is registered', async () => {
    await expect(flushTraces()).resolves.toBeUndefined();
  });

  it("flushes the registered SDK provider's buffered spans", async () => {
    let flushed = 0;
    const provider: TracerProvider & { forceFlush(): Promise<void> } = {
      // Never called: only the flush is under test.
      getTracer: () => trace.getTracer('unused'),
      forceFlush: () => {
        flushed++;
        return Promise.resolve();
      },
    };
    expect(trace.setGlobalTracerProvider(provider)).toBe(true);
    await flushTraces();
    expect(flushed).toBe(1);
  });
});
