/**
 * Reads a password that was not given on the command line: from a terminal
 * with a prompt and without echo, else the first line of stdin (scripts:
 * `echo "$PW" | smsgw accounts add …`). Never echoes or logs it.
 */
import { CliError, UsageError } from './cli-error.ts';
import type { CliIo } from './cli-io.ts';

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = new Set(['\u0008', '\u007f']);

/** Reads keystrokes in raw mode (no echo) until Enter. */
function promptHidden(io: CliIo, prompt: string): Promise<string> {
  const { stdin } = io;
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error): void => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write('\n');
      if (error === undefined) resolve(typed);
      else reject(error);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n' || ch === CTRL_D) {
          finish();
          return;
        }
        if (ch === CTRL_C) {
          finish(new CliError('cancelled'));
          return;
        }
        if (BACKSPACE.has(ch)) typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    io.stderr.write(prompt);
    stdin.setRawMode?.(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** The first line of a piped stdin (the rest is left unread). */
async function firstLine(io: CliIo): Promise<string> {
  let text = '';
  for await (const chunk of io.stdin) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.includes('\n')) break;
  }
  return (text.split('\n')[0] ?? '').replace(/\r$/, '');
}

/**
 * The password: `given` if set, else prompted (terminal) or read from stdin.
 * UsageError when nothing was given at all.
 */
export async function readPassword(
  io: CliIo,
  given: string | undefined,
  prompt = 'Password: ',
): Promise<string> {
  if (given !== undefined) return given;
  const password = io.stdin.isTTY === true ? await promptHidden(io, prompt) : await firstLine(io);
  if (password === '')
    throw new UsageError('no password given (use --password, type it at the prompt, or pipe it on stdin)');
  return password;
}
