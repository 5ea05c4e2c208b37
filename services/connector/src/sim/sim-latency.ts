import type { DurationRangeMs } from '@smsgw/runtime';

/**
 * How long the simulated network takes for one message's final answer: drawn
 * uniformly from the range (CONNECTOR_SIM_DELAY, e.g. 500ms-3s), as a real network
 * answers within seconds but never all at the same moment.
 */
export function drawLatencyMs(range: DurationRangeMs, random: () => number = Math.random): number {
  return range.minMs + Math.floor(random() * (range.maxMs - range.minMs + 1));
}
