import { setTimeout as sleep } from 'node:timers/promises';
import { WaitTimeoutError } from './errors.ts';

/**
 * Polls `check` until it returns true; throws WaitTimeoutError naming `what`
 * once `timeoutMs` has passed. Tests wait on observable state (stream sizes,
 * metrics, log lines) this way instead of sleeping a guessed time.
 */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}
