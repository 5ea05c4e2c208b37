/**
 * The gateway bench's load: K transceiver sessions of our own SMPP client
 * (@smsgw/smpp connectSmpp), each keeping W submit_sm unanswered, until a
 * message count is reached or a duration has passed. Every deliver_sm is
 * answered ESME_ROK at once; final delivery receipts are matched to their
 * submits by receipted_message_id (else the id in the receipt text).
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { receiptOf } from '@smsgw/cli';
import {
  CommandStatus,
  commandStatusName,
  connectSmpp,
  createPdu,
  SessionClosedError,
  type SmppSession,
  type SubmitSm,
} from '@smsgw/smpp';

/** Where the sessions bind, and how many with which window: K sessions, each keeping W requests unanswered. */
export interface BenchSessions {
  readonly host: string;
  readonly port: number;
  readonly systemId: string;
  readonly password: string;
  readonly sessions: number;
  readonly window: number;
}

/** What to load the edge with. */
export interface LoadOptions extends BenchSessions {
  /** Messages to submit across all sessions; ignored when durationMs is set. */
  readonly messages: number;
  /** Submit for this long instead of `messages`. */
  readonly durationMs: number | undefined;
  /** Longest wait for the final DLRs after the last submit_sm_resp. */
  readonly dlrTimeoutMs: number;
  /** Offer this many submits per second (paced from the start) instead of as many as the windows allow. */
  readonly ratePerSecond?: number;
  /** Called once when the last submit_sm_resp has arrived (before the DLR wait), with the DLRs matched so far. */
  readonly onSubmitsDone?: (dlrsSoFar: number) => void;
}

/** What the load saw. */
export interface LoadResult {
  readonly accepted: number;
  /** Answers other than ESME_ROK, and requests that failed without one (timeouts…), by status name. */
  readonly rejected: ReadonlyMap<string, number>;
  /** From the first submit_sm sent to the last submit_sm_resp received. */
  readonly submitSeconds: number;
  /** submit_sm → submit_sm_resp of every answered submit (ms). */
  readonly respLatencyMs: readonly number[];
  /** submit_sm → final DLR of every accepted submit whose DLR arrived (ms). */
  readonly dlrLatencyMs: readonly number[];
  /** From the first submit_sm sent to the last final DLR matched. */
  readonly dlrSeconds: number;
  /** The most final DLRs matched within any one second (what the DLR path delivers when it has a backlog). */
  readonly dlrPeakPerSecond: number;
  /** Final DLRs for ids this run did not get an ESME_ROK for (another run's backlog), and intermediate ones. */
  readonly otherReceipts: number;
  /** When each matched final DLR arrived, in ms from the first submit_sm sent. */
  readonly dlrArrivalsMs: readonly number[];
}

/** Destinations the sim connector delivers (last digit 0..5: DELIVERED, sim-outcome.ts). */
const DESTINATIONS = ['4512345670', '4512345671', '4512345672', '4512345673', '4512345674', '4512345675'];

/** The submit_sm PDUs sent, round robin: GSM-7, registered_delivery 1 (final receipt). */
function benchSubmits(): SubmitSm[] {
  return DESTINATIONS.map((destinationAddr) =>
    createPdu('submit_sm', {
      sourceAddr: 'smsgw',
      destAddrTon: 1,
      destAddrNpi: 1,
      destinationAddr,
      registeredDelivery: 1,
      dataCoding: 0,
      shortMessage: Buffer.from('Hello from the smsgw gateway bench', 'latin1'),
    }),
  );
}

/** One submit_sm the edge's acceptance is measured with (also sizes the raw phase's payload). */
export function sampleSubmit(): SubmitSm {
  const [first] = benchSubmits();
  if (first === undefined) throw new RangeError('no bench destinations');
  return first;
}

/** Matches final DLRs to the submits' send times. */
class DlrMatcher {
  readonly latencies: number[] = [];
  /** When each matched DLR arrived (performance.now()), in arrival order. */
  readonly arrivals: number[] = [];
  lastAt = 0;
  others = 0;
  readonly #sentAt = new Map<string, number>();
  /** DLRs that overtook their submit_sm_resp (another session may carry the DLR). */
  readonly #early = new Map<string, number>();
  #target = Number.POSITIVE_INFINITY;
  #wake: (() => void) | undefined;

  accepted(id: string, sentAt: number): void {
    const early = this.#early.get(id);
    if (early === undefined) {
      this.#sentAt.set(id, sentAt);
      return;
    }
    this.#early.delete(id);
    this.#record(early - sentAt, early);
  }

  finalReceipt(id: string, at: number): void {
    const sentAt = this.#sentAt.get(id);
    if (sentAt === undefined) {
      this.#early.set(id, at);
      return;
    }
    this.#sentAt.delete(id);
    this.#record(at - sentAt, at);
  }

  /** Resolves once `target` DLRs matched, or after `timeoutMs`. */
  async waitFor(target: number, timeoutMs: number): Promise<void> {
    if (this.latencies.length >= target) return;
    this.#target = target;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.#wake = resolve;
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
    this.#wake = undefined;
  }

  /** The most arrivals within any 1 s window. */
  get peakPerSecond(): number {
    const at = [...this.arrivals].sort((a, b) => a - b);
    let peak = 0;
    let first = 0;
    for (let last = 0; last < at.length; last++) {
      while ((at[last] ?? 0) - (at[first] ?? 0) >= 1_000) first++;
      peak = Math.max(peak, last - first + 1);
    }
    return peak;
  }

  /** Receipts that never matched an accepted submit. */
  get unmatched(): number {
    return this.#early.size;
  }

  #record(latency: number, at: number): void {
    this.latencies.push(latency);
    this.arrivals.push(at);
    this.lastAt = Math.max(this.lastAt, at);
    if (this.latencies.length >= this.#target) this.#wake?.();
  }
}

/** Where a session binds, and how. */
type SessionTarget = Omit<BenchSessions, 'sessions'>;

/**
 * Connects and binds one session that answers every deliver_sm ESME_ROK at once and passes each receipt
 * it carries to `onReceipt` (undefined: not a receipt).
 */
async function openSession(
  o: SessionTarget,
  bindType: 'transceiver' | 'receiver',
  onReceipt: (receipt: ReturnType<typeof receiptOf>) => void,
): Promise<SmppSession> {
  const session = await connectSmpp({
    host: o.host,
    port: o.port,
    windowSize: o.window,
    inboundWindow: Math.max(100, o.window),
    responseTimeout: 30_000,
  });
  // Before the bind: a backlog of DLRs may arrive right after it.
  session.on('request', (pdu) => {
    if (pdu.command !== 'deliver_sm') {
      session.reject(pdu, CommandStatus.ESME_RINVCMDID);
      return;
    }
    session.reply(pdu, CommandStatus.ESME_ROK, { messageId: '' });
    onReceipt(receiptOf(pdu));
  });
  await session.bind(bindType, { systemId: o.systemId, password: o.password });
  return session;
}

/** Receivers bound for the raw phase: they take the DLRs of the raw publishes as the load's sessions took the edge's. */
export interface Receivers {
  /** Final receipts received so far. */
  readonly finals: () => number;
  /** Resolves once `n` final receipts arrived, or after `timeoutMs`. */
  waitFor(n: number, timeoutMs: number): Promise<void>;
  /** Unbinds them. */
  close(): Promise<void>;
}

/**
 * Binds `sessions` receivers of the account (outbound window `window`), each answering every
 * deliver_sm ESME_ROK at once, as the load's transceivers do.
 */
export async function bindReceivers(o: BenchSessions): Promise<Receivers> {
  let finals = 0;
  let wake: (() => void) | undefined;
  let target = Number.POSITIVE_INFINITY;
  const open = (): Promise<SmppSession> =>
    openSession(o, 'receiver', (receipt) => {
      if (receipt?.final === true && ++finals >= target) wake?.();
    });
  const sessions = await Promise.all(Array.from({ length: o.sessions }, open));
  return {
    finals: () => finals,
    async waitFor(n, timeoutMs) {
      if (finals >= n) return;
      target = n;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
    async close() {
      await Promise.all(sessions.map((s) => s.unbind({ timeout: 5_000 })));
    },
  };
}

/** Binds the sessions, runs the load, waits (bounded) for the DLRs, unbinds. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const matcher = new DlrMatcher();
  const sessions = await Promise.all(
    Array.from({ length: o.sessions }, () =>
      openSession(o, 'transceiver', (receipt) => {
        if (receipt?.final === true) matcher.finalReceipt(receipt.id, performance.now());
        else matcher.others++;
      }),
    ),
  );
  const pdus = benchSubmits();
  const respLatencyMs: number[] = [];
  const rejected = new Map<string, number>();
  const reject = (status: string): void => {
    rejected.set(status, (rejected.get(status) ?? 0) + 1);
  };
  let accepted = 0;
  let next = 0;
  let lastRespAt = 0;
  const started = performance.now();
  const deadline = o.durationMs === undefined ? Number.POSITIVE_INFINITY : started + o.durationMs;
  const more = (): boolean => (o.durationMs === undefined ? next < o.messages : performance.now() < deadline);

  const worker = async (session: SmppSession): Promise<void> => {
    while (more() && session.closeReason === undefined) {
      const i = next++;
      if (o.ratePerSecond !== undefined) {
        const waitMs = started + (i * 1000) / o.ratePerSecond - performance.now();
        if (waitMs > 0) await sleep(waitMs);
        if (!more()) return;
      }
      // One PDU object per destination is shared: request() numbers and encodes it synchronously.
      const pdu = pdus[i % pdus.length] as SubmitSm;
      const sentAt = performance.now();
      try {
        const resp = await session.request(pdu);
        const at = performance.now();
        lastRespAt = at;
        respLatencyMs.push(at - sentAt);
        if (resp.commandStatus === CommandStatus.ESME_ROK) {
          accepted++;
          matcher.accepted(resp.messageId, sentAt);
        } else {
          reject(commandStatusName(resp.commandStatus));
        }
      } catch (error) {
        lastRespAt = performance.now();
        reject(error instanceof Error ? error.name : 'error');
        if (error instanceof SessionClosedError) return;
      }
    }
  };
  try {
    await Promise.all(sessions.flatMap((s) => Array.from({ length: o.window }, () => worker(s))));
    o.onSubmitsDone?.(matcher.latencies.length);
    await matcher.waitFor(accepted, o.dlrTimeoutMs);
  } finally {
    await Promise.all(sessions.map((s) => s.unbind({ timeout: 5_000 })));
  }
  return {
    accepted,
    rejected,
    submitSeconds: (lastRespAt - started) / 1000,
    respLatencyMs,
    dlrLatencyMs: matcher.latencies,
    dlrSeconds: (matcher.lastAt - started) / 1000,
    dlrPeakPerSecond: matcher.peakPerSecond,
    otherReceipts: matcher.others + matcher.unmatched,
    dlrArrivalsMs: matcher.arrivals.map((at) => at - started),
  };
}
