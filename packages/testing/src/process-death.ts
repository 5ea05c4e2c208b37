import { readFileSync } from 'node:fs';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread for `ms` (used only where nothing asynchronous can run: exit handlers). */
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * Whether a process has finished: gone, or a zombie (it ran its last
 * instruction; only the parent's wait() is missing, and a parent that is
 * itself exiting never gets to call it). Undefined where /proc cannot tell.
 */
function hasFinished(pid: number): boolean | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
    // No /proc entry: gone, unless there is no /proc at all (not Linux).
    try {
      readFileSync('/proc/self/stat');
      return true;
    } catch {
      return undefined;
    }
  }
  // The state follows the command name, which is in parentheses and may contain anything.
  return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
}

/**
 * Synchronously waits (at most `timeoutMs`) until a process that was sent
 * SIGKILL has really stopped, so that its files can be removed without it
 * writing new ones meanwhile. Without /proc it waits a fixed short while.
 */
export function waitForDeathSync(pid: number, timeoutMs = 2_000): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const finished = hasFinished(pid);
    if (finished === true) return;
    if (finished === undefined) {
      sleepSync(Math.min(200, timeoutMs));
      return;
    }
    if (Date.now() >= deadline) return;
    sleepSync(5);
  }
}
