/**
 * Helpers for the connector's NATS tests: routed messages as the router would
 * publish them, reading status events back, and waiting on lane state.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { Consumer, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import {
  dlrDispatcherLanes,
  Header,
  PRIORITIES,
  StreamName,
  connectorLaneConsumerName,
  endedUnannounced,
  routeSubject,
  type Priority,
} from '@smsgw/nats';
import { RoutedMessageSchema, StatusEventSchema, type RoutedMessage, type StatusEvent } from '@smsgw/proto';
import { createLogger, createMetrics, type Logger, type Metrics } from '@smsgw/runtime';
import { TRACEPARENT, TRACESTATE, waitFor as waitForCondition } from '@smsgw/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { createConnectorMetrics, type ConnectorMetrics } from './connector-metrics.ts';
import type { Driver } from './driver.ts';
import { createSimDriver } from './sim/sim-driver.ts';
import { simOutcomeOf } from './sim/sim-outcome.ts';

export { TRACEPARENT, TRACESTATE, getFreePort as freePort } from '@smsgw/testing';

/** What a test routed message varies. */
export interface RoutedInit {
  readonly messageId: string;
  readonly destination: string;
  readonly systemId?: string;
  readonly registeredDelivery?: number;
  readonly priority?: Priority;
  readonly connector?: string;
  /** Recorded in the submit (the edge's trace context). */
  readonly submitTraceparent?: string;
}

/** A RoutedMessage like the router's. */
export function routedMessage(init: RoutedInit): RoutedMessage {
  return create(RoutedMessageSchema, {
    submit: {
      messageId: init.messageId,
      systemId: init.systemId ?? 'acme',
      edgePod: 'edge-0',
      sessionId: 's-1',
      source: { ton: 5, npi: 0, addr: 'ExampleCo' },
      destination: { ton: 1, npi: 1, addr: init.destination },
      priorityFlag: init.priority ?? 0,
      registeredDelivery: init.registeredDelivery ?? 0x01,
      dataCoding: 0,
      payload: new TextEncoder().encode('Hello'),
      segments: 1,
      acceptedAt: timestampFromDate(new Date()),
      traceparent: init.submitTraceparent ?? '',
    },
    priorityFlag: init.priority ?? 0,
    connector: init.connector ?? 'sim',
    routeId: 'default',
    routedAt: timestampFromDate(new Date()),
  });
}

/** Options of publishRouted. */
export interface PublishRoutedOptions {
  /** Nats-Msg-Id of the lane message (default: the message id, as the router sets it). */
  readonly msgID?: string;
  /** Trace headers on the lane message (default: TRACEPARENT and TRACESTATE; null for none). */
  readonly trace?: { readonly traceparent: string; readonly tracestate: string } | null;
}

/** Publishes a routed message on its connector lane, as the router does. */
export async function publishRouted(
  js: JetStreamClient,
  connector: string,
  priority: Priority,
  routed: RoutedMessage,
  options: PublishRoutedOptions = {},
): Promise<void> {
  const h = headers();
  const trace =
    options.trace === undefined ? { traceparent: TRACEPARENT, tracestate: TRACESTATE } : options.trace;
  if (trace !== null) {
    h.set(Header.traceparent, trace.traceparent);
    h.set(Header.tracestate, trace.tracestate);
  }
  await js.publish(routeSubject(connector, priority), toBinary(RoutedMessageSchema, routed), {
    msgID: options.msgID ?? routed.submit?.messageId ?? '',
    headers: h,
    // Generous: bulk publishing on a busy two-core machine.
    timeout: 30_000,
  });
}

/** Publishes many routed messages, `concurrency` PubAcks outstanding at a time. */
export async function publishRoutedMany(
  js: JetStreamClient,
  connector: string,
  items: readonly { readonly priority: Priority; readonly routed: RoutedMessage }[],
  concurrency = 250,
): Promise<void> {
  for (let i = 0; i < items.length; i += concurrency) {
    await Promise.all(
      items
        .slice(i, i + concurrency)
        .map(({ priority, routed }) => publishRouted(js, connector, priority, routed)),
    );
  }
}

/** A status event as stored on SMS_STATUS. */
export interface StoredStatus {
  readonly event: StatusEvent;
  readonly subject: string;
  /** The order events were stored in: the stream timestamp (ns), since events of priority 1..3 are in SMS_STATUS_PRIORITY. */
  readonly seq: number;
  readonly msgId: string;
  readonly traceparent: string;
  readonly tracestate: string;
}

function storedStatusOf(m: JsMsg): StoredStatus {
  return {
    event: fromBinary(StatusEventSchema, m.data),
    subject: m.subject,
    seq: m.info.timestampNanos,
    msgId: m.headers?.get(Header.msgId) ?? '',
    traceparent: m.headers?.get(Header.traceparent) ?? '',
    tracestate: m.headers?.get(Header.tracestate) ?? '',
  };
}

/** The dispatcher's four status consumers (WorkQueues: no other consumer may read the status streams). */
async function statusConsumers(js: JetStreamClient): Promise<Consumer[]> {
  return await Promise.all(dlrDispatcherLanes().map((lane) => js.consumers.get(lane.stream, lane.consumer)));
}

/** Takes up to `max` messages from one consumer within `expiresMs`. */
async function fetchSome(consumer: Consumer, max: number, expiresMs: number): Promise<JsMsg[]> {
  const batch = await consumer.fetch({ max_messages: max, expires: expiresMs });
  // Drained without awaiting: a fetch iterator that is read slowly reports missed heartbeats.
  const taken: JsMsg[] = [];
  try {
    for await (const m of batch) taken.push(m);
  } catch (err) {
    if (!endedUnannounced(err)) throw err;
  }
  return taken;
}

/**
 * Reads exactly `count` status events through the dispatcher's consumers
 * (every priority), acking each so the streams end empty; in the order they
 * were stored. Throws when they do not all come within `timeoutMs`.
 */
export async function takeStatusEvents(
  js: JetStreamClient,
  count: number,
  timeoutMs = 15_000,
): Promise<StoredStatus[]> {
  const consumers = await statusConsumers(js);
  const out: StoredStatus[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${out.length} of ${count} status events arrived`);
    const max = Math.min(count - out.length, 1_000);
    const taken = (await Promise.all(consumers.map((c) => fetchSome(c, max, 1_000)))).flat();
    for (const m of taken) out.push(storedStatusOf(m));
    await Promise.all(taken.map((m) => m.ackAck()));
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/**
 * Collects status events in the background (the crash tests), acking each,
 * until stopped: which message ids got events, and how many events in all.
 */
export class StatusCollector {
  readonly ids = new Set<string>();
  events = 0;
  readonly #js: JetStreamClient;
  #stopped = false;
  #failure: Error | undefined;
  #done: Promise<void> = Promise.resolve();

  constructor(js: JetStreamClient) {
    this.#js = js;
  }

  start(): void {
    this.#done = this.#loop().catch((err: unknown) => {
      this.#failure = err instanceof Error ? err : new Error(String(err));
    });
  }

  /** Stops collecting; throws what stopped the collector early, if anything did. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#done;
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Resolves once at least `count` distinct message ids got a final status event. */
  async waitForIds(count: number, timeoutMs: number): Promise<void> {
    await waitFor(
      () => {
        if (this.#failure !== undefined) throw this.#failure;
        return Promise.resolve(this.ids.size >= count);
      },
      timeoutMs,
      `${count} messages with a status event (have ${this.ids.size})`,
    );
  }

  async #loop(): Promise<void> {
    // One pull loop per priority: an idle lane's pull must not hold back a busy one.
    const consumers = await statusConsumers(this.#js);
    await Promise.all(
      consumers.map(async (consumer) => {
        while (!this.#stopped) {
          for (const m of await fetchSome(consumer, 500, 1_000)) {
            const event = fromBinary(StatusEventSchema, m.data);
            this.events++;
            if (!event.intermediate) this.ids.add(event.messageId);
            m.ack();
          }
        }
      }),
    );
  }
}

/** Polls `check` until it holds; throws naming `what` after `timeoutMs` (@smsgw/testing's waitFor, in this file's argument order). */
export function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  return waitForCondition(what, check, timeoutMs);
}

/** A connector's lanes summed: messages not yet delivered, and delivered but not acked. */
export interface LaneCounts {
  readonly pending: number;
  readonly ackPending: number;
}

/** The current LaneCounts of a connector. */
export async function laneCounts(jsm: JetStreamManager, connector: string): Promise<LaneCounts> {
  const infos = await Promise.all(
    PRIORITIES.map((p) => jsm.consumers.info(StreamName.route, connectorLaneConsumerName(connector, p))),
  );
  return {
    pending: infos.reduce((n, i) => n + i.num_pending, 0),
    ackPending: infos.reduce((n, i) => n + i.num_ack_pending, 0),
  };
}

/** Waits until the connector's lanes hold nothing: every message acked (or terminated). */
export async function waitForEmptyLanes(
  jsm: JetStreamManager,
  connector: string,
  timeoutMs = 15_000,
): Promise<void> {
  await waitFor(
    async () => {
      const c = await laneCounts(jsm, connector);
      return c.pending === 0 && c.ackPending === 0;
    },
    timeoutMs,
    `the lanes of ${connector} to empty`,
  );
}

/** Messages stored in SMS_STATUS and SMS_STATUS_PRIORITY now. */
export async function statusStreamSize(jsm: JetStreamManager): Promise<number> {
  const infos = await Promise.all(
    [StreamName.status, StreamName.statusPriority].map((s) => jsm.streams.info(s)),
  );
  return infos.reduce((n, i) => n + i.state.messages, 0);
}

/** A logger that writes nothing (LOG_LEVEL=silent). */
export function silentLogger(): Logger {
  return createLogger({ service: 'connector-test', pod: 'test', level: 'silent' });
}

/** Fresh connector metrics in a registry of their own. */
export function testMetrics(): { metrics: Metrics; connector: ConnectorMetrics } {
  const metrics = createMetrics({ service: 'connector-test', defaultMetrics: false });
  return { metrics, connector: createConnectorMetrics(metrics) };
}

/** The value of one counter series in a registry (0 when absent). */
export async function counterValue(
  metrics: Metrics,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (metric === undefined) return 0;
  const { values } = await metric.get();
  const match = values.find((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want));
  return match?.value ?? 0;
}

/**
 * A driver that holds each message for `delayMs` and reports the sim's final
 * answer inside `send`, so the message keeps its slot until then: for tests
 * of the worker's slots, drain and give-up paths (the `sim` itself no longer
 * holds messages).
 */
export function createHoldingDriver(delayMs: number): Driver {
  return {
    kind: 'holding',
    async send(delivery) {
      await sleep(delayMs, undefined, { signal: delivery.signal });
      const outcome = simOutcomeOf(delivery.submit.destination?.addr ?? '');
      if (outcome.answer === 'final') await delivery.report(outcome.status);
    },
    close: () => Promise.resolve(),
  };
}

/** A sim that answers inside `send` (latency 0): no SMS_SIM state. */
export function createImmediateSim(): Driver {
  return createSimDriver({ latency: { minMs: 0, maxMs: 0 } });
}

/** `inner` with a count of its sends: how often a message went to the network. */
export function countingDriver(inner: Driver): { readonly driver: Driver; sends(): number } {
  let sends = 0;
  return {
    driver: {
      kind: 'counting',
      async send(delivery) {
        sends++;
        await inner.send(delivery);
      },
      close: () => Promise.resolve(),
    },
    sends: () => sends,
  };
}
