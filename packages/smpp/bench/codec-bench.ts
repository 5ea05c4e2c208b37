/**
 * `pnpm bench:codec`: our SMPP codec and session engine against the npm `smpp`
 * package (node-smpp), in one run. Prints figures, never fails on them.
 */
import { codecCases, benchSink } from './codec-cases.ts';
import { formatRate, geometricMean, opsPerSecond } from './measure.ts';
import { sessionBenchmarks } from './session-bench.ts';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 2);

console.log(`codec: encode+decode round trips per second (${seconds}s each)`);
const codecRatios: number[] = [];
for (const c of codecCases) {
  const ours = opsPerSecond(c.ours, seconds);
  const theirs = opsPerSecond(c.nodeSmpp, seconds);
  codecRatios.push(ours / theirs);
  console.log(
    `  ${c.name}: smsgw ${formatRate(ours)}/s, node-smpp ${formatRate(theirs)}/s, ${(ours / theirs).toFixed(1)}x`,
  );
}
console.log(`codec speedup vs node-smpp: ${geometricMean(codecRatios).toFixed(1)}x`);

const sessionRatios = await sessionBenchmarks(seconds);
console.log(`session speedup vs node-smpp: ${geometricMean(sessionRatios).toFixed(1)}x`);
if (benchSink() < 0) console.log('unreachable');
