import { describe, expect, it } from 'vitest';
import { formatCpuPerMessage, formatCpuSum, poolCpuShares, type CpuShare } from './process-cpu.ts';

const share = (label: string, seconds: number | undefined, wallSeconds: number): CpuShare => ({
  label,
  seconds,
  wallSeconds,
  percentOfCore: seconds === undefined ? undefined : (100 * seconds) / wallSeconds,
});

describe('poolCpuShares', () => {
  it('sums CPU and wall time per process across phases', () => {
    const pooled = poolCpuShares([
      [share('edge', 1, 2), share('nats-server', 0.5, 2)],
      [share('edge', 3, 6), share('nats-server', 1.5, 6)],
    ]);
    expect(pooled).toEqual([
      { label: 'edge', seconds: 4, wallSeconds: 8, percentOfCore: 50 },
      { label: 'nats-server', seconds: 2, wallSeconds: 8, percentOfCore: 25 },
    ]);
    expect(formatCpuPerMessage(pooled, 20_000)).toBe('edge 200 µs, nats-server 100 µs');
  });

  it('reports a process unknown when any phase could not read it', () => {
    const [edge] = poolCpuShares([[share('edge', 1, 2)], [share('edge', undefined, 2)]]);
    expect(edge).toEqual({ label: 'edge', seconds: undefined, wallSeconds: 4, percentOfCore: undefined });
  });

  it('pools nothing to nothing', () => {
    expect(poolCpuShares([])).toEqual([]);
  });
});

describe('formatCpuSum', () => {
  const share = (label: string, seconds: number | undefined): CpuShare => ({
    label,
    seconds,
    wallSeconds: 1,
    percentOfCore: undefined,
  });

  it('adds every process and divides by the messages', () => {
    expect(formatCpuSum([share('edge', 0.2), share('nats-server', 0.3)], 1_000)).toBe('500 µs');
  });

  it('says ? when a process is unknown or there is no message', () => {
    expect(formatCpuSum([share('edge', 0.2), share('gone', undefined)], 1_000)).toBe('?');
    expect(formatCpuSum([share('edge', 0.2)], 0)).toBe('?');
  });
});
