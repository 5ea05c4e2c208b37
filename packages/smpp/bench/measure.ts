/** Runs `fn` repeatedly for about `seconds` after a warm-up and returns operations per second. */
export function opsPerSecond(fn: () => void, seconds = 1): number {
  const warmUpEnd = performance.now() + 200;
  while (performance.now() < warmUpEnd) fn();
  let ops = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 1000; i++) fn();
    ops += 1000;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

/** Geometric mean of positive ratios. */
export function geometricMean(values: readonly number[]): number {
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

/** Formats a rate with thousands separators. */
export function formatRate(perSecond: number): string {
  return Math.round(perSecond).toLocaleString('en-US');
}
