// Durations in configuration: "30s", "500ms", "2m", "1h", Go-style sequences like "1m30s",
// or a plain number of milliseconds ("30000").

const unitMs: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

const plainMs = /^\d+$/;
const sequence = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const segment = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/**
 * Parses a duration into whole milliseconds (rounded), or returns undefined when the
 * text is not a duration. Units are lower case: ms, s, m, h; a bare number is milliseconds.
 */
export function parseDurationMs(text: string): number | undefined {
  const trimmed = text.trim();
  let ms: number;
  if (plainMs.test(trimmed)) {
    ms = Number(trimmed);
  } else if (sequence.test(trimmed)) {
    ms = 0;
    for (const [, amount, unit] of trimmed.matchAll(segment)) {
      ms += Number(amount) * (unitMs[unit ?? ''] ?? Number.NaN);
    }
    ms = Math.round(ms);
  } else {
    return undefined;
  }
  return Number.isSafeInteger(ms) ? ms : undefined;
}
