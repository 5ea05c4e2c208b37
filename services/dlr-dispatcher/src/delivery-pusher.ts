/**
 * The dispatcher's outbound half: from each account's DLR backlog to the edge
 * pods holding its receivers.
 *
 * - PresenceView says which pods hold receivers of which account; an account
 *   gets an AccountPump while it has at least one, and loses it with the last.
 * - One EdgeLink (gRPC Deliver stream) per pod address, shared by every
 *   account on that pod, opened on first use, closed when no account uses it.
 * - WindowLedger keeps each (pod, account)'s free window from the edges'
 *   Credit messages; acquire() picks the pod with the most, so that reports
 *   spread across pods (and the edge spreads them across sessions).
 *
 * - Direct delivery (the status and MO stages): one attempt when the account
 *   has room now and no report waits in its room queue; otherwise, within
 *   DirectHolds' bounds, the report joins that queue (by priority, then arrival)
 *   for up to directHold.roomWaitMs before its caller stores it in the backlog
 *   (docs/architecture.md, "A message's life", step 4).
 *
 * Several dispatcher replicas run this side by side: they pull the same
 * per-account consumers (the server hands each report to one of them) and
 * each edge arbitrates its sessions' windows between them (NO_RECEIVER when
 * full, and the credit that follows says so).
 */
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Context } from '@opentelemetry/api';
import type { DeliveryReport } from '@smsgw/proto';
import type { Priority, StallWatchContext } from '@smsgw/nats';
import type { Logger } from '@smsgw/runtime';
import { AccountPump } from './account-pump.ts';
import { DirectHolds, type HoldEnd } from './direct-holds.ts';
import { EdgeLink } from './edge-link.ts';
import type { DispatcherMetrics } from './metrics.ts';
import type { PresenceView } from './presence-view.ts';
import { isDelivered, sendAttempt, type DeliveryRouting, type Route } from './push-report.ts';
import { WindowLedger, pickPod } from './window-ledger.ts';
import { type RetryPolicy } from '@smsgw/nats';

/** Settings and dependencies of a DeliveryPusher. */
export interface DeliveryPusherOptions {
  readonly js: JetStreamClient;
  readonly presence: PresenceView;
  /** Ensures the account's DLR consumer of one priority (ensureDlrConsumer with the dispatcher's topology options); returns its durable name. */
  readonly ensureConsumer: (jsm: JetStreamManager, account: string, priority: Priority) => Promise<string>;
  readonly metrics: DispatcherMetrics;
  readonly logger: Logger;
  /** Assumed free window of one receiving session until its pod sends a credit. */
  readonly sessionWindow: number;
  /** Least time between probes of a pod that said it has no room (ms). */
  readonly probeIntervalMs: number;
  /** Attempts per report (each on another pod) before it is nak'ed. */
  readonly maxAttempts: number;
  /** nak back-off of a report no pod could take. */
  readonly retry: RetryPolicy;
  /** How long a report that found no room waits for some before it is nak'ed (ms). */
  readonly roomWaitMs: number;
  /** How long an attempt waits for the edge's result (ms). */
  readonly resultTimeoutMs: number;
  /** Back-off before dialling a pod again after its stream broke. */
  readonly reconnect: RetryPolicy;
  /** Most reports asked for per pull. */
  readonly batchSize: number;
  /** How long one pull waits for reports (ms). */
  readonly pullExpiresMs: number;
  /** Pause after a failed pull (ms; default 1 s). */
  readonly restartDelayMs?: number;
  /** A lower backlog lane gets one report in this many while it waits behind a busy higher one (0: strict; default 0). */
  readonly lowerLaneEvery?: number;
  /** When given, each account's backlog lanes are watched for stranded messages (@smsgw/nats StallWatch). */
  readonly stallWatch?: StallWatchContext;
  /** Holding direct reports that found no room (absent, or roomWaitMs 0: none are held, they go to the backlog). */
  readonly directHold?: DirectHoldOptions;
}

/** How long and how many direct reports may wait for room in memory (direct-holds.ts). */
export interface DirectHoldOptions {
  /** Longest wait of one report for room (ms; DLR_DIRECT_ROOM_WAIT). */
  readonly roomWaitMs: number;
  /** Reports held at once over all accounts (half DLR_CONCURRENCY). */
  readonly maxHeld: number;
  /** How long an account whose hold timed out gets no holds (ms; default DEFAULT_DIRECT_SLOW_MS). */
  readonly slowMs?: number;
}

/** How long an account whose hold for room timed out sends its direct reports straight to the backlog. */
export const DEFAULT_DIRECT_SLOW_MS = 5_000;

const NO_PODS_TRIED: ReadonlySet<string> = new Set();

/** A report waiting for room: resolve(true) when there is some, resolve(false) on timeout or stop. */
interface RoomWaiter {
  readonly resolve: (roomCame: boolean) => void;
  readonly timer: NodeJS.Timeout;
  /** Its message's effective priority: a higher one waits ahead of lower ones. */
  readonly priority: number;
}

/** Delivering a report straight from the status stage, bypassing the backlog (docs/architecture.md). */
export interface DirectDelivery {
  /**
   * One attempt to deliver `report`: at once when its account has a receiver
   * with a free window and no report waits in its room queue; else, within the
   * hold bounds (direct-holds.ts), after waiting in that queue for room for a
   * short time. True only when the client answered ESME_ROK; otherwise (no
   * receiver, not held, no room in time, stopping, the attempt failed) the
   * caller stores the report in the backlog as usual.
   */
  tryDeliver(report: DeliveryReport, processing: Context | undefined, priority?: number): Promise<boolean>;
}

/** Pumps every account with receivers to the pods that hold them. */
export class DeliveryPusher implements DeliveryRouting, DirectDelivery {
  readonly #o: DeliveryPusherOptions;
  readonly #ledger: WindowLedger;
  readonly #links = new Map<string, EdgeLink>();
  readonly #pumps = new Map<string, AccountPump>();
  readonly #stopping = new Set<Promise<void>>();
  #waiters: (() => void)[] = [];
  /** Reports waiting for room, by account, first come first served (waitForRoom). */
  readonly #roomWaiters = new Map<string, RoomWaiter[]>();
  /** Direct reports held for room; undefined when none may be held. */
  readonly #holds: DirectHolds | undefined;
  #unsubscribe: (() => void) | undefined;
  #stopped = false;

  constructor(options: DeliveryPusherOptions) {
    this.#o = options;
    this.#ledger = new WindowLedger({
      sessionWindow: options.sessionWindow,
      probeIntervalMs: options.probeIntervalMs,
    });
    const hold = options.directHold;
    this.#holds =
      hold === undefined || hold.roomWaitMs <= 0 || hold.maxHeld <= 0
        ? undefined
        : new DirectHolds({ maxHeld: hold.maxHeld, slowMs: hold.slowMs ?? DEFAULT_DIRECT_SLOW_MS });
  }

  /** Starts pumping every account the presence view lists, and follows its changes. */
  start(): void {
    this.#unsubscribe = this.#o.presence.onChange((account) => {
      this.#onPresence(account);
    });
    for (const account of this.#o.presence.accounts()) this.#onPresence(account);
  }

  /** Accounts being pumped now. */
  get accounts(): string[] {
    return [...this.#pumps.keys()];
  }

  /** Reports of `account` waiting in its room queue now (backlog reports and held direct ones). */
  waitingForRoom(account: string): number {
    return this.#roomWaiters.get(account)?.length ?? 0;
  }

  /** Reports being pushed now, over all accounts. */
  get inFlight(): number {
    let n = 0;
    for (const pump of this.#pumps.values()) n += pump.inFlight;
    return n;
  }

  /** Shutdown: no new pulls; resolves once every report received is acked or nak'ed, then closes the links. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#unsubscribe?.();
    for (const account of [...this.#pumps.keys()]) this.#stopPump(account);
    this.#wake();
    while (this.#stopping.size > 0) await Promise.all(this.#stopping);
    for (const link of this.#links.values()) link.close();
    this.#links.clear();
  }

  /** DirectDelivery: one attempt, at once when there is room and no queue, else after a bounded hold in the queue. */
  async tryDeliver(report: DeliveryReport, processing: Context | undefined, priority = 0): Promise<boolean> {
    const account = report.systemId;
    if (this.#stopped || !this.#pumps.has(account)) return false;
    // Reports waiting for room go first (backlog ones included): a direct push would take the room they wait for.
    const route = this.#roomWaiters.has(account)
      ? await this.#holdForRoom(account, priority)
      : (this.acquire(account, NO_PODS_TRIED) ?? (await this.#holdForRoom(account, priority)));
    if (route === undefined) return false;
    const outcome = await sendAttempt(route, report, processing, 1, {
      routing: this,
      metrics: this.#o.metrics,
    });
    return isDelivered(outcome);
  }

  /**
   * Holds a direct report of `account` in its room queue, within the hold bounds, until room comes (a route,
   * taken) or roomWaitMs ran out, or the account's pump stopped (undefined: the caller stores the report).
   */
  async #holdForRoom(account: string, priority: number): Promise<Route | undefined> {
    const holds = this.#holds;
    const roomWaitMs = this.#o.directHold?.roomWaitMs ?? 0;
    if (holds === undefined) return undefined;
    const { metrics } = this.#o;
    const window = this.#window(account);
    // No reachable pod (every link backing off): nothing to wait for.
    if (window <= 0) return undefined;
    const refused = holds.admit(account, window);
    if (refused !== undefined) {
      metrics.directWaits.inc({ outcome: `skipped_${refused}` });
      return undefined;
    }
    metrics.directHeld.set(holds.held);
    const pump = this.#pumps.get(account);
    const started = performance.now();
    let route: Route | undefined;
    let end: HoldEnd = 'timeout';
    for (;;) {
      const left = started + roomWaitMs - performance.now();
      if (left <= 0) break;
      const roomCame = await this.waitForRoom(account, left, priority);
      // Stopping (shutdown, the last receiver gone) lets held reports go at once: to the backlog.
      if (this.#stopped || this.#pumps.get(account) !== pump) {
        end = 'released';
        break;
      }
      if (!roomCame) break;
      // Another report may have taken the room between the wake-up and now: then back into the queue.
      route = this.acquire(account, NO_PODS_TRIED);
      if (route !== undefined) {
        end = 'room';
        break;
      }
    }
    holds.end(account, end);
    metrics.directHeld.set(holds.held);
    metrics.directWaits.inc({ outcome: end });
    metrics.directWaitSeconds.observe({ outcome: end }, (performance.now() - started) / 1000);
    return route;
  }

  /** DeliveryRouting: the pod with the most free window for `account`, skipping `tried`. */
  acquire(account: string, tried: ReadonlySet<string>): Route | undefined {
    const candidates = [];
    for (const p of this.#o.presence.pods(account)) {
      const link = this.#linkOf(p.grpcAddress);
      if (!link.available) continue;
      candidates.push({
        pod: p.pod,
        address: p.grpcAddress,
        free: this.#ledger.free(p.grpcAddress, account, p.receivers),
        inFlight: this.#ledger.inFlight(p.grpcAddress, account),
      });
    }
    const chosen = pickPod(candidates, tried);
    if (chosen === undefined) return undefined;
    const link = this.#linkOf(chosen.address);
    const deliveryId = link.nextDeliveryId();
    this.#ledger.sent(chosen.address, account, deliveryId);
    return { pod: chosen.pod, address: chosen.address, account, link, deliveryId };
  }

  /** DeliveryRouting: the attempt through `route` settled. */
  release(route: Route): void {
    this.#ledger.settled(route.address, route.account, route.deliveryId);
    this.#wake();
  }

  /**
   * DeliveryRouting: resolves true once `account` has room for the report; waiters go by priority, then first
   * come, first served (docs/architecture.md, "Priority end to end").
   */
  waitForRoom(account: string, maxWaitMs: number, priority = 0): Promise<boolean> {
    if (this.#stopped || !this.#pumps.has(account)) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      let queue = this.#roomWaiters.get(account);
      if (queue === undefined) {
        queue = [];
        this.#roomWaiters.set(account, queue);
      }
      const waiter: RoomWaiter = {
        resolve,
        timer: setTimeout(() => {
          const q = this.#roomWaiters.get(account);
          const i = q?.indexOf(waiter) ?? -1;
          if (q !== undefined && i >= 0) q.splice(i, 1);
          if (q?.length === 0) this.#roomWaiters.delete(account);
          resolve(false);
        }, maxWaitMs),
        priority,
      };
      // Behind every waiter of its priority or higher, ahead of the lower ones.
      const before = queue.findIndex((w) => w.priority < priority);
      if (before < 0) queue.push(waiter);
      else queue.splice(before, 0, waiter);
      // Room may be there already (a credit came between the miss and this call).
      this.#wakeRoomWaiters(account, queue);
    });
  }

  /** The window of `account` over its reachable pods: free slots plus attempts in flight to them. */
  #window(account: string): number {
    let window = 0;
    for (const p of this.#o.presence.pods(account)) {
      if (!this.#linkOf(p.grpcAddress).available) continue;
      window +=
        Math.max(0, this.#ledger.free(p.grpcAddress, account, p.receivers)) +
        this.#ledger.inFlight(p.grpcAddress, account);
    }
    return window;
  }

  /** Free window of `account` over its reachable pods. */
  #room(account: string): number {
    let room = 0;
    for (const p of this.#o.presence.pods(account)) {
      if (!this.#linkOf(p.grpcAddress).available) continue;
      room += this.#ledger.free(p.grpcAddress, account, p.receivers);
    }
    return room;
  }

  /** Resolves at the next wake-up (a settled attempt, a credit, a presence change), or after maxWaitMs. */
  async #changed(maxWaitMs: number): Promise<void> {
    if (this.#stopped) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.#waiters.push(resolve);
      timer = setTimeout(resolve, maxWaitMs);
    });
    clearTimeout(timer);
  }

  #wake(): void {
    for (const [account, queue] of this.#roomWaiters) this.#wakeRoomWaiters(account, queue);
    if (this.#waiters.length === 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Lets as many of the account's waiting reports go as it has room for, oldest first. */
  #wakeRoomWaiters(account: string, queue: RoomWaiter[], roomCame = true): void {
    const n = roomCame ? Math.min(queue.length, Math.max(0, this.#room(account))) : queue.length;
    if (n === 0) return;
    for (const waiter of queue.splice(0, n)) {
      clearTimeout(waiter.timer);
      waiter.resolve(roomCame);
    }
    if (queue.length === 0) this.#roomWaiters.delete(account);
  }

  /** Releases the account's waiting reports without room (its pump is stopping): they are nak'ed. */
  #dropRoomWaiters(account: string): void {
    const queue = this.#roomWaiters.get(account);
    if (queue !== undefined) this.#wakeRoomWaiters(account, queue, false);
  }

  #onPresence(account: string): void {
    if (this.#stopped) return;
    const pods = this.#o.presence.pods(account);
    // Sessions came or went: what a pod last said of the account's window may be stale.
    for (const p of pods) this.#ledger.reset(p.grpcAddress, account);
    this.#ledger.retain(account, new Set(pods.map((p) => p.grpcAddress)));
    if (pods.length > 0 && !this.#pumps.has(account)) this.#startPump(account);
    if (pods.length === 0 && this.#pumps.has(account)) this.#stopPump(account);
    this.#closeUnusedLinks();
    this.#wake();
  }

  #startPump(account: string): void {
    const o = this.#o;
    const pump = new AccountPump({
      account,
      js: o.js,
      ensureConsumer: o.ensureConsumer,
      window: () => this.#window(account),
      changed: (ms) => this.#changed(ms),
      settledOne: () => {
        this.#wake();
      },
      batchSize: o.batchSize,
      pullExpiresMs: o.pullExpiresMs,
      restartDelayMs: o.restartDelayMs ?? 1_000,
      lowerLaneEvery: o.lowerLaneEvery ?? 0,
      ...(o.stallWatch === undefined ? {} : { stallWatch: o.stallWatch }),
      routing: this,
      metrics: o.metrics,
      logger: o.logger,
      maxAttempts: o.maxAttempts,
      retry: o.retry,
      roomWaitMs: o.roomWaitMs,
    });
    this.#pumps.set(account, pump);
    o.metrics.pumpedAccounts.set(this.#pumps.size);
  }

  #stopPump(account: string): void {
    const pump = this.#pumps.get(account);
    if (pump === undefined) return;
    this.#pumps.delete(account);
    this.#holds?.forget(account);
    this.#dropRoomWaiters(account);
    this.#o.metrics.pumpedAccounts.set(this.#pumps.size);
    const stopping = pump.stop().finally(() => {
      this.#stopping.delete(stopping);
    });
    this.#stopping.add(stopping);
  }

  #linkOf(address: string): EdgeLink {
    let link = this.#links.get(address);
    if (link === undefined) {
      link = new EdgeLink({
        address,
        logger: this.#o.logger,
        resultTimeoutMs: this.#o.resultTimeoutMs,
        reconnect: this.#o.reconnect,
        onCredit: (account, freeWindow, lastDeliveryId) => {
          this.#ledger.credit(address, account, freeWindow, lastDeliveryId);
          this.#wake();
        },
        onChange: () => {
          this.#wake();
        },
      });
      this.#links.set(address, link);
      this.#o.metrics.edgeLinks.set(this.#links.size);
    }
    return link;
  }

  /** Closes the links of pods that hold no account's receivers any more (and have nothing in flight). */
  #closeUnusedLinks(): void {
    const used = new Set<string>();
    for (const account of this.#o.presence.accounts()) {
      for (const p of this.#o.presence.pods(account)) used.add(p.grpcAddress);
    }
    for (const [address, link] of this.#links) {
      if (used.has(address) || link.inFlight > 0) continue;
      link.close();
      this.#links.delete(address);
    }
    this.#o.metrics.edgeLinks.set(this.#links.size);
  }
}
