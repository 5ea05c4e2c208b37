/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4),
 * for tests of /metrics: every line must be a HELP or TYPE comment or a
 * sample of a declared family, with valid names, labels and values; it
 * returns the samples for looking values up.
 */

/** A /metrics body that is not valid Prometheus text. */
export class PrometheusTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusTextError';
  }
}

/** One sample: a series and its value. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The samples of a /metrics body, and their families' types. */
export interface Exposition {
  readonly samples: readonly Sample[];
  /** Family name → counter, gauge, histogram, summary or untyped. */
  readonly types: ReadonlyMap<string, string>;
  /** The value of the series `name` whose labels include `labels` (summed when several match); undefined when none does. */
  value(name: string, labels?: Readonly<Record<string, string>>): number | undefined;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
  counter: [''],
  gauge: [''],
  untyped: [''],
};

function parseValue(text: string, line: string): number {
  // Prometheus reads values with Go's strconv.ParseFloat, which takes NaN whatever its case; prom-client writes
  // `Nan` for a gauge with no samples yet (nodejs_eventloop_lag_mean_seconds right after start).
  if (text.toLowerCase() === 'nan') return Number.NaN;
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
    throw new PrometheusTextError(`bad value ${JSON.stringify(text)} in ${JSON.stringify(line)}`);
  }
  return Number(text);
}

/** Reads `{a="1",b="x\"y"}` starting at `start` (the brace); returns the labels and the index after the closing brace. */
function parseLabels(line: string, start: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  while (line[i] !== '}') {
    const eq = line.indexOf('=', i);
    if (eq < 0) throw new PrometheusTextError(`unterminated labels in ${JSON.stringify(line)}`);
    const name = line.slice(i, eq).trim();
    if (!LABEL_NAME.test(name)) throw new PrometheusTextError(`bad label name ${JSON.stringify(name)}`);
    if (line[eq + 1] !== '"')
      throw new PrometheusTextError(`unquoted label value in ${JSON.stringify(line)}`);
    let value = '';
    let j = eq + 2;
    for (; j < line.length && line[j] !== '"'; j++) {
      if (line[j] === '\\') {
        const next = line[++j];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new PrometheusTextError(`bad escape in ${JSON.stringify(line)}`);
      } else {
        value += line.charAt(j);
      }
    }
    if (j >= line.length)
      throw new PrometheusTextError(`unterminated label value in ${JSON.stringify(line)}`);
    if (name in labels) throw new PrometheusTextError(`label ${name} repeated in ${JSON.stringify(line)}`);
    labels[name] = value;
    i = j + 1;
    if (line[i] === ',') i++;
    else if (line[i] !== '}') throw new PrometheusTextError(`bad label list in ${JSON.stringify(line)}`);
  }
  return { labels, end: i + 1 };
}

/** The family a sample name belongs to, given the declared types. */
function familyOf(name: string, types: ReadonlyMap<string, string>): string | undefined {
  for (const [family, type] of types) {
    for (const suffix of SUFFIXES[type] ?? ['']) if (name === family + suffix) return family;
  }
  return undefined;
}

/** Parses a /metrics body; throws PrometheusTextError on the first invalid line. */
export function parsePrometheusText(body: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of body.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (match === null) continue; // Other comments are allowed.
      const [, kind, name = '', rest = ''] = match;
      if (!METRIC_NAME.test(name))
        throw new PrometheusTextError(`bad metric name in ${JSON.stringify(line)}`);
      if (kind === 'TYPE') {
        if (!TYPES.has(rest)) throw new PrometheusTextError(`bad type in ${JSON.stringify(line)}`);
        if (types.has(name)) throw new PrometheusTextError(`${name} typed twice`);
        types.set(name, rest);
      }
      continue;
    }
    const nameEnd = line.search(/[{\s]/);
    if (nameEnd <= 0) throw new PrometheusTextError(`not a sample: ${JSON.stringify(line)}`);
    const name = line.slice(0, nameEnd);
    if (!METRIC_NAME.test(name)) throw new PrometheusTextError(`bad metric name in ${JSON.stringify(line)}`);
    let labels: Record<string, string> = {};
    let rest = line.slice(nameEnd);
    if (rest.startsWith('{')) {
      const parsed = parseLabels(line, nameEnd);
      labels = parsed.labels;
      rest = line.slice(parsed.end);
    }
    const fields = rest.trim().split(/\s+/);
    if (fields.length < 1 || fields.length > 2 || fields[0] === '') {
      throw new PrometheusTextError(`bad sample ${JSON.stringify(line)}`);
    }
    if (familyOf(name, types) === undefined) {
      throw new PrometheusTextError(`sample of an undeclared family: ${JSON.stringify(line)}`);
    }
    samples.push({ name, labels, value: parseValue(fields[0] ?? '', line) });
  }
  return {
    samples,
    types,
    value(name, wanted = {}) {
      const matching = samples.filter(
        (s) => s.name === name && Object.entries(wanted).every(([k, v]) => s.labels[k] === v),
      );
      return matching.length === 0 ? undefined : matching.reduce((sum, s) => sum + s.value, 0);
    },
  };
}
