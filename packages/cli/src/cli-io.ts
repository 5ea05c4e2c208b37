/**
 * Where a command reads and writes: the process's streams in main.ts, buffers
 * in tests. Commands never touch process.stdout/stdin directly.
 */
import type { Readable } from 'node:stream';

/** A text sink (process.stdout, or a test's collector). */
export interface TextSink {
  write(text: string): unknown;
}

/** The streams and environment a command runs with. */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Passwords and message text are read from here when not given on the command line. */
  readonly stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  /** Environment variables (NATS_URL…). */
  readonly env: NodeJS.ProcessEnv;
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** Writes one line to stdout. */
export function println(io: CliIo, line = ''): void {
  io.stdout.write(`${line}\n`);
}

/** Writes one line to stderr. */
export function eprintln(io: CliIo, line: string): void {
  io.stderr.write(`${line}\n`);
}
