/**
 * The gateway bench's phases against a running local system (see
 * gateway-bench.ts): the SMPP load against the edge, and the raw JetStream
 * publishes it is compared with, each measuring who spent the CPU.
 */
import { toBinary } from '@bufbuild/protobuf';
import { submitAcceptedOf, validateSubmit } from '@smsgw/edge';
import { submitSubject } from '@smsgw/nats';
import { SubmitAcceptedSchema } from '@smsgw/proto';
import type { BenchConfig } from './bench-config.ts';
import { BenchError } from './bench-error.ts';
import type { Downstream } from './downstream.ts';
import type { LocalSystem } from './local-system.ts';
import { startCpuWatch, type CpuShare, type WatchedProcess } from './process-cpu.ts';
import { runRawPublishes, type RawResult, type RawTarget } from './raw-publish.ts';
import { bindReceivers, runLoad, sampleSubmit, type BenchSessions, type LoadResult } from './smpp-load.ts';

/** One edge phase: the load, its DLRs, and who spent the CPU. */
export interface EdgeRound {
  readonly load: LoadResult;
  /** Accepted submit/s. */
  readonly rate: number;
  readonly submitCpu: CpuShare[];
  readonly dlrCpu: CpuShare[];
  /** DLRs that arrived after the last submit_sm_resp. */
  readonly lateDlrs: number;
}

/** One raw phase: its publishes, rate and CPU. */
export interface RawRound extends RawResult {
  readonly rate: number;
  readonly cpu: CpuShare[];
}

/** A raw phase into the pipeline, with the DLRs its receivers took. */
export interface RawPipelineRound extends RawRound {
  readonly dlrs: number;
}

/** What the phases run against. */
export interface BenchPhasesOptions {
  readonly system: LocalSystem;
  readonly downstream: Downstream;
  /** The processes whose CPU is measured (the bench client, every service, nats-server). */
  readonly watched: readonly WatchedProcess[];
  /** Where the load's sessions, and the raw phase's receivers, bind. */
  readonly sessions: BenchSessions;
  readonly config: BenchConfig;
}

/** The SubmitAccepted the edge publishes for the bench's submit under message id `messageId`, encoded. */
export function submitAcceptedBytes(
  system: LocalSystem,
  systemId: string,
  messageId = '1234567890123456789',
): Uint8Array {
  const pdu = sampleSubmit();
  const verdict = validateSubmit(pdu, system.account);
  if (!verdict.ok) throw new BenchError(`the bench's submit_sm is not acceptable: ${verdict.reason}`);
  const message = submitAcceptedOf(pdu, verdict.submit, {
    messageId,
    systemId,
    pod: 'edge-local',
    sessionId: 's1',
    acceptedAtMs: Date.now(),
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  });
  return toBinary(SubmitAcceptedSchema, message);
}

/** Runs the phases of the bench (see the module comment). */
export class BenchPhases {
  readonly #o: BenchPhasesOptions;

  constructor(options: BenchPhasesOptions) {
    this.#o = options;
  }

  /**
   * The SMPP load against the edge (`messages` when given, else BENCH_MESSAGES or BENCH_DURATION), the
   * downstream held as BENCH_DOWNSTREAM says until the last submit_sm_resp.
   */
  async edge(messages?: number): Promise<EdgeRound> {
    const { downstream, watched, sessions, config } = this.#o;
    downstream.hold();
    const watch = startCpuWatch(watched);
    let submitCpu: CpuShare[] = [];
    let dlrWatch: { stop(): CpuShare[] } | undefined;
    let dlrsAtSubmitsDone = 0;
    const load = await runLoad({
      ...sessions,
      messages: messages ?? config.BENCH_MESSAGES,
      durationMs: messages === undefined ? config.BENCH_DURATION : undefined,
      dlrTimeoutMs: config.BENCH_DLR_TIMEOUT,
      onSubmitsDone: (dlrsSoFar) => {
        submitCpu = watch.stop();
        dlrsAtSubmitsDone = dlrsSoFar;
        dlrWatch = startCpuWatch(watched);
        downstream.release();
      },
    });
    const dlrCpu = dlrWatch?.stop() ?? [];
    return {
      load,
      rate: load.submitSeconds > 0 ? load.accepted / load.submitSeconds : 0,
      submitCpu,
      dlrCpu,
      lateDlrs: load.dlrLatencyMs.length - dlrsAtSubmitsDone,
    };
  }

  /** `messages` raw publishes to `target` with K×W in flight, the CPU of `watching` measured over them. */
  async raw(
    target: RawTarget,
    messages: number,
    noAsyncTraces: boolean,
    watching: readonly WatchedProcess[],
  ): Promise<RawRound> {
    const { system, sessions } = this.#o;
    const rawWatch = startCpuWatch(watching);
    const raw = await runRawPublishes({
      url: system.nats.url,
      topology: system.topology,
      nc: system.nc,
      messages,
      inFlight: sessions.sessions * sessions.window,
      target,
      timeoutMs: 5_000,
      noAsyncTraces,
    });
    const cpu = rawWatch.stop();
    return { ...raw, cpu, rate: raw.seconds > 0 ? raw.published / raw.seconds : 0 };
  }

  /**
   * The yardstick: the same number of SubmitAccepted, published by one process straight onto the edge's
   * subject while the pipeline processes them as it processed the edge's (downstream held the same way).
   * Receivers as the load had them: the raw messages' DLRs are pushed through the edge meanwhile, as the
   * edge phase's were.
   */
  async rawPipeline(messages: number): Promise<RawPipelineRound> {
    const { system, downstream, watched, sessions, config } = this.#o;
    const receivers = await bindReceivers(sessions);
    try {
      downstream.hold();
      const raw = await this.raw(
        {
          kind: 'pipeline',
          subject: submitSubject(sessions.systemId),
          payloadFor: (id) => submitAcceptedBytes(system, sessions.systemId, id),
        },
        messages,
        false,
        watched,
      );
      downstream.release();
      await receivers.waitFor(raw.published, config.BENCH_DLR_TIMEOUT);
      return { ...raw, dlrs: receivers.finals() };
    } finally {
      downstream.release();
      await receivers.close();
    }
  }
}
