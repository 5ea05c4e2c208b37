/**
 * What `smsgw send` prints and how it exits: message ids (one per part),
 * receipts, a throughput/latency summary for --count > 1, or all of it as
 * one JSON document with --json. Exit 1 when any submit was not accepted,
 * a receipt did not come in time, a final receipt is not DELIVRD, a submit
 * was never sent (the session closed early), or the run was interrupted.
 */
import { ExitCode, type ExitCodeValue } from '../cli-error.ts';
import { eprintln, println, type CliIo } from '../cli-io.ts';
import type { Receipt } from './receipt-collector.ts';
import type { SendPlan, SendReport, SubmitOutcome } from './run-send.ts';

const DELIVERED_STAT = 'DELIVRD';

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function ratePerSecond(report: SendReport): number {
  return report.elapsedMs > 0 ? (report.accepted * 1000) / report.elapsedMs : 0;
}

function receiptLine(r: Receipt): string {
  return `dlr id:${r.id} stat:${r.stat ?? '?'} err:${r.err ?? '?'}${r.state === undefined ? '' : ` state:${r.state}`}${r.final ? '' : ' (intermediate)'}`;
}

function undelivered(report: SendReport): Receipt[] {
  return [...report.receipts.values()].flatMap((list) =>
    list.filter((r) => r.final && (r.stat ?? '').toUpperCase() !== DELIVERED_STAT),
  );
}

/** The exit code a report earns. */
export function exitCodeOf(report: SendReport): ExitCodeValue {
  const failed =
    report.interrupted ||
    report.unsent > 0 ||
    report.rejected > 0 ||
    report.missingReceipts.length > 0 ||
    undelivered(report).length > 0;
  return failed ? ExitCode.failure : ExitCode.ok;
}

function failureLine(o: SubmitOutcome): string {
  const which = o.parts > 1 ? ` (part ${o.part}/${o.parts})` : '';
  return `submit_sm${which} failed: ${o.status}${o.error === undefined ? '' : ` — ${o.error}`}`;
}

function printText(plan: SendPlan, report: SendReport, io: CliIo): void {
  const single = plan.count === 1;
  for (const o of report.submits) {
    if (o.messageId === undefined) {
      if (single) eprintln(io, failureLine(o));
      continue;
    }
    if (single)
      println(
        io,
        o.parts > 1 ? `message_id: ${o.messageId} (part ${o.part}/${o.parts})` : `message_id: ${o.messageId}`,
      );
  }
  if (!single) {
    const failures = new Map<string, number>();
    for (const o of report.submits)
      if (o.messageId === undefined) failures.set(o.status, (failures.get(o.status) ?? 0) + 1);
    const failed = [...failures].map(([status, n]) => `${status} ×${n}`).join(', ');
    println(
      io,
      `sent ${report.submits.length} submit_sm (${plan.count} messages): ${report.accepted} accepted, ${report.rejected} rejected${failed === '' ? '' : ` (${failed})`} in ${(report.elapsedMs / 1000).toFixed(2)} s`,
    );
    if (report.latency !== undefined) {
      println(
        io,
        `${ratePerSecond(report).toFixed(1)} accepted/s; latency p50 ${ms(report.latency.p50)}, p99 ${ms(report.latency.p99)}, max ${ms(report.latency.max)}`,
      );
    }
  }
  if (plan.waitDlrMs !== undefined) {
    for (const list of report.receipts.values())
      for (const r of list) if (single || !r.final || r.stat !== DELIVERED_STAT) println(io, receiptLine(r));
    if (!single) {
      const finals = [...report.receipts.values()].filter((l) => l.some((r) => r.final)).length;
      println(
        io,
        `receipts: ${finals} final, ${undelivered(report).length} not delivered, ${report.missingReceipts.length} missing`,
      );
    }
    if (report.missingReceipts.length > 0) {
      eprintln(
        io,
        `no final delivery receipt within ${plan.waitDlrMs} ms for: ${report.missingReceipts.slice(0, 10).join(', ')}${report.missingReceipts.length > 10 ? ', …' : ''}`,
      );
    }
  }
  if (report.otherReceipts > 0)
    println(io, `(${report.otherReceipts} receipts of earlier messages acknowledged)`);
  if (report.closedEarly !== undefined) eprintln(io, `the session closed early (${report.closedEarly})`);
  if (report.unsent > 0) eprintln(io, `${report.unsent} submit_sm not sent`);
  if (report.interrupted) eprintln(io, 'interrupted');
}

function toJson(plan: SendPlan, report: SendReport): unknown {
  return {
    ok: exitCodeOf(report) === ExitCode.ok,
    messageIds: report.submits.flatMap((o) => (o.messageId === undefined ? [] : [o.messageId])),
    submits: report.submits.map(({ latencyMs, ...o }) => ({ ...o, latencyMs: Number(latencyMs.toFixed(3)) })),
    accepted: report.accepted,
    rejected: report.rejected,
    elapsedMs: Number(report.elapsedMs.toFixed(3)),
    acceptedPerSecond: Number(ratePerSecond(report).toFixed(1)),
    ...(report.latency === undefined ? {} : { latencyMs: report.latency }),
    ...(plan.waitDlrMs === undefined
      ? {}
      : { receipts: Object.fromEntries(report.receipts), missingReceipts: report.missingReceipts }),
    otherReceipts: report.otherReceipts,
    interrupted: report.interrupted,
    unsent: report.unsent,
    ...(report.closedEarly === undefined ? {} : { closedEarly: report.closedEarly }),
  };
}

/** Prints the report and returns the exit code. */
export function printReport(plan: SendPlan, report: SendReport, io: CliIo, json: boolean): ExitCodeValue {
  if (json) println(io, JSON.stringify(toJson(plan, report), null, 2));
  else printText(plan, report, io);
  return exitCodeOf(report);
}
