/**
 * CPU time of the bench's processes over a phase, so that a figure comes with
 * who spent the two cores: the children (services, nats-server) from
 * /proc/<pid>/stat, the bench process itself from process.cpuUsage(). On a
 * system without /proc the children's share is reported as unknown.
 */
import { readFileSync } from 'node:fs';

/** Linux reports utime/stime in USER_HZ ticks, which is 100 on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** A process to watch: its label and pid (undefined: the bench process itself). */
export interface WatchedProcess {
  readonly label: string;
  readonly pid: number | undefined;
}

/** CPU seconds used so far by `pid` (user + system), or undefined when /proc cannot tell. */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) may hold spaces; fields after its closing parenthesis are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined; // not Linux, or the process is gone
  }
}

/** One process's share of a phase: CPU seconds and percent of one core over the phase's wall time. */
export interface CpuShare {
  readonly label: string;
  readonly seconds: number | undefined;
  /** The phase's wall time. */
  readonly wallSeconds: number;
  readonly percentOfCore: number | undefined;
}

/** Starts measuring the processes' CPU time; `stop()` returns each one's share since then. */
export function startCpuWatch(processes: readonly WatchedProcess[]): { stop(): CpuShare[] } {
  const started = performance.now();
  const before = processes.map((p) => cpuSecondsOf(p.pid));
  return {
    stop() {
      const wallSeconds = (performance.now() - started) / 1000;
      return processes.map((p, i) => {
        const after = cpuSecondsOf(p.pid);
        const first = before[i];
        const seconds = after === undefined || first === undefined ? undefined : after - first;
        return {
          label: p.label,
          seconds,
          wallSeconds,
          percentOfCore:
            seconds === undefined || wallSeconds <= 0 ? undefined : (100 * seconds) / wallSeconds,
        };
      });
    },
  };
}

/** The shares of several phases (each from one watch of the same processes) as one: CPU and wall time summed. */
export function poolCpuShares(phases: readonly (readonly CpuShare[])[]): CpuShare[] {
  const [first] = phases;
  if (first === undefined) return [];
  return first.map(({ label }, i) => {
    let seconds: number | undefined = 0;
    let wallSeconds = 0;
    for (const phase of phases) {
      const share = phase[i];
      wallSeconds += share?.wallSeconds ?? 0;
      seconds = seconds === undefined || share?.seconds === undefined ? undefined : seconds + share.seconds;
    }
    const percentOfCore =
      seconds === undefined || wallSeconds <= 0 ? undefined : (100 * seconds) / wallSeconds;
    return { label, seconds, wallSeconds, percentOfCore };
  });
}

/** `edge 85%, nats-server 60%, …` (percent of one core; the machine's total is 100% × cores). */
export function formatCpuShares(shares: readonly CpuShare[]): string {
  return shares
    .map((s) => `${s.label} ${s.percentOfCore === undefined ? '?' : `${s.percentOfCore.toFixed(0)}%`}`)
    .join(', ');
}

/** `edge 210 µs, nats-server 95 µs, …`: each process's CPU time divided by `count` (messages). */
export function formatCpuPerMessage(shares: readonly CpuShare[], count: number): string {
  return shares
    .map(
      (s) =>
        `${s.label} ${s.seconds === undefined || count === 0 ? '?' : `${((1e6 * s.seconds) / count).toFixed(0)} µs`}`,
    )
    .join(', ');
}

/** `1234 µs`: every process's CPU time together divided by `count` (messages); `?` when one is unknown. */
export function formatCpuSum(shares: readonly CpuShare[], count: number): string {
  let seconds = 0;
  for (const s of shares) {
    if (s.seconds === undefined) return '?';
    seconds += s.seconds;
  }
  return count === 0 ? '?' : `${((1e6 * seconds) / count).toFixed(0)} µs`;
}
