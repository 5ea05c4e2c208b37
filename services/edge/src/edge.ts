/**
 * The session edge: SMPP listeners (TCP and TLS) whose sessions bind against
 * the account cache (bind/bind-handler.ts) and whose submits are validated, given a message id,
 * published to JetStream and answered ESME_ROK only after the PubAck
 * (docs/architecture.md invariant 1). Every submit is handled on its own: a session has
 * as many publishes in flight as its inbound window lets it send.
 *
 * The submit path is the hot path (see test/bench/gateway-bench.ts): the
 * SubmitAccepted is encoded directly (encodeSubmitAccepted), PubAcks are
 * matched on one reply subscription (submit-publisher.ts), per-submit metrics
 * are plain counts read at scrape time or observations with label objects made
 * once (two per submit: PubAck and submit_sm_resp time), session gauges are
 * read from the registry at scrape time, and debug lines are built only when
 * debug is on.
 *
 * Dependencies come in as parameters, so tests run it in-process against a
 * real NATS; main.ts wires the real ones.
 */
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { capToApproved, type Account, type BindType } from '@smsgw/accounts';
import { DEFAULT_TOPOLOGY_OPTIONS, priorityOrZero, submitSubject } from '@smsgw/nats';
import type { Logger } from '@smsgw/runtime';
import { componentLogger } from '@smsgw/runtime';
import {
  CommandStatus,
  commandStatusName,
  createSmppServer,
  type BindRequestPdu,
  type InboundRequestPdu,
  type SessionOptions,
  type SmppServer,
  type SmppSession,
  type SubmitSm,
} from '@smsgw/smpp';
import { setTimeout as sleep } from 'node:timers/promises';
import type net from 'node:net';
import type tls from 'node:tls';
import type { AccountSource } from './account-source.ts';
import type { AuthBackoff, AuthBackoffOptions } from './bind/auth-backoff.ts';
import type { BindFailureSync } from './bind/bind-failure-sync.ts';
import { ClusterBinds } from './bind/cluster-binds.ts';
import { answerBind, BindHandler, DEFAULT_PASSWORD_CHECKS } from './bind/bind-handler.ts';
import { ConnectionLimits, type ConnectionLimitsOptions } from './session/connection-limits.ts';
import { LogThrottle } from './session/log-throttle.ts';
import type { PasswordCheckerOptions } from './bind/password-checker.ts';
import type { MessageIdSource } from './ids/message-id-source.ts';
import { InFlight } from './session/in-flight.ts';
import type { EdgeMetrics, PublishOutcome, RetryOutcome } from './metrics.ts';
import type { Presence } from './delivery/presence.ts';
import { publishErrorStatus } from './submit/publish-status.ts';
import { SessionRegistry, type BoundSession } from './session/session-registry.ts';
import { submitFingerprint } from './submit/submit-fingerprint.ts';
import { encodeSubmitAccepted } from './submit/submit-message.ts';
import { submitPublisherFor, type SubmitPublisher } from './submit/submit-publisher.ts';
import { UnsettledSubmitSync } from './submit/unsettled-submit-sync.ts';
import { UnsettledSubmits, type UnsettledSubmit } from './submit/unsettled-submits.ts';
import { validateSubmit } from './submit/submit-validation.ts';
import { TokenBuckets } from './submit/token-bucket.ts';
import { SubmitTracing, type SubmitTrace } from './submit/submit-tracing.ts';
import { newTraceparent } from './submit/trace-context.ts';
import { unbindDelayMs } from './session/unbind-schedule.ts';

export type { AccountSource } from './account-source.ts';

/** Dependencies and settings of an Edge. */
export interface EdgeOptions {
  readonly js: JetStreamClient;
  readonly accounts: AccountSource;
  readonly presence: Presence;
  readonly ids: MessageIdSource;
  readonly metrics: EdgeMetrics;
  readonly logger: Logger;
  /** This pod's name (SubmitAccepted.edge_pod). */
  readonly pod: string;
  /** system_id in bind responses (default 'smsgw'). */
  readonly systemId?: string;
  /** Longest wait for a PubAck (ms). */
  readonly publishTimeoutMs: number;
  /**
   * Submits answered ESME_RMSGQFUL after a publish of unknown outcome are
   * remembered this long (ms) so that a retry gets the same message id
   * (submit/unsettled-submits.ts). Must stay inside SMS_SUBMIT's duplicate window less
   * the publish timeout; default: the default window less publishTimeoutMs. 0: off.
   */
  readonly unsettledSubmitsTtlMs?: number;
  /** Such submits remembered at most (default DEFAULT_UNSETTLED_SUBMITS). */
  readonly unsettledSubmitsMax?: number;
  /**
   * The unsettled-submits bucket: when given, the memory above is shared with the other edge pods
   * (submit/unsettled-submit-sync.ts), so a retry on another pod gets the first message id too.
   */
  readonly unsettledSubmitsKv?: KV;
  /**
   * On drain, how long an unbind waits for the client's unbind_resp (ms;
   * default 5000). A client that never answers must not hold the pod for the
   * whole grace period.
   */
  readonly drainUnbindTimeoutMs?: number;
  /** On drain, the window over which the sessions' unbinds are spread, so that their clients do not all reconnect at once (ms; default 0). */
  readonly drainUnbindSpreadMs?: number;
  /** Session tuning for every accepted connection. */
  readonly session?: SessionOptions;
  /** Caps on open connections (connection-limits.ts); default: DEFAULT_CONNECTION_LIMITS. */
  readonly connectionLimits?: ConnectionLimitsOptions;
  /** TLS: longest handshake (ms); default the session's bind timeout. */
  readonly tlsHandshakeTimeoutMs?: number;
  readonly authBackoff: AuthBackoffOptions;
  /** The back-off itself, when shared with other pods (bindFailures); default: one of this pod alone, from authBackoff. */
  readonly backoff?: AuthBackoff;
  /** Writes this pod's failed binds for the other pods (services/edge/README.md, "Limits across pods"); default: not shared. */
  readonly bindFailures?: BindFailureSync;
  /** The account's sessions on every pod (maxBinds, the rate share); default: this pod's only. */
  readonly clusterBinds?: ClusterBinds;
  /** Limits and cache of password checks (password-checker.ts); default DEFAULT_PASSWORD_CHECKS. */
  readonly passwordChecks?: PasswordCheckerOptions;
  /**
   * Hash verified against when the system_id is unknown, so that an unknown
   * id takes as long as a wrong password (default: one made at start with the
   * default scrypt parameters).
   */
  readonly unknownAccountHash?: string;
}

type Transport = 'tcp' | 'tls';

/** Submits answered ESME_RMSGQFUL remembered at most (a few hundred bytes each). */
export const DEFAULT_UNSETTLED_SUBMITS = 50_000;

/** Connection caps when none are given (the config's defaults; see README "Environment"). */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimitsOptions = {
  maxConnections: 5_000,
  maxPerAddress: 500,
  maxUnbound: 1_000,
};

/** Per-connection state. */
interface SessionContext {
  readonly sessionId: string;
  readonly transport: Transport;
  readonly remoteAddress: string | undefined;
  bound: BoundSession | undefined;
  /** Last account version seen at bind; used if the cache loses it before the unbind lands. */
  account: Account | undefined;
  /** Submits of this session waiting for their PubAck. */
  readonly inFlight: InFlight;
  /** Shutting down: new submits are refused, in-flight ones finish, then unbind. */
  draining: boolean;
  /** When the session started (its bind timer with it), performance.now(). */
  readonly acceptedAt: number;
}

/** A published submit, for its answer. */
interface Sent {
  readonly systemId: string;
  readonly messageId: string;
  readonly subject: string;
  /** The earlier attempt this submit retries, if any. */
  readonly retry: UnsettledSubmit | undefined;
  /** performance.now() at the submit_sm's arrival and at its publish. */
  readonly arrived: number;
  readonly started: number;
  readonly trace: SubmitTrace | undefined;
}

/** The session edge. */
export class Edge {
  readonly #o: EdgeOptions;
  readonly #log: Logger;
  readonly #binds: BindHandler;
  readonly #limits: ConnectionLimits;
  readonly #refusalLog = new LogThrottle(10_000);
  readonly #buckets = new TokenBuckets();
  readonly #clusterBinds: ClusterBinds;
  readonly #registry = new SessionRegistry();
  readonly #contexts = new Map<SmppSession, SessionContext>();
  readonly #servers: SmppServer[] = [];
  readonly #inFlight = new InFlight();
  readonly #publisher: SubmitPublisher;
  readonly #unsettled: UnsettledSubmits;
  readonly #unsettledSync: UnsettledSubmitSync | undefined;
  readonly #tracing = new SubmitTracing();
  readonly #unsubscribe: () => void;
  #accepting = true;
  #nextSessionId = 0;

  constructor(options: EdgeOptions) {
    this.#o = options;
    this.#log = componentLogger(options.logger, 'edge');
    this.#clusterBinds =
      options.clusterBinds ?? new ClusterBinds({ pod: options.pod, logger: options.logger });
    this.#binds = new BindHandler({
      accounts: options.accounts,
      metrics: options.metrics,
      logger: this.#log,
      systemId: options.systemId ?? 'smsgw',
      authBackoff: options.authBackoff,
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      ...(options.bindFailures === undefined ? {} : { bindFailures: options.bindFailures }),
      passwordChecks: options.passwordChecks ?? DEFAULT_PASSWORD_CHECKS,
      ...(options.unknownAccountHash === undefined ? {} : { unknownAccountHash: options.unknownAccountHash }),
      boundSessions: (systemId) => this.#clusterBinds.sessionsOf(systemId),
    });
    this.#limits = new ConnectionLimits(options.connectionLimits ?? DEFAULT_CONNECTION_LIMITS);
    const unsettledTtlMs = Math.max(
      0,
      options.unsettledSubmitsTtlMs ?? DEFAULT_TOPOLOGY_OPTIONS.duplicateWindowMs - options.publishTimeoutMs,
    );
    const unsettledMax = options.unsettledSubmitsMax ?? DEFAULT_UNSETTLED_SUBMITS;
    this.#unsettled = new UnsettledSubmits({ ttlMs: unsettledTtlMs, maxEntries: unsettledMax });
    this.#unsettledSync =
      options.unsettledSubmitsKv === undefined || !this.#unsettled.enabled
        ? undefined
        : new UnsettledSubmitSync({
            kv: options.unsettledSubmitsKv,
            unsettled: this.#unsettled,
            logger: this.#log,
          });
    this.#publisher = submitPublisherFor(options.js, options.publishTimeoutMs, {
      windowMs: unsettledTtlMs,
      maxEntries: unsettledMax,
      onLateAck: (msgId, ack) => {
        this.#lateAck(msgId, ack);
      },
    });
    options.metrics.countPublishesInFlight(() => this.#inFlight.count);
    options.metrics.countUnsettledSubmits(() => this.#unsettled.size);
    options.metrics.observeSessions({
      byAccount: () => this.#registry.byAccount(),
      presenceAccounts: () => options.presence.advertised,
    });
    this.#unsubscribe = options.accounts.onChange((change) => {
      if (change.type === 'invalid') return;
      if (change.type === 'delete' || !change.account.enabled)
        this.#unbindAccount(change.systemId, change.type);
    });
  }

  /** Starts an SMPP listener (TLS when `tlsOptions` is given) and resolves once it listens. */
  /** Starts following the other pods' unsettled submits (when unsettledSubmitsKv was given). */
  async startSharing(): Promise<void> {
    await this.#unsettledSync?.start();
  }

  /** Stops following them, after this pod's writes in flight (shutdown, after drain()). */
  async stopSharing(): Promise<void> {
    await this.#unsettledSync?.close();
  }

  async listen(port: number, host?: string, tlsOptions?: tls.TlsOptions): Promise<SmppServer> {
    const transport: Transport = tlsOptions === undefined ? 'tcp' : 'tls';
    const server = createSmppServer({
      ...this.#o.session,
      ...(tlsOptions === undefined ? {} : { tls: tlsOptions }),
      ...(this.#o.tlsHandshakeTimeoutMs === undefined
        ? {}
        : { handshakeTimeout: this.#o.tlsHandshakeTimeoutMs }),
      admit: (socket) => this.#admit(socket, transport),
    });
    server.on('tlsClientError', (error) => {
      this.#o.metrics.tlsHandshakeFailures.inc();
      this.#log.debug({ err: error }, 'TLS handshake failed; connection destroyed');
    });
    server.on('session', (session) => {
      this.#onSession(session, transport);
    });
    server.on('error', (error) => {
      this.#log.error({ err: error, transport }, 'SMPP listener error');
    });
    await server.listen(port, host);
    this.#servers.push(server);
    this.#log.info({ port: server.address().port, transport }, 'SMPP listener started');
    return server;
  }

  /** Open connections. */
  get sessionCount(): number {
    return this.#contexts.size;
  }

  /** Connections counted by the caps: open (TLS handshakes included) and not yet bound. */
  get connections(): { readonly open: number; readonly unbound: number } {
    return { open: this.#limits.open, unbound: this.#limits.unbound };
  }

  /** The bound sessions of an account on this pod (any bind type; a copy). For DLR delivery. */
  boundSessionsOf(systemId: string): BoundSession[] {
    return this.#registry.of(systemId);
  }

  /** Submits waiting for their PubAck. */
  get publishesInFlight(): number {
    return this.#inFlight.count;
  }

  /** Shutdown, intake phase: stop accepting connections and binds (open sessions carry on). */
  stopIntake(): void {
    if (!this.#accepting) return;
    this.#accepting = false;
    for (const server of this.#servers) {
      server.server.close();
    }
    this.#log.info('SMPP listeners closed');
  }

  /**
   * Shutdown, drain phase: each bound session, at its turn in a window of
   * drainUnbindSpreadMs, stops taking submits (new ones get ESME_RSYSERR,
   * transient: the client resubmits elsewhere), waits for the PubAcks it is
   * owed and answers them, then unbinds. Unbound connections close at once.
   */
  async drain(): Promise<void> {
    this.stopIntake();
    this.#unsubscribe();
    const entries = [...this.#contexts.entries()];
    const boundCount = entries.filter(([, ctx]) => ctx.bound !== undefined).length;
    let turn = 0;
    await Promise.all(
      entries.map(async ([session, ctx]) => {
        if (ctx.bound === undefined) {
          ctx.draining = true;
          session.close();
          return;
        }
        // Until its turn (unbind-schedule.ts) the session is served as usual.
        const delay = unbindDelayMs(turn++, boundCount, this.#o.drainUnbindSpreadMs ?? 0);
        if (delay > 0) await sleep(delay);
        ctx.draining = true;
        await ctx.inFlight.idle();
        await session.unbind({ timeout: this.#o.drainUnbindTimeoutMs ?? 5_000 });
      }),
    );
    await this.#inFlight.idle();
    this.#publisher.close();
    this.#log.info('sessions drained');
  }

  /** Closes every connection at once (tests, or after a failed drain). */
  closeAll(): void {
    this.stopIntake();
    for (const session of this.#contexts.keys()) session.close();
  }

  /** The connection caps' decision on a new TCP connection; a refusal is counted and logged (throttled). */
  #admit(socket: net.Socket, transport: Transport): boolean {
    const refused = this.#limits.admit(socket);
    if (refused === undefined) return true;
    this.#o.metrics.connectionsRefused.inc({ transport, reason: refused });
    const count = this.#refusalLog.take();
    if (count !== undefined) {
      this.#log.warn(
        {
          reason: refused,
          transport,
          remoteAddress: socket.remoteAddress,
          refused: count,
          open: this.#limits.open,
          unbound: this.#limits.unbound,
        },
        'connection refused: connection cap reached',
      );
    }
    return false;
  }

  #onSession(session: SmppSession, transport: Transport): void {
    const socket = session.socket as { remoteAddress?: string };
    const ctx: SessionContext = {
      sessionId: `s${(++this.#nextSessionId).toString(36)}`,
      transport,
      remoteAddress: socket.remoteAddress,
      bound: undefined,
      account: undefined,
      inFlight: new InFlight(),
      draining: false,
      acceptedAt: performance.now(),
    };
    if (!this.#accepting) {
      session.close();
      return;
    }
    this.#contexts.set(session, ctx);
    this.#o.metrics.sessions.inc({ transport });
    const log = this.#log.child({ sessionId: ctx.sessionId, remoteAddress: ctx.remoteAddress, transport });
    log.debug('connection accepted');
    session.on('bind', (pdu) => {
      this.#binds
        .bind({
          session,
          pdu,
          sessionId: ctx.sessionId,
          transport: ctx.transport,
          remoteAddress: ctx.remoteAddress,
          acceptedAt: ctx.acceptedAt,
          refusing: () => this.#refusingBinds(ctx),
          bound: (account, bindType) => {
            this.#registerBound(session, ctx, pdu, account, bindType);
          },
        })
        .catch((error: unknown) => {
          log.error({ err: error }, 'bind handling failed');
          answerBind(session, pdu, CommandStatus.ESME_RSYSERR, this.#log);
        });
    });
    session.on('request', (pdu) => {
      this.#onRequest(session, ctx, pdu);
    });
    session.on('warning', (warning) => {
      log.debug({ err: warning }, 'session warning');
    });
    session.once('close', (reason) => {
      this.#contexts.delete(session);
      this.#o.metrics.sessions.dec({ transport });
      const bound = ctx.bound;
      if (bound !== undefined) {
        this.#unregister(bound);
        this.#limits.boundSessionClosed();
      }
      log.info({ systemId: bound?.systemId, reason: reason.code, err: reason.error }, 'session closed');
    });
  }

  /** A bind was answered ESME_ROK: the session joins the registry (and presence, when it can receive). */
  #registerBound(
    session: SmppSession,
    ctx: SessionContext,
    pdu: BindRequestPdu,
    account: Account,
    bindType: BindType,
  ): void {
    const { systemId } = pdu;
    const bound: BoundSession = {
      session,
      sessionId: ctx.sessionId,
      systemId,
      bindType,
      // Below 0x34 (SMPP 3.3) its deliver_sm go without TLVs (docs/smpp-reference.md §3).
      interfaceVersion: pdu.interfaceVersion,
    };
    ctx.bound = bound;
    ctx.account = account;
    this.#limits.sessionBound();
    this.#registry.add(bound);
    this.#clusterBinds.bound(systemId, bindType);
    if (bindType !== 'transmitter') this.#o.presence.hold(systemId);
    this.#o.metrics.boundSessions.inc({ bind_type: bindType });
  }

  /** Shutdown has begun (for the pod or this session): binds are refused. */
  #refusingBinds(ctx: SessionContext): boolean {
    return !this.#accepting || ctx.draining;
  }

  #unregister(bound: BoundSession): void {
    this.#o.metrics.boundSessions.dec({ bind_type: bound.bindType });
    const last = this.#registry.remove(bound);
    this.#clusterBinds.unbound(bound.systemId, bound.bindType);
    if (bound.bindType !== 'transmitter') this.#o.presence.release(bound.systemId);
    if (last) this.#buckets.delete(bound.systemId);
  }

  #unbindAccount(systemId: string, why: 'put' | 'delete'): void {
    for (const bound of this.#registry.of(systemId)) {
      this.#o.metrics.accountUnbinds.inc();
      this.#log.info(
        { systemId, sessionId: bound.sessionId, why: why === 'delete' ? 'removed' : 'disabled' },
        'unbinding session of disabled or removed account',
      );
      const ctx = this.#contexts.get(bound.session);
      if (ctx === undefined) continue;
      ctx.draining = true;
      void ctx.inFlight.idle().then(() => bound.session.unbind());
    }
  }

  #onRequest(session: SmppSession, ctx: SessionContext, pdu: InboundRequestPdu): void {
    if (pdu.command === 'alert_notification') return;
    if (pdu.command !== 'submit_sm') {
      // query_sm, cancel_sm, replace_sm, submit_multi, data_sm: not offered (docs/architecture.md).
      this.#answer(session, ctx, pdu, CommandStatus.ESME_RINVCMDID);
      return;
    }
    // The engine emits a request as soon as it is decoded: its arrival, for edge_submit_response_seconds.
    const arrived = performance.now();
    const bound = ctx.bound;
    if (bound === undefined || ctx.draining) {
      this.#refuse(session, ctx, pdu, CommandStatus.ESME_RSYSERR, arrived);
      return;
    }
    try {
      this.#submit(session, ctx, bound, pdu, arrived);
    } catch (error) {
      this.#log.error({ err: error, sessionId: ctx.sessionId }, 'submit handling failed');
      this.#refuse(session, ctx, pdu, CommandStatus.ESME_RSYSERR, arrived);
    }
  }

  /** Validates, numbers and publishes a submit; it is answered now (refused) or once the publish settles. */
  #submit(
    session: SmppSession,
    ctx: SessionContext,
    bound: BoundSession,
    pdu: SubmitSm,
    arrived: number,
  ): void {
    const account = this.#o.accounts.get(bound.systemId) ?? ctx.account;
    if (account === undefined) {
      this.#refuse(session, ctx, pdu, CommandStatus.ESME_RSYSERR, arrived);
      return;
    }
    const verdict = validateSubmit(pdu, account);
    if (!verdict.ok) {
      if (this.#log.isLevelEnabled('debug')) {
        this.#log.debug(
          { sessionId: ctx.sessionId, systemId: bound.systemId, reason: verdict.reason },
          'submit rejected',
        );
      }
      this.#refuse(session, ctx, pdu, verdict.commandStatus, arrived);
      return;
    }
    // This pod's share of the account's rate (services/edge/README.md, "Limits across pods"): no NATS round trip.
    const share = this.#clusterBinds.rateShare(bound.systemId, account.maxSubmitsPerSecond);
    if (!this.#buckets.take(bound.systemId, share)) {
      this.#refuse(session, ctx, pdu, CommandStatus.ESME_RTHROTTLED, arrived);
      return;
    }
    // The retry of a submit answered ESME_RMSGQFUL gets its message id and subject (docs/architecture.md,
    // "Retried submits"). Only accounts with such a submit pay for the fingerprint.
    const retry = this.#unsettled.has(bound.systemId) ? this.#claimRetry(bound.systemId, pdu) : undefined;
    if (retry?.stored === true) {
      this.#retryAnswered(session, ctx, pdu, retry, 'late_ack', arrived);
      return;
    }
    let messageId: string;
    try {
      messageId = retry?.messageId ?? this.#o.ids.next();
    } catch (error) {
      this.#log.warn({ err: error }, 'no message id available');
      // The node-id lease lives in JetStream KV: not held while its leader is elected or hung, a state
      // that passes (docs/operations.md, "What clients see"): a status the client retries.
      this.#refuse(session, ctx, pdu, CommandStatus.ESME_RMSGQFUL, arrived);
      return;
    }
    // The router's intake lane: the requested priority capped to the account's approved ones, so that a
    // client cannot jump the queue by asking for 3 (docs/architecture.md, "Priority end to end").
    // A retry keeps its first attempt's: JetStream deduplicates within one stream.
    const requested = priorityOrZero(pdu.priorityFlag);
    const subject =
      retry?.subject ?? submitSubject(bound.systemId, capToApproved(requested, account.approvedPriorities));
    let trace: SubmitTrace | undefined;
    let traceparent: string;
    let data: Uint8Array;
    try {
      // Tracing off: no span work at all, but a fresh traceparent still ties the message's logs together.
      trace = this.#tracing.enabled
        ? this.#tracing.start({
            pdu,
            systemId: bound.systemId,
            sessionId: ctx.sessionId,
            messageId,
            segments: verdict.submit.segments,
            subject,
          })
        : undefined;
      traceparent = trace?.traceparent ?? newTraceparent();
      data = encodeSubmitAccepted(pdu, verdict.submit, {
        messageId,
        systemId: bound.systemId,
        pod: this.#o.pod,
        sessionId: ctx.sessionId,
        acceptedAtMs: Date.now(),
        traceparent,
      });
    } catch (error) {
      // Answered ESME_RSYSERR by the caller: the remembered attempt waits for the next retry.
      if (retry !== undefined) this.#unsettled.release(retry);
      throw error;
    }
    const started = performance.now();
    ctx.inFlight.add();
    this.#inFlight.add();
    const settled = (ack: PubAck | undefined, error: unknown): void => {
      const sent: Sent = { systemId: bound.systemId, messageId, subject, retry, arrived, started, trace };
      this.#published(session, ctx, pdu, sent, ack, error);
    };
    this.#publisher.publish(subject, data, messageId, traceparent).then(
      (ack) => {
        settled(ack, undefined);
      },
      (error: unknown) => {
        settled(undefined, error);
      },
    );
  }

  /**
   * A publish settled: answers ESME_ROK only for a PubAck that stored this
   * message (docs/architecture.md invariant 1), else the failure's status. Never throws
   * (it runs as a promise callback).
   */
  #published(
    session: SmppSession,
    ctx: SessionContext,
    pdu: SubmitSm,
    sent: Sent,
    ack: PubAck | undefined,
    error: unknown,
  ): void {
    const { systemId, messageId, retry, arrived, started, trace } = sent;
    let status: number;
    let outcome: PublishOutcome;
    if (ack === undefined) {
      status = publishErrorStatus(error);
      outcome = status === CommandStatus.ESME_RMSGQFUL ? 'full_or_timeout' : 'error';
      this.#log.warn({ err: error, message_id: messageId, systemId }, 'submit publish failed');
    } else if (ack.duplicate && retry === undefined) {
      // The id was stored before for another message: this one was dropped. Never OK.
      this.#log.error({ message_id: messageId, seq: ack.seq }, 'message id already used: submit dropped');
      status = CommandStatus.ESME_RSYSERR;
      outcome = 'duplicate';
    } else {
      // A retry's duplicate is its own first attempt, stored: the id is the client's (invariant 1 holds);
      // edge_submit_retries_total{outcome="deduplicated"} counts it, not the duplicate publish outcome.
      status = CommandStatus.ESME_ROK;
      outcome = 'ok';
    }
    if (retry !== undefined) {
      status = this.#retrySettled(retry, status, ack);
    } else if (status === CommandStatus.ESME_RMSGQFUL) {
      this.#rememberUnsettled(pdu, sent);
    }
    try {
      // One clock read for both: the answer is written synchronously right after it.
      const now = performance.now();
      this.#o.metrics.observePublish(outcome, (now - started) / 1000);
      const ok = status === CommandStatus.ESME_ROK;
      this.#answer(session, ctx, pdu, status, ok ? messageId : undefined);
      this.#o.metrics.observeSubmitResponse(ok ? 'ok' : 'error', (now - arrived) / 1000);
      if (this.#log.isLevelEnabled('debug')) {
        this.#log.debug(
          { message_id: messageId, systemId, commandStatus: commandStatusName(status) },
          'submit answered',
        );
      }
    } catch (answerError) {
      this.#log.error(
        { err: answerError, sessionId: ctx.sessionId, message_id: messageId },
        'submit answer failed',
      );
    } finally {
      trace?.end(status, error);
      // After the answer: drain unbinds a session once its in-flight submits are answered.
      ctx.inFlight.done();
      this.#inFlight.done();
    }
  }

  /**
   * A submit answered ESME_RMSGQFUL: JetStream may store it all the same (a
   * late PubAck), so a retry must get the same message id (submit/unsettled-submits.ts).
   * Never throws.
   */
  #rememberUnsettled(pdu: SubmitSm, sent: Sent): void {
    if (!this.#unsettled.enabled) return;
    const fingerprint = this.#fingerprint(sent.systemId, pdu, sent.messageId);
    if (fingerprint === undefined) return;
    if (!this.#unsettled.remember(sent.systemId, fingerprint, sent.messageId, sent.subject)) return;
    const entry = this.#unsettled.entry(sent.messageId);
    if (entry !== undefined) this.#unsettledSync?.put(entry);
  }

  /** The remembered attempt this submit retries, taken for it; undefined when it is a new message. */
  #claimRetry(systemId: string, pdu: SubmitSm): UnsettledSubmit | undefined {
    const fingerprint = this.#fingerprint(systemId, pdu);
    return fingerprint === undefined ? undefined : this.#unsettled.claim(systemId, fingerprint);
  }

  /** submitFingerprint(), or undefined for a PDU the codec decoded but will not encode (never remembered). */
  #fingerprint(systemId: string, pdu: SubmitSm, messageId?: string): string | undefined {
    try {
      return submitFingerprint(systemId, pdu);
    } catch (error) {
      this.#log.warn({ err: error, systemId, message_id: messageId }, 'submit fingerprint failed');
      return undefined;
    }
  }

  /**
   * A retry's publish settled with `status`: ESME_ROK settles its entry; a
   * failure is ESME_ROK all the same when a late PubAck came for an earlier
   * attempt meanwhile, else the entry waits for the next retry (or is dropped
   * when the failure will not pass). Returns the status to answer.
   */
  #retrySettled(retry: UnsettledSubmit, status: number, ack: PubAck | undefined): number {
    let outcome: RetryOutcome;
    if (status === CommandStatus.ESME_ROK) {
      outcome = ack?.duplicate === true ? 'deduplicated' : 'stored';
    } else if (retry.stored) {
      outcome = 'late_ack';
      status = CommandStatus.ESME_ROK;
    } else {
      outcome = 'failed';
    }
    if (status === CommandStatus.ESME_ROK || status !== CommandStatus.ESME_RMSGQFUL) {
      this.#unsettled.settle(retry);
      this.#unsettledSync?.settled(retry);
    } else {
      this.#unsettled.release(retry);
    }
    this.#o.metrics.submitRetries.inc({ outcome });
    this.#log.info(
      {
        message_id: retry.messageId,
        systemId: retry.systemId,
        outcome,
        commandStatus: commandStatusName(status),
      },
      'retried submit answered with its first message id',
    );
    return status;
  }

  /** A retry whose first attempt a late PubAck showed stored: answered ESME_ROK with its id, nothing published. */
  #retryAnswered(
    session: SmppSession,
    ctx: SessionContext,
    pdu: SubmitSm,
    retry: UnsettledSubmit,
    outcome: RetryOutcome,
    arrived: number,
  ): void {
    this.#unsettled.settle(retry);
    this.#unsettledSync?.settled(retry);
    this.#o.metrics.submitRetries.inc({ outcome });
    this.#log.info(
      { message_id: retry.messageId, systemId: retry.systemId, sessionId: ctx.sessionId, outcome },
      'retried submit answered with its first message id',
    );
    this.#answer(session, ctx, pdu, CommandStatus.ESME_ROK, retry.messageId);
    this.#o.metrics.observeSubmitResponse('ok', (performance.now() - arrived) / 1000);
  }

  /** A PubAck that came after its publish timed out: the submit is stored although answered ESME_RMSGQFUL. */
  #lateAck(msgId: string, ack: PubAck): void {
    this.#o.metrics.latePubAcks.inc();
    const entry = this.#unsettled.markStored(msgId);
    if (entry !== undefined) this.#unsettledSync?.put(entry);
    this.#log.info(
      { message_id: msgId, seq: ack.seq, duplicate: ack.duplicate, remembered: entry !== undefined },
      'late PubAck: a submit answered ESME_RMSGQFUL was stored',
    );
  }

  /** Answers a submit_sm that is not published, with a span of its own when tracing is on. */
  #refuse(session: SmppSession, ctx: SessionContext, pdu: SubmitSm, status: number, arrived: number): void {
    if (this.#tracing.enabled) this.#tracing.refused(pdu, ctx.bound?.systemId, ctx.sessionId, status);
    this.#answer(session, ctx, pdu, status);
    this.#o.metrics.observeSubmitResponse('error', (performance.now() - arrived) / 1000);
  }

  #answer(
    session: SmppSession,
    ctx: SessionContext,
    pdu: InboundRequestPdu,
    status: number,
    messageId?: string,
  ): void {
    this.#o.metrics.countAnswer(pdu.command, status, ctx.bound?.systemId);
    if (messageId !== undefined && pdu.command === 'submit_sm') {
      session.reply(pdu, status, { messageId });
      return;
    }
    session.reject(pdu, status);
  }
}
