/** The edge's metrics: answer counts and the in-flight gauge are taken at scrape time, not per submit. */
import { createMetrics } from '@smsgw/runtime';
import { CommandStatus } from '@smsgw/smpp';
import { describe, expect, it } from 'vitest';
import { createEdgeMetrics } from './metrics.ts';

function setUp() {
  const m = createMetrics({ service: 'edge', defaultMetrics: false });
  return { registry: m.registry, metrics: createEdgeMetrics(m) };
}

describe('edge metrics', () => {
  it('adds counted answers to edge_submits_total when scraped, once', async () => {
    const { registry, metrics } = setUp();
    for (let i = 0; i < 3; i++) metrics.countAnswer('submit_sm', CommandStatus.ESME_ROK);
    metrics.countAnswer('submit_sm', CommandStatus.ESME_RTHROTTLED);
    metrics.countAnswer('query_sm', CommandStatus.ESME_RINVCMDID);
    const text = await registry.metrics();
    expect(text).toContain(
      'edge_submits_total{command="submit_sm",command_status="ESME_ROK",service="edge"} 3',
    );
    expect(text).toContain(
      'edge_submits_total{command="submit_sm",command_status="ESME_RTHROTTLED",service="edge"} 1',
    );
    expect(text).toContain(
      'edge_submits_total{command="query_sm",command_status="ESME_RINVCMDID",service="edge"} 1',
    );
    metrics.countAnswer('submit_sm', CommandStatus.ESME_ROK);
    const again = await registry.metrics();
    expect(again).toContain(
      'edge_submits_total{command="submit_sm",command_status="ESME_ROK",service="edge"} 4',
    );
    expect(again).toContain(
      'edge_submits_total{command="submit_sm",command_status="ESME_RTHROTTLED",service="edge"} 1',
    );
  });

  it('reads edge_publishes_in_flight from its source at scrape time', async () => {
    const { registry, metrics } = setUp();
    expect(await registry.metrics()).toContain('edge_publishes_in_flight{service="edge"} 0');
    let inFlight = 7;
    metrics.countPublishesInFlight(() => inFlight);
    expect(await registry.metrics()).toContain('edge_publishes_in_flight{service="edge"} 7');
    inFlight = 2;
    expect(await registry.metrics()).toContain('edge_publishes_in_flight{service="edge"} 2');
  });

  it('observes publish durations by outcome', async () => {
    const { registry, metrics } = setUp();
    metrics.observePublish('ok', 0.002);
    metrics.observePublish('full_or_timeout', 5);
    const text = await registry.metrics();
    expect(text).toContain('edge_publish_seconds_count{service="edge",outcome="ok"} 1');
    expect(text).toContain('edge_publish_seconds_bucket{le="0.0025",service="edge",outcome="ok"} 1');
    expect(text).toContain('edge_publish_seconds_count{service="edge",outcome="full_or_timeout"} 1');
  });
});
