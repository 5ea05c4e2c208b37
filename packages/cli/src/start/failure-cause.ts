/**
 * Why a service ended before it was ready, read from its own output, so that
 * `smsgw start` can say "port 31012 is in use" instead of a bare exit code.
 * A failed start logs one pino fatal line with the error (runService in
 * @smsgw/runtime: "<name> failed to start", or "<name> configuration is
 * invalid"); a crash before the logger exists leaves Node's uncaught-error
 * line on stderr; a plain error log line is the weakest hint.
 */

/** pino's numeric levels of the lines that can carry a cause; the services log them as labels. */
const Level = { error: 50, fatal: 60 } as const;
const LEVEL_VALUES: Readonly<Record<string, number>> = Level;

/** How telling each kind of line is: a stronger one replaces a weaker one seen earlier. */
const Rank = { errorLog: 1, uncaught: 2, fatalLog: 3 } as const;

/** A candidate cause, with how telling it is. */
export interface CauseCandidate {
  readonly rank: number;
  readonly text: string;
}

/** Node's first line of an uncaught error: `Error: …`, `TypeError: …`, `Error [ERR_MODULE_NOT_FOUND]: …`. */
const UNCAUGHT_LINE = /^[A-Z]?\w*Error(?: \[\w+\])?: \S/;

/** A listen failure in words ("port 31012 is in use"); undefined for any other error. */
export function describeListenError(err: Record<string, unknown>): string | undefined {
  const port = err['port'];
  if (typeof port !== 'number') return undefined;
  if (err['code'] === 'EADDRINUSE') return `port ${port} is in use`;
  if (err['code'] === 'EACCES' && err['syscall'] === 'listen')
    return `no permission to listen on port ${port}`;
  return undefined;
}

function levelOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? LEVEL_VALUES[value] : undefined;
}

function causeOfLogRecord(record: Record<string, unknown>): CauseCandidate | undefined {
  const level = levelOf(record['level']);
  if (level === undefined || level < Level.error) return undefined;
  const rank = level >= Level.fatal ? Rank.fatalLog : Rank.errorLog;
  const err = typeof record['err'] === 'object' && record['err'] !== null ? record['err'] : {};
  const errFields = err as Record<string, unknown>;
  // A listen failure says everything by itself; anything else keeps the service's own words and the error's.
  const listen = describeListenError(errFields);
  if (listen !== undefined) return { rank, text: listen };
  const parts = [record['msg'], errFields['message']].filter(
    (p): p is string => typeof p === 'string' && p !== '',
  );
  return parts.length === 0 ? undefined : { rank, text: parts.join(': ') };
}

/** What one output line says about a failure; undefined when it says nothing. */
export function causeOfLine(line: string): CauseCandidate | undefined {
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) {
    let record: unknown;
    try {
      record = JSON.parse(trimmed);
    } catch {
      // Not a log record after all: judged as plain text below.
      record = undefined;
    }
    if (typeof record === 'object' && record !== null)
      return causeOfLogRecord(record as Record<string, unknown>);
  }
  return UNCAUGHT_LINE.test(trimmed) ? { rank: Rank.uncaught, text: trimmed } : undefined;
}

/** Follows a service's output and keeps the most telling cause (the first of the strongest kind). */
export class FailureCause {
  #best: CauseCandidate | undefined;

  /** Looks at one line of the service's output. */
  observe(line: string): void {
    const candidate = causeOfLine(line);
    if (candidate !== undefined && (this.#best === undefined || candidate.rank > this.#best.rank))
      this.#best = candidate;
  }

  /** Records a cause found outside the output (the process could not be spawned). */
  set(text: string): void {
    this.#best = { rank: Rank.fatalLog, text };
  }

  /** The cause so far, if any line told one. */
  get text(): string | undefined {
    return this.#best?.text;
  }
}
