import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.ts';

describe('createMetrics', () => {
  it('collects the default process metrics with the service label', async () => {
    const { registry } = createMetrics({ service: 'edge' });
    const text = await registry.metrics();
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="edge"\} /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds\{service="edge"\} /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes\{service="edge"\} /m);
  });

  it('can leave the default metrics out and add labels', async () => {
    const metrics = createMetrics({ service: 'router', defaultMetrics: false, labels: { zone: 'a' } });
    const submits = metrics.counter({
      name: 'smsgw_submits_total',
      help: 'Submits',
      labelNames: ['account'],
    });
    submits.inc({ account: 'acme' }, 2);
    const text = await metrics.registry.metrics();
    expect(text).not.toMatch(/process_cpu/);
    expect(text).toContain('smsgw_submits_total{account="acme",zone="a",service="router"} 2');
  });

  it('registers every kind of metric in its own registry, not the global one', async () => {
    const a = createMetrics({ service: 'a', defaultMetrics: false });
    const b = createMetrics({ service: 'b', defaultMetrics: false });
    a.counter({ name: 'c_total', help: 'c' }).inc();
    a.gauge({ name: 'g', help: 'g' }).set(5);
    a.histogram({ name: 'h_seconds', help: 'h', buckets: [1] }).observe(0.5);
    a.summary({ name: 's', help: 's', percentiles: [0.5] }).observe(1);
    b.counter({ name: 'c_total', help: 'c' }).inc(3);
    const [textA, textB] = await Promise.all([a.registry.metrics(), b.registry.metrics()]);
    expect(textA).toContain('c_total{service="a"} 1');
    expect(textA).toContain('g{service="a"} 5');
    expect(textA).toContain('h_seconds_bucket{le="1",service="a"} 1');
    expect(textA).toContain('s{quantile="0.5",service="a"} 1');
    expect(textB).toContain('c_total{service="b"} 3');
    expect(textB).not.toContain('g{');
    expect(globalRegistry.getSingleMetric('c_total')).toBeUndefined();
  });
});
