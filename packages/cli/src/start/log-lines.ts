/**
 * Forwarding a child's output: split into lines (a chunk may end mid-line),
 * prefix with the service's name, and optionally turn pino's JSON lines into
 * `12:00:01.234 INFO  [edge] message key=value`.
 */

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** pino's own fields, not repeated as key=value. */
const SKIP = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'pod', 'name']);

/** Splits a byte stream into lines, holding back an unfinished last line until more comes (or flush). */
export class LineSplitter {
  #rest = '';

  /** The complete lines in `chunk` (plus what was held back). */
  push(chunk: string): string[] {
    const text = this.#rest + chunk;
    const lines = text.split('\n');
    this.#rest = lines.pop() ?? '';
    return lines.map((l) => l.replace(/\r$/, ''));
  }

  /** The held-back partial line, if any. */
  flush(): string[] {
    const rest = this.#rest;
    this.#rest = '';
    return rest === '' ? [] : [rest];
  }
}

function formatValue(value: unknown): string {
  return typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value);
}

/** A pino JSON line made readable, or undefined when the line is not one. */
export function prettyPinoLine(service: string, line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof record !== 'object' || record === null) return undefined;
  const r = record as Record<string, unknown>;
  const level =
    typeof r['level'] === 'number'
      ? (LEVELS[r['level']] ?? String(r['level']))
      : formatValue(r['level'] ?? '');
  const time =
    typeof r['time'] === 'number' || typeof r['time'] === 'string' ? new Date(r['time']) : undefined;
  const clock =
    time === undefined || Number.isNaN(time.getTime()) ? '' : `${time.toISOString().slice(11, 23)} `;
  const extras = Object.entries(r)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(' ');
  const msg = typeof r['msg'] === 'string' ? r['msg'] : '';
  return `${clock}${level.padEnd(5)} [${service}] ${msg}${extras === '' ? '' : ` ${extras}`}`;
}

/** How one line of a service's output is shown. */
export function formatServiceLine(service: string, line: string, pretty: boolean): string {
  if (pretty) {
    const p = prettyPinoLine(service, line);
    if (p !== undefined) return p;
  }
  return `[${service}] ${line}`;
}
