/**
 * `smsgw send` at work: connect (TCP or TLS), bind, submit every part of
 * `count` copies of the message keeping at most `window` unanswered, wait for
 * their receipts when asked, unbind. Returns what happened; printing and the
 * exit code are the caller's (send-output.ts).
 */
import { performance } from 'node:perf_hooks';
import type { ConnectionOptions } from 'node:tls';
import {
  BindRejectedError,
  CommandStatus,
  commandStatusName,
  connectSmpp,
  SmppError,
  type SmppSession,
  type SubmitSm,
} from '@smsgw/smpp';
import { CliError } from '../cli-error.ts';
import { buildSubmits, type MessageSpec } from './build-submits.ts';
import { summarizeLatency, type LatencySummary } from './latency-stats.ts';
import { ReceiptCollector, type Receipt } from './receipt-collector.ts';
import type { SendProgress } from './send-progress.ts';

/** Everything `send` needs, validated (see send-plan.ts). */
export interface SendPlan {
  readonly host: string;
  readonly port: number;
  /** TLS options when --tls, else undefined. */
  readonly tls?: ConnectionOptions;
  readonly systemId: string;
  readonly password: string;
  readonly systemType: string;
  readonly bind: 'transmitter' | 'transceiver';
  readonly spec: MessageSpec;
  /** How many copies of the message. */
  readonly count: number;
  /** Unanswered submit_sm at most. */
  readonly window: number;
  /** Wait this long for final receipts; undefined: do not wait. */
  readonly waitDlrMs?: number;
  /** submit_sm response timeout. */
  readonly responseTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

/** One submit_sm and its answer. */
export interface SubmitOutcome {
  /** Which copy (0-based) and which part (1-based) of it. */
  readonly message: number;
  readonly part: number;
  readonly parts: number;
  readonly commandStatus: number;
  readonly status: string;
  readonly messageId?: string;
  /** Why there was no response (timeout, session closed…). */
  readonly error?: string;
  readonly latencyMs: number;
}

/** What a run did. */
export interface SendReport {
  readonly submits: readonly SubmitOutcome[];
  readonly accepted: number;
  readonly rejected: number;
  readonly elapsedMs: number;
  readonly latency?: LatencySummary;
  /** Receipts by message id (only with waitDlrMs). */
  readonly receipts: ReadonlyMap<string, readonly Receipt[]>;
  /** Accepted ids still without a final receipt when the wait ended. */
  readonly missingReceipts: readonly string[];
  /** Receipts for ids this run did not submit (an earlier backlog), acknowledged. */
  readonly otherReceipts: number;
  /** Set when the run was interrupted (SIGINT). */
  readonly interrupted: boolean;
  /** submit_sm never sent: the run was interrupted or the session closed first. */
  readonly unsent: number;
  /** Why the session closed before the end, if it did (e.g. the server unbound). */
  readonly closedEarly?: string;
}

async function open(plan: SendPlan): Promise<SmppSession> {
  try {
    return await connectSmpp({
      host: plan.host,
      port: plan.port,
      ...(plan.tls === undefined ? {} : { tls: plan.tls }),
      connectTimeout: plan.connectTimeoutMs,
      windowSize: plan.window,
      responseTimeout: plan.responseTimeoutMs,
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new CliError(
      `cannot connect to ${plan.host}:${plan.port}${plan.tls === undefined ? '' : ' (TLS)'}: ${reason}`,
      1,
      {
        cause: err,
      },
    );
  }
}

async function bind(session: SmppSession, plan: SendPlan): Promise<void> {
  try {
    await session.bind(plan.bind, {
      systemId: plan.systemId,
      password: plan.password,
      systemType: plan.systemType,
    });
  } catch (err) {
    session.close();
    if (err instanceof BindRejectedError) {
      throw new CliError(`bind_${plan.bind} refused: ${commandStatusName(err.commandStatus)}`, 1, {
        cause: err,
      });
    }
    const reason = err instanceof Error ? err.message : String(err);
    throw new CliError(`bind_${plan.bind} failed: ${reason}`, 1, { cause: err });
  }
}

interface Job {
  readonly message: number;
  readonly part: number;
  readonly parts: number;
  readonly pdu: SubmitSm;
}

function jobsOf(plan: SendPlan): Job[] {
  // A random first reference, so that two runs to one handset do not mix their parts.
  const first = Math.floor(Math.random() * 256);
  const jobs: Job[] = [];
  for (let message = 0; message < plan.count; message++) {
    const pdus = buildSubmits(plan.spec, (first + message) % 256);
    pdus.forEach((pdu, i) => jobs.push({ message, part: i + 1, parts: pdus.length, pdu }));
  }
  return jobs;
}

async function submit(session: SmppSession, job: Job): Promise<SubmitOutcome> {
  const { message, part, parts } = job;
  const started = performance.now();
  try {
    const resp = await session.request(job.pdu);
    const latencyMs = performance.now() - started;
    const status = commandStatusName(resp.commandStatus);
    return resp.commandStatus === CommandStatus.ESME_ROK
      ? {
          message,
          part,
          parts,
          commandStatus: resp.commandStatus,
          status,
          messageId: resp.messageId,
          latencyMs,
        }
      : { message, part, parts, commandStatus: resp.commandStatus, status, latencyMs };
  } catch (err) {
    const latencyMs = performance.now() - started;
    const commandStatus = err instanceof SmppError ? err.commandStatus : CommandStatus.ESME_RSYSERR;
    const error = err instanceof Error ? err.message : String(err);
    return {
      message,
      part,
      parts,
      commandStatus,
      status: commandStatusName(commandStatus),
      error,
      latencyMs,
    };
  }
}

/** Runs the plan; CliError for connect and bind failures, everything else is in the report. `progress` counts along. */
export async function runSend(
  plan: SendPlan,
  signal?: AbortSignal,
  progress?: SendProgress,
): Promise<SendReport> {
  const jobs = jobsOf(plan);
  const session = await open(plan);
  const collector = new ReceiptCollector(session);
  progress?.expect(jobs.length);
  progress?.countReceipts(() => collector.receiptCount);
  // Stops the sending and the waiting alike: the user's interrupt, or the session ending under us.
  const halt = new AbortController();
  const onAbort = (): void => {
    halt.abort();
  };
  session.once('close', onAbort);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await bind(session, plan);
    const outcomes: (SubmitOutcome | undefined)[] = new Array<SubmitOutcome | undefined>(jobs.length);
    let next = 0;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (next < jobs.length && !halt.signal.aborted) {
        const index = next++;
        const job = jobs[index];
        if (job === undefined) continue;
        progress?.sent();
        const outcome = await submit(session, job);
        progress?.answered(outcome.messageId !== undefined);
        outcomes[index] = outcome;
      }
    };
    await Promise.all(Array.from({ length: Math.min(plan.window, jobs.length) }, worker));
    const elapsedMs = performance.now() - started;
    const done = outcomes.filter((o): o is SubmitOutcome => o !== undefined);
    const ids = done.flatMap((o) => (o.messageId === undefined ? [] : [o.messageId]));
    const accepted = ids.length;
    const wait =
      plan.waitDlrMs === undefined || ids.length === 0
        ? { receipts: new Map<string, readonly Receipt[]>(), missing: [] }
        : await collector.waitFor(ids, plan.waitDlrMs, halt.signal);
    const latency = summarizeLatency(done.map((o) => o.latencyMs));
    return {
      submits: done,
      accepted,
      rejected: done.length - accepted,
      elapsedMs,
      ...(latency === undefined ? {} : { latency }),
      receipts: wait.receipts,
      missingReceipts: wait.missing,
      otherReceipts: collector.othersThan(new Set(ids)),
      interrupted: signal?.aborted === true,
      unsent: jobs.length - done.length,
      ...(session.closeReason === undefined ? {} : { closedEarly: session.closeReason.code }),
    };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await session.unbind({ timeout: 5_000 });
  }
}
