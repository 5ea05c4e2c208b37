/** Test support: a CliIo that collects stdout and stderr and reads stdin from a string. */
import { Readable } from 'node:stream';
import type { CliIo } from './cli-io.ts';

/** A CliIo over buffers, with what was written so far. */
export interface CapturedIo {
  readonly io: CliIo;
  stdout(): string;
  stderr(): string;
}

/** Captures output; `stdin` is what the command reads (not a TTY); `env` its environment. */
export function captureIo(stdin = '', env: NodeJS.ProcessEnv = {}): CapturedIo {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: Readable.from(stdin === '' ? [] : [Buffer.from(stdin)]),
    env,
  };
  return { io, stdout: () => out, stderr: () => err };
}
