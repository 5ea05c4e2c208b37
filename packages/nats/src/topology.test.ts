import { describe, expect, it } from 'vitest';
import { nanos } from '@nats-io/transport-node';
import { TopologyError } from './errors.ts';
import {
  DEFAULT_TOPOLOGY_OPTIONS,
  PRIORITIES,
  TOPOLOGY_OWNERS,
  TopologyOwnership,
  accountKey,
  mayUpdate,
  accountOfSubject,
  parseAccountSubject,
  kvStreamName,
  kvStreamSpec,
  priorityOrZero,
  bucketSpecs,
  bindFailureKey,
  bindsKey,
  parseBindFailureKey,
  parseBindsKey,
  envelopeKey,
  parsePresenceKey,
  presenceFilter,
  presenceKey,
  connectorLaneConsumerName,
  connectorLaneConsumerSpec,
  dlrAccountConsumerSpec,
  dlrConsumerName,
  dlrSubject,
  parseRouteSubject,
  resolveTopologyOptions,
  routeSubject,
  statusSubject,
  streamSpecs,
  submitSubject,
  type Priority,
  DEFAULT_UPSTREAM_ID_TTL_MS,
  UPSTREAM_IDS_BUCKET,
  upstreamIdKey,
  upstreamIdsBucketSpec,
} from './topology.ts';

const o = DEFAULT_TOPOLOGY_OPTIONS;
const NS_PER_MS = 1_000_000;

describe('subjects', () => {
  it('builds one subject per account, connector and lane', () => {
    expect(submitSubject('acme')).toBe('sms.submit.acme');
    expect(statusSubject('acme')).toBe('sms.status.acme');
    expect(dlrSubject('acme')).toBe('sms.dlr.acme');
    expect(routeSubject('sim', 3)).toBe('sms.route.sim.3');
  });

  it('escapes names so that a system_id never adds tokens or wildcards', () => {
    expect(submitSubject('a.b')).toBe('sms.submit.a=2Eb');
    expect(dlrSubject('>')).toBe('sms.dlr.=3E');
    expect(routeSubject('up stream', 0)).toBe('sms.route.up=20stream.0');
  });

  it('parses subjects back', () => {
    for (const account of ['acme', 'a.b', '*', 'müller']) {
      expect(accountOfSubject(submitSubject(account))).toBe(account);
      expect(accountOfSubject(statusSubject(account))).toBe(account);
      expect(accountOfSubject(dlrSubject(account))).toBe(account);
      for (const priority of PRIORITIES) {
        expect(parseAccountSubject(submitSubject(account, priority))).toEqual({ account, priority });
        expect(parseAccountSubject(statusSubject(account, priority))).toEqual({ account, priority });
        expect(parseAccountSubject(dlrSubject(account, priority))).toEqual({ account, priority });
      }
    }
    expect(submitSubject('acme', 3)).toBe('sms.submit.3.acme');
    expect(dlrSubject('acme', 0)).toBe('sms.dlr.acme');
    for (const priority of PRIORITIES) {
      expect(parseRouteSubject(routeSubject('smsc.eu', priority))).toEqual({
        connector: 'smsc.eu',
        priority,
      });
    }
  });

  it('takes a priority_flag outside 0..3 as lane 0', () => {
    expect([0, 1, 2, 3, 4, 255, -1].map(priorityOrZero)).toEqual([0, 1, 2, 3, 0, 0, 0]);
  });

  it('names the stream behind a KV bucket', () => {
    expect(kvStreamName('upstream-ids')).toBe('KV_upstream-ids');
    expect(kvStreamSpec('upstream-ids', 1, 0, 1, 'd').name).toBe(kvStreamName('upstream-ids'));
  });

  it('refuses subjects that are not ours, and priorities outside 0..3', () => {
    for (const subject of ['sms.submit', 'sms.other.acme', 'sms.submit.a.b', 'x.sms.dlr.a', 'sms.dlr.a b']) {
      expect(() => accountOfSubject(subject)).toThrow(TopologyError);
    }
    for (const subject of [
      'sms.route.sim',
      'sms.route.sim.4',
      'sms.route.sim.01',
      'sms.route.a.b.1',
      'sms.submit.a.1',
    ]) {
      expect(() => parseRouteSubject(subject)).toThrow(TopologyError);
    }
    expect(() => routeSubject('sim', 4 as Priority)).toThrow(TopologyError);
    expect(() => routeSubject('sim', 1.5 as Priority)).toThrow(TopologyError);
  });
});

describe('consumer names and filters', () => {
  it('names lanes and DLR consumers after their connector and account', () => {
    expect(connectorLaneConsumerName('sim', 2)).toBe('connector-sim-p2');
    expect(connectorLaneConsumerName('a.b', 0)).toBe('connector-a=2Eb-p0');
    expect(dlrConsumerName('acme')).toBe('dlr-acme');
    expect(dlrConsumerName('a b')).toBe('dlr-a=20b');
  });

  it('gives lanes of different connectors and priorities different names and non-overlapping filters', () => {
    const names = new Set<string>();
    const filters = new Set<string>();
    for (const connector of ['a', 'a-p1', 'b', 'a.b']) {
      for (const priority of PRIORITIES) {
        const spec = connectorLaneConsumerSpec(connector, priority, o);
        names.add(spec.durable_name);
        expect(spec.filter_subject).not.toMatch(/[*>]/);
        filters.add(spec.filter_subject ?? '');
      }
    }
    expect(names.size).toBe(16);
    expect(filters.size).toBe(16);
  });

  it('makes per-account DLR consumers filtered, explicit-ack and self-expiring', () => {
    const spec = dlrAccountConsumerSpec('acme', o);
    expect(spec).toMatchObject({
      durable_name: 'dlr-acme',
      filter_subject: 'sms.dlr.acme',
      ack_policy: 'explicit',
      inactive_threshold: o.dlrInactiveThresholdMs * NS_PER_MS,
      max_ack_pending: 256,
    });
  });
});

describe('streams and buckets', () => {
  it('defines the work queues; the DLR backlog is capped per account in total, 48 h, oldest dropped first', () => {
    const specs = streamSpecs(o);
    for (const spec of Object.values(specs)) {
      expect(spec.retention).toBe('workqueue');
      expect(spec.duplicate_window).toBe(120_000 * NS_PER_MS);
      expect(spec.num_replicas).toBe(1);
    }
    expect(specs.submit.subjects).toEqual(['sms.submit.*']);
    expect(specs.route.subjects).toEqual(['sms.route.*.*']);
    expect(specs.dlr).toMatchObject({
      subjects: ['sms.dlr.*'],
      max_msgs_per_subject: 22_000,
      max_age: 48 * 3600 * 1000 * NS_PER_MS,
      discard: 'old',
    });
    expect(specs.submit.discard).toBe('new');
    // The priority companions: one token more, so they never overlap; 1,000 per account and priority.
    expect(specs.submitPriority.subjects).toEqual(['sms.submit.*.*']);
    expect(specs.statusPriority.subjects).toEqual(['sms.status.*.*']);
    expect(specs.dlrPriority).toMatchObject({
      subjects: ['sms.dlr.*.*'],
      max_msgs_per_subject: 1_000,
      discard: 'old',
    });
  });

  it('defines the KV buckets with their history and TTL', () => {
    const specs = bucketSpecs(
      resolveTopologyOptions({ envelopeTtlMs: 1_000, presenceTtlMs: 500, replicas: 3 }),
    );
    expect(specs.accounts).toMatchObject({ name: 'KV_accounts', max_msgs_per_subject: 10, max_age: 0 });
    expect(specs.envelopes).toMatchObject({
      name: 'KV_envelopes',
      max_age: 1_000 * NS_PER_MS,
      num_replicas: 3,
    });
    expect(specs.presence).toMatchObject({ subjects: ['$KV.presence.>'], max_age: 500 * NS_PER_MS });
    expect(specs.binds).toMatchObject({ subjects: ['$KV.binds.>'], max_age: 500 * NS_PER_MS });
    expect(specs.bindFailures).toMatchObject({
      subjects: ['$KV.bind-failures.>'],
      max_age: 15 * 60_000 * NS_PER_MS,
    });
    // Kept for the submit streams' duplicate window (2 min by default): a retry later is a new message.
    expect(specs.unsettledSubmits).toMatchObject({
      subjects: ['$KV.unsettled-submits.>'],
      max_age: 120_000 * NS_PER_MS,
      max_msgs_per_subject: 1,
    });
  });

  it('keys the binds and bind-failures buckets reversibly', () => {
    expect(bindsKey('acme.eu', 'edge-0')).toBe('acme=2Eeu.edge-0');
    expect(parseBindsKey('acme=2Eeu.edge-0')).toEqual({ account: 'acme.eu', pod: 'edge-0' });
    expect(bindFailureKey('address', '::1')).toBe('a.=3A=3A1');
    expect(parseBindFailureKey('a.=3A=3A1')).toEqual({ subject: 'address', id: '::1' });
    expect(parseBindFailureKey(bindFailureKey('system-id', 'acme'))).toEqual({
      subject: 'system-id',
      id: 'acme',
    });
    for (const bad of ['x.acme', 'a', 'a.b.c']) expect(() => parseBindFailureKey(bad)).toThrow();
  });
});

describe('resolveTopologyOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveTopologyOptions()).toEqual(DEFAULT_TOPOLOGY_OPTIONS);
    const r = resolveTopologyOptions({
      replicas: 3,
      connector: { ackWaitMs: 5_000 },
      connectors: ['a', 'a', 'b'],
    });
    expect(r.replicas).toBe(3);
    expect(r.connector).toEqual({ ...o.connector, ackWaitMs: 5_000 });
    expect(r.connectors).toEqual(['a', 'b']);
  });

  it.each([
    [{ replicas: 0 }],
    [{ replicas: 6 }],
    [{ dlrBacklogMax: 0 }],
    [{ dlrBacklogMax: 1.5 }],
    [{ presenceTtlMs: 50 }],
    [{ accountsHistory: 65 }],
    [{ duplicateWindowMs: 3 * 24 * 3600 * 1000 }],
    [{ router: { maxDeliver: 0 } }],
    [{ dlrAccount: { maxAckPending: -2 } }],
    [{ connector: { ackWaitMs: 0 } }],
    [{ connectors: [''] }],
  ])('refuses %j', (options) => {
    expect(() => resolveTopologyOptions(options)).toThrow(TopologyError);
  });

  it('accepts unlimited deliveries and windows as -1', () => {
    expect(resolveTopologyOptions({ router: { maxDeliver: -1, maxAckPending: -1 } }).router).toMatchObject({
      maxDeliver: -1,
      maxAckPending: -1,
    });
  });
});

describe('KV keys', () => {
  it('writes names as key tokens that KV accepts', () => {
    expect(accountKey('acme')).toBe('acme');
    expect(accountKey('a b')).toBe('a=20b');
    expect(envelopeKey('0f3a-77')).toBe('0f3a-77');
    expect(presenceKey('a.b', 'edge-7d9f.x')).toBe('a=2Eb.edge-7d9f=2Ex');
    expect(presenceFilter('a.b')).toBe('a=2Eb.*');
    for (const key of [accountKey('*>. =/'), presenceKey('ü', 'p')])
      expect(key).toMatch(/^[-/_=.a-zA-Z0-9]+$/);
  });

  it('parses presence keys back', () => {
    expect(parsePresenceKey(presenceKey('a.b', 'edge-1'))).toEqual({ account: 'a.b', pod: 'edge-1' });
    expect(() => parsePresenceKey('a.b.c')).toThrow(TopologyError);
    expect(() => parsePresenceKey('a')).toThrow(TopologyError);
  });
});

describe('TopologyOwnership', () => {
  it('names exactly one owning service for every stream and bucket', () => {
    const o = resolveTopologyOptions();
    expect(Object.keys(TopologyOwnership.streams).sort()).toEqual(Object.keys(streamSpecs(o)).sort());
    expect(Object.keys(TopologyOwnership.buckets).sort()).toEqual(Object.keys(bucketSpecs(o)).sort());
    const owners = [
      ...Object.values(TopologyOwnership.streams),
      ...Object.values(TopologyOwnership.buckets),
      ...Object.values(TopologyOwnership.consumers),
    ];
    for (const owner of owners) expect(TOPOLOGY_OWNERS).toContain(owner);
  });

  it('lets the owner and "all" update, nobody else', () => {
    expect(mayUpdate('router', 'router')).toBe(true);
    expect(mayUpdate('all', 'router')).toBe(true);
    expect(mayUpdate('edge', 'router')).toBe(false);
    expect(mayUpdate('none', 'router')).toBe(false);
  });
});

describe('upstream ids bucket (the smpp connector driver)', () => {
  it('keeps mappings at least as long as the DLR backlog, 7 days by default', () => {
    const spec = upstreamIdsBucketSpec(3);
    expect(spec).toMatchObject({
      name: `KV_${UPSTREAM_IDS_BUCKET}`,
      num_replicas: 3,
      max_msgs_per_subject: 1,
    });
    expect(spec.max_age).toBe(nanos(DEFAULT_UPSTREAM_ID_TTL_MS));
    expect(() => upstreamIdsBucketSpec(1, DEFAULT_TOPOLOGY_OPTIONS.dlrMaxAgeMs - 1)).toThrow(TopologyError);
  });

  it('keys a mapping by connector and upstream id, one token each', () => {
    expect(upstreamIdKey('upstream', 'ff10')).toBe('upstream.ff10');
    expect(upstreamIdKey('up.eu', 'a b').split('.')).toHaveLength(2);
  });
});
