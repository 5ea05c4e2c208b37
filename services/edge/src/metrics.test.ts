/**
 * The edge's metrics: answer counts, the in-flight gauge and the session, window and presence
 * gauges are taken at scrape time, not per submit; account series are bounded.
 */
import type { BindType } from '@smsgw/accounts';
import { createMetrics } from '@smsgw/runtime';
import { CommandStatus, type SmppSession } from '@smsgw/smpp';
import { describe, expect, it } from 'vitest';
import { createEdgeMetrics, type EdgeMetricsOptions } from './metrics.ts';
import type { BoundSession } from './session/session-registry.ts';

function setUp(options?: EdgeMetricsOptions) {
  const m = createMetrics({ service: 'edge', defaultMetrics: false });
  return { registry: m.registry, metrics: createEdgeMetrics(m, options) };
}

/** A bound session whose windows read as given. */
function bound(systemId: string, bindType: BindType, pendingInbound = 0, inFlightRequests = 0): BoundSession {
  const session = {
    pendingInbound,
    inFlightRequests,
    queuedRequests: 0,
    options: { inboundWindow: 100, windowSize: 10 },
  } as unknown as SmppSession;
  return { session, sessionId: `${systemId}-${bindType}`, systemId, bindType, interfaceVersion: 0x34 };
}

/** The samples of one metric in a scrape, one line each without the service label, sorted. */
function samples(text: string, name: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) =>
      line
        .replace(/service="edge",?/, '')
        .replace(/,}/, '}')
        .replace('{}', ''),
    )
    .sort();
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

  it('counts submit_sm per account in edge_account_submits_total, the accounts past the limit as (other)', async () => {
    const { registry, metrics } = setUp({ accountLimit: 2 });
    metrics.countAnswer('submit_sm', CommandStatus.ESME_ROK, 'acme');
    metrics.countAnswer('submit_sm', CommandStatus.ESME_RTHROTTLED, 'acme');
    metrics.countAnswer('submit_sm', CommandStatus.ESME_ROK, 'beta');
    metrics.countAnswer('submit_sm', CommandStatus.ESME_ROK, 'gamma');
    metrics.countAnswer('submit_sm', CommandStatus.ESME_ROK, 'delta');
    metrics.countAnswer('submit_sm', CommandStatus.ESME_ROK, 'acme');
    // Not a submit, or not bound: no account series.
    metrics.countAnswer('query_sm', CommandStatus.ESME_RINVCMDID, 'acme');
    metrics.countAnswer('submit_sm', CommandStatus.ESME_RINVBNDSTS);
    expect(samples(await registry.metrics(), 'edge_account_submits_total')).toEqual([
      'edge_account_submits_total{account="(other)",command_status="ESME_ROK"} 2',
      'edge_account_submits_total{account="acme",command_status="ESME_ROK"} 2',
      'edge_account_submits_total{account="acme",command_status="ESME_RTHROTTLED"} 1',
      'edge_account_submits_total{account="beta",command_status="ESME_ROK"} 1',
    ]);
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

describe('edge metrics read from the sessions at scrape time', () => {
  it('observes submit_sm_resp times by result', async () => {
    const { registry, metrics } = setUp();
    metrics.observeSubmitResponse('ok', 0.003);
    metrics.observeSubmitResponse('ok', 0.02);
    metrics.observeSubmitResponse('error', 0.0001);
    const text = await registry.metrics();
    expect(text).toContain('edge_submit_response_seconds_count{service="edge",result="ok"} 2');
    expect(text).toContain('edge_submit_response_seconds_bucket{le="0.005",service="edge",result="ok"} 1');
    expect(text).toContain(
      'edge_submit_response_seconds_bucket{le="0.0005",service="edge",result="error"} 1',
    );
  });

  it('shows zeros until the Edge gives its sessions', async () => {
    const text = await setUp().registry.metrics();
    expect(samples(text, 'edge_accounts_bound')).toEqual(['edge_accounts_bound 0']);
    expect(samples(text, 'edge_account_sessions_bound')).toEqual([]);
    expect(samples(text, 'edge_presence_accounts')).toEqual(['edge_presence_accounts 0']);
    expect(samples(text, 'edge_session_window_slots')).toEqual([
      'edge_session_window_slots{window="deliver"} 0',
      'edge_session_window_slots{window="submit"} 0',
    ]);
  });

  it('gives account series to the busiest accounts only, as they are at each scrape', async () => {
    const { registry, metrics } = setUp({ accountLimit: 2 });
    const byAccount = new Map<string, Set<BoundSession>>([
      ['big', new Set([bound('big', 'transmitter'), bound('big', 'receiver'), bound('big', 'transceiver')])],
      ['mid', new Set([bound('mid', 'transmitter'), bound('mid', 'receiver')])],
      ['small', new Set([bound('small', 'transceiver')])],
    ]);
    let presence = 2;
    metrics.observeSessions({ byAccount: () => byAccount, presenceAccounts: () => presence });
    let text = await registry.metrics();
    expect(samples(text, 'edge_accounts_bound')).toEqual(['edge_accounts_bound 3']);
    expect(samples(text, 'edge_account_sessions_bound')).toEqual([
      'edge_account_sessions_bound{account="big",bind_type="receiver"} 1',
      'edge_account_sessions_bound{account="big",bind_type="transceiver"} 1',
      'edge_account_sessions_bound{account="big",bind_type="transmitter"} 1',
      'edge_account_sessions_bound{account="mid",bind_type="receiver"} 1',
      'edge_account_sessions_bound{account="mid",bind_type="transmitter"} 1',
    ]);
    expect(samples(text, 'edge_presence_accounts')).toEqual(['edge_presence_accounts 2']);

    // "big" leaves: its series go, "small" moves into the top two.
    byAccount.delete('big');
    presence = 1;
    text = await registry.metrics();
    expect(samples(text, 'edge_accounts_bound')).toEqual(['edge_accounts_bound 2']);
    expect(samples(text, 'edge_account_sessions_bound')).toEqual([
      'edge_account_sessions_bound{account="mid",bind_type="receiver"} 1',
      'edge_account_sessions_bound{account="mid",bind_type="transmitter"} 1',
      'edge_account_sessions_bound{account="small",bind_type="transceiver"} 1',
    ]);
    expect(samples(text, 'edge_presence_accounts')).toEqual(['edge_presence_accounts 1']);
  });

  it('has no account series with a limit of 0, and still counts the accounts', async () => {
    const { registry, metrics } = setUp({ accountLimit: 0 });
    const byAccount = new Map([['acme', new Set([bound('acme', 'transceiver')])]]);
    metrics.observeSessions({ byAccount: () => byAccount, presenceAccounts: () => 1 });
    const text = await registry.metrics();
    expect(samples(text, 'edge_account_sessions_bound')).toEqual([]);
    expect(samples(text, 'edge_accounts_bound')).toEqual(['edge_accounts_bound 1']);
  });

  it('sums the submit and deliver windows of the bound sessions, at each scrape', async () => {
    const { registry, metrics } = setUp();
    const acme = new Set([bound('acme', 'transceiver', 40, 3), bound('acme', 'transmitter', 100)]);
    const byAccount = new Map([['acme', acme]]);
    metrics.observeSessions({ byAccount: () => byAccount, presenceAccounts: () => 1 });
    let text = await registry.metrics();
    expect(samples(text, 'edge_session_window_used')).toEqual([
      'edge_session_window_used{window="deliver"} 3',
      'edge_session_window_used{window="submit"} 140',
    ]);
    expect(samples(text, 'edge_session_window_slots')).toEqual([
      'edge_session_window_slots{window="deliver"} 10',
      'edge_session_window_slots{window="submit"} 200',
    ]);
    expect(samples(text, 'edge_session_windows_full')).toEqual([
      'edge_session_windows_full{window="deliver"} 0',
      'edge_session_windows_full{window="submit"} 1',
    ]);
    expect(samples(text, 'edge_session_window_max_ratio')).toEqual([
      'edge_session_window_max_ratio{window="deliver"} 0.3',
      'edge_session_window_max_ratio{window="submit"} 1',
    ]);
    byAccount.set('acme', new Set([bound('acme', 'transceiver', 5, 0)]));
    text = await registry.metrics();
    expect(samples(text, 'edge_session_window_used')).toEqual([
      'edge_session_window_used{window="deliver"} 0',
      'edge_session_window_used{window="submit"} 5',
    ]);
    expect(samples(text, 'edge_session_windows_full')).toEqual([
      'edge_session_windows_full{window="deliver"} 0',
      'edge_session_windows_full{window="submit"} 0',
    ]);
  });
});
