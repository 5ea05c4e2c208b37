/**
 * The edge's metrics: what an operator watches — binds by result, submits by
 * the command_status they were answered with, how long PubAcks and
 * submit_sm_resp take, how many sessions and publishes are open; read at
 * scrape time from the session registry and presence, the bound sessions of
 * the busiest accounts (a bounded number of them), how full the sessions'
 * submit and deliver windows are, and how many accounts this pod advertises
 * receivers for.
 */
import type { Counter, Gauge, Histogram, Metrics } from '@smsgw/runtime';
import { commandStatusName } from '@smsgw/smpp';
import { busiestAccounts } from './session/account-sessions.ts';
import type { BoundSession } from './session/session-registry.ts';
import { readWindowUse, type WindowUse, type WindowUseReading } from './session/window-use.ts';

/** What a publish ended as (edge_publish_seconds' `outcome` label). */
export type PublishOutcome = 'ok' | 'duplicate' | 'full_or_timeout' | 'error';

/**
 * What became of a submit recognised as the retry of one answered ESME_RMSGQFUL
 * (edge_submit_retries_total's `outcome` label, unsettled-submits.ts): answered
 * at once because a late PubAck said the first was stored (`late_ack`),
 * published again with the first id and dropped by JetStream as the duplicate
 * of the stored first (`deduplicated`), stored now (`stored`), failed again (`failed`).
 */
export type RetryOutcome = 'late_ack' | 'deduplicated' | 'stored' | 'failed';

/** How a submit_sm was answered (edge_submit_response_seconds' `result` label): ESME_ROK or any error status. */
export type SubmitResult = 'ok' | 'error';

/** Where the scrape-time session gauges are read from (the Edge). */
export interface SessionSource {
  /** This pod's bound sessions by system_id (SessionRegistry.byAccount). */
  byAccount(): ReadonlyMap<string, ReadonlySet<BoundSession>>;
  /** Accounts this pod advertises receivers for (Presence.advertised). */
  presenceAccounts(): number;
}

/** Settings of the edge's metrics. */
export interface EdgeMetricsOptions {
  /** Accounts that get edge_account_sessions_bound series, those with the most sessions (EDGE_METRICS_ACCOUNTS; default 50, 0 = none). */
  readonly accountLimit?: number;
}

/** The edge's metric handles. */
export interface EdgeMetrics {
  /** Bind requests by bind type and result (ok, invalid_credentials, disabled, bind_type, address, tls_required, limit, shutting_down, error). */
  readonly binds: Counter<'bind_type' | 'result'>;
  /** submit_sm (and unsupported requests) by the command_status answered, e.g. ESME_ROK, ESME_RTHROTTLED. */
  readonly submits: Counter<'command' | 'command_status'>;
  /** submit_sm of bound sessions by account and command_status (the first EDGE_METRICS_ACCOUNTS accounts; the rest as OTHER_ACCOUNTS). */
  readonly accountSubmits: Counter<'account' | 'command_status'>;
  /** Time from publishing a submit to its PubAck (or failure), by outcome. */
  readonly publishSeconds: Histogram<'outcome'>;
  /** Time from a submit_sm's arrival (decoded) to its submit_sm_resp being written, by result (ok, error). */
  readonly submitResponseSeconds: Histogram<'result'>;
  /** Open SMPP connections by transport (tcp, tls). */
  readonly sessions: Gauge<'transport'>;
  /** Bound sessions by bind type. */
  readonly boundSessions: Gauge<'bind_type'>;
  /** Submits waiting for their PubAck: read at scrape time from the source given to countPublishesInFlight. */
  readonly publishesInFlight: Gauge;
  /** Sessions unbound because their account was disabled or removed. */
  readonly accountUnbinds: Counter;
  /** Connections refused at accept by a cap (connection-limits.ts), by transport and reason. */
  readonly connectionsRefused: Counter<'transport' | 'reason'>;
  /** TLS handshakes that failed or timed out (the socket is destroyed). */
  readonly tlsHandshakeFailures: Counter;
  /** How bind passwords were judged (password-checker.ts): scrypt, cache, backoff, busy. */
  readonly passwordChecks: Counter<'outcome'>;
  /** PubAcks that came after the publish timeout: the submit was answered ESME_RMSGQFUL, yet stored. */
  readonly latePubAcks: Counter;
  /** Submits recognised as the retry of one answered ESME_RMSGQFUL, by outcome (RetryOutcome). */
  readonly submitRetries: Counter<'outcome'>;
  /** Where edge_unsettled_submits (submits remembered for their retries) is read from at scrape time. */
  countUnsettledSubmits(source: () => number): void;
  /**
   * Counts a request answered with `status` into `submits`: a plain number
   * per command and status, added to the counter when it is scraped (a
   * labelled prom-client inc() hashes its labels on every call, which showed
   * in the edge's CPU profile).
   */
  countAnswer(command: string, status: number, account?: string): void;
  /** Observes a publish's duration into `publishSeconds`. */
  observePublish(outcome: PublishOutcome, seconds: number): void;
  /** Where `publishesInFlight` is read from at scrape time (the Edge's count). */
  countPublishesInFlight(source: () => number): void;
  /** Observes a submit_sm's arrival → submit_sm_resp time into `submitResponseSeconds`. */
  observeSubmitResponse(result: SubmitResult, seconds: number): void;
  /** Where the session, window and presence gauges are read from at scrape time. */
  observeSessions(source: SessionSource): void;
}

/** Answer counts not yet added to edge_submits_total. */
/** The account label of submits of the accounts past EDGE_METRICS_ACCOUNTS (a system_id cannot be empty-bracketed like this). */
export const OTHER_ACCOUNTS = '(other)';

class AnswerCounts {
  readonly #byCommand = new Map<string, Map<number, { labels: Record<string, string>; pending: number }>>();
  readonly #byAccount = new Map<string, Map<number, { labels: Record<string, string>; pending: number }>>();

  add(command: string, status: number): void {
    let byStatus = this.#byCommand.get(command);
    if (byStatus === undefined) {
      byStatus = new Map();
      this.#byCommand.set(command, byStatus);
    }
    const entry = byStatus.get(status);
    if (entry === undefined) {
      byStatus.set(status, { labels: { command, command_status: commandStatusName(status) }, pending: 1 });
    } else {
      entry.pending++;
    }
  }

  /** Counts a submit_sm of a bound account; the first `limit` accounts seen get their own series, the rest share OTHER_ACCOUNTS. */
  addForAccount(account: string, status: number, limit: number): void {
    const key = this.#byAccount.has(account) || this.#byAccount.size < limit ? account : OTHER_ACCOUNTS;
    let byStatus = this.#byAccount.get(key);
    if (byStatus === undefined) {
      byStatus = new Map();
      this.#byAccount.set(key, byStatus);
    }
    const entry = byStatus.get(status);
    if (entry === undefined) {
      byStatus.set(status, {
        labels: { account: key, command_status: commandStatusName(status) },
        pending: 1,
      });
    } else {
      entry.pending++;
    }
  }

  /** Adds the per-account counts since the last flush to `counter`. */
  flushAccountsInto(counter: Counter<'account' | 'command_status'>): void {
    for (const byStatus of this.#byAccount.values()) {
      for (const entry of byStatus.values()) {
        if (entry.pending === 0) continue;
        counter.inc(entry.labels, entry.pending);
        entry.pending = 0;
      }
    }
  }

  /** Adds what was counted since the last flush to `counter`. */
  flushInto(counter: Counter<'command' | 'command_status'>): void {
    for (const byStatus of this.#byCommand.values()) {
      for (const entry of byStatus.values()) {
        if (entry.pending === 0) continue;
        counter.inc(entry.labels, entry.pending);
        entry.pending = 0;
      }
    }
  }
}

/** edge_publish_seconds' label sets, made once. */
const OUTCOME_LABELS: Readonly<Record<PublishOutcome, { readonly outcome: PublishOutcome }>> = {
  ok: { outcome: 'ok' },
  duplicate: { outcome: 'duplicate' },
  full_or_timeout: { outcome: 'full_or_timeout' },
  error: { outcome: 'error' },
};

/** edge_submit_response_seconds' label sets, made once. */
const RESULT_LABELS: Readonly<Record<SubmitResult, { readonly result: SubmitResult }>> = {
  ok: { result: 'ok' },
  error: { result: 'error' },
};

/** The window gauges' label sets, made once. */
const WINDOW_LABELS = { submit: { window: 'submit' }, deliver: { window: 'deliver' } } as const;

/** Sets a `window`-labelled gauge from one field of both windows' reading. */
function setWindows(gauge: Gauge<'window'>, reading: WindowUseReading, field: keyof WindowUse): void {
  gauge.set(WINDOW_LABELS.submit, reading.submit[field]);
  gauge.set(WINDOW_LABELS.deliver, reading.deliver[field]);
}

/** No sessions: what the gauges show before the Edge gives its source. */
const NO_SESSIONS: SessionSource = { byAccount: () => new Map(), presenceAccounts: () => 0 };

/** Registers the edge's metrics in a service registry. */
export function createEdgeMetrics(metrics: Metrics, options: EdgeMetricsOptions = {}): EdgeMetrics {
  const accountLimit = options.accountLimit ?? 50;
  const answers = new AnswerCounts();
  let publishesInFlight: () => number = () => 0;
  let unsettledSubmits: () => number = () => 0;
  let sessions = NO_SESSIONS;
  // The four window gauges are collected in the same synchronous pass of a scrape: one walk over the
  // sessions serves them all, so they show one instant (used never above slots) and cost one pass.
  let windowReading: WindowUseReading | undefined;
  const windows = (): WindowUseReading => {
    if (windowReading === undefined) {
      windowReading = readWindowUse(sessions.byAccount().values());
      queueMicrotask(() => {
        windowReading = undefined;
      });
    }
    return windowReading;
  };
  const publishSeconds = metrics.histogram({
    name: 'edge_publish_seconds',
    help: 'Time from publishing an accepted submit to its PubAck or failure',
    labelNames: ['outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  const submitResponseSeconds = metrics.histogram({
    name: 'edge_submit_response_seconds',
    help: "Time from a submit_sm's arrival (decoded) to its submit_sm_resp being written, by result (ok, error)",
    labelNames: ['result'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  metrics.gauge({
    name: 'edge_accounts_bound',
    help: 'Accounts with at least one bound session on this pod',
    collect() {
      this.set(sessions.byAccount().size);
    },
  });
  metrics.gauge({
    name: 'edge_account_sessions_bound',
    help: 'Bound sessions by account and bind type, for the accounts with the most sessions on this pod (EDGE_METRICS_ACCOUNTS of them)',
    labelNames: ['account', 'bind_type'],
    collect() {
      // Only the current busiest: an account that left or fell out of the top leaves the series.
      this.reset();
      for (const { systemId, byBindType } of busiestAccounts(sessions.byAccount(), accountLimit)) {
        for (const [bindType, n] of byBindType) this.set({ account: systemId, bind_type: bindType }, n);
      }
    },
  });
  metrics.gauge({
    name: 'edge_session_window_used',
    help: 'Window slots in use, summed over bound sessions: submit = submits awaiting PubAck, deliver = deliver_sm awaiting resp',
    labelNames: ['window'],
    collect() {
      setWindows(this, windows(), 'used');
    },
  });
  metrics.gauge({
    name: 'edge_session_window_slots',
    help: 'Window slots of the bound sessions that have the window (submit: TX/TRX, EDGE_SMPP_WINDOW each; deliver: RX/TRX)',
    labelNames: ['window'],
    collect() {
      setWindows(this, windows(), 'slots');
    },
  });
  metrics.gauge({
    name: 'edge_session_windows_full',
    help: 'Bound sessions whose window is full (submit: not read until a PubAck comes; deliver: sent no more DLRs)',
    labelNames: ['window'],
    collect() {
      setWindows(this, windows(), 'full');
    },
  });
  metrics.gauge({
    name: 'edge_session_window_max_ratio',
    help: 'Highest window use of one bound session, 0 to 1',
    labelNames: ['window'],
    collect() {
      setWindows(this, windows(), 'maxRatio');
    },
  });
  metrics.gauge({
    name: 'edge_unsettled_submits',
    help: 'Submits answered ESME_RMSGQFUL whose storage is unknown, remembered so that a retry gets the same message id',
    collect() {
      this.set(unsettledSubmits());
    },
  });
  metrics.gauge({
    name: 'edge_presence_accounts',
    help: 'Accounts this pod advertises receivers for in presence',
    collect() {
      this.set(sessions.presenceAccounts());
    },
  });
  return {
    binds: metrics.counter({
      name: 'edge_binds_total',
      help: 'Bind requests by bind type and result',
      labelNames: ['bind_type', 'result'],
    }),
    submits: metrics.counter({
      name: 'edge_submits_total',
      help: 'Requests from clients (submit_sm and unsupported ones) by the command_status answered',
      labelNames: ['command', 'command_status'],
      collect() {
        answers.flushInto(this);
      },
    }),
    publishSeconds,
    submitResponseSeconds,
    accountSubmits: metrics.counter({
      name: 'edge_account_submits_total',
      help: 'submit_sm of bound sessions by account and the command_status answered; accounts past EDGE_METRICS_ACCOUNTS share account="(other)"',
      labelNames: ['account', 'command_status'],
      collect() {
        answers.flushAccountsInto(this);
      },
    }),
    sessions: metrics.gauge({
      name: 'edge_sessions_open',
      help: 'Open SMPP connections by transport',
      labelNames: ['transport'],
    }),
    boundSessions: metrics.gauge({
      name: 'edge_sessions_bound',
      help: 'Bound SMPP sessions by bind type',
      labelNames: ['bind_type'],
    }),
    publishesInFlight: metrics.gauge({
      name: 'edge_publishes_in_flight',
      help: 'Accepted submits waiting for their PubAck',
      collect() {
        this.set(publishesInFlight());
      },
    }),
    accountUnbinds: metrics.counter({
      name: 'edge_account_unbinds_total',
      help: 'Sessions unbound because their account was disabled or removed',
    }),
    connectionsRefused: metrics.counter({
      name: 'edge_connections_refused_total',
      help: 'Connections refused at accept by a connection cap, by transport and reason',
      labelNames: ['transport', 'reason'],
    }),
    tlsHandshakeFailures: metrics.counter({
      name: 'edge_tls_handshake_failures_total',
      help: 'TLS handshakes that failed or timed out; their sockets are destroyed',
    }),
    passwordChecks: metrics.counter({
      name: 'edge_password_checks_total',
      help: 'Bind passwords by how they were judged: scrypt, cache, backoff (refused without scrypt), busy (too many checks)',
      labelNames: ['outcome'],
    }),
    latePubAcks: metrics.counter({
      name: 'edge_late_pubacks_total',
      help: 'PubAcks that came after the publish timeout: submits answered ESME_RMSGQFUL that JetStream stored all the same',
    }),
    submitRetries: metrics.counter({
      name: 'edge_submit_retries_total',
      help: 'Submits recognised as the retry of one answered ESME_RMSGQFUL (same message id), by outcome: late_ack, deduplicated, stored, failed',
      labelNames: ['outcome'],
    }),
    countUnsettledSubmits(source) {
      unsettledSubmits = source;
    },
    countAnswer(command, status, account) {
      answers.add(command, status);
      if (account !== undefined && command === 'submit_sm')
        answers.addForAccount(account, status, accountLimit);
    },
    observePublish(outcome, seconds) {
      publishSeconds.observe(OUTCOME_LABELS[outcome], seconds);
    },
    countPublishesInFlight(source) {
      publishesInFlight = source;
    },
    observeSubmitResponse(result, seconds) {
      submitResponseSeconds.observe(RESULT_LABELS[result], seconds);
    },
    observeSessions(source) {
      sessions = source;
    },
  };
}
