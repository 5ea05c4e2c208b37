/**
 * `smsgw start`'s wait for every service to become ready before it prints
 * the banner. It gives up at once when a service exits first (a port in use,
 * a bad setting: waiting out the timeout would only hide the cause), when
 * the user stops it, or when the timeout passes with some service not ready.
 */
import type { ServiceProcess } from './service-process.ts';

/** How the wait ended. */
export type StartupOutcome =
  | { readonly kind: 'ready' }
  | { readonly kind: 'stopped' }
  /** These services exited before every service was ready (in start order). */
  | { readonly kind: 'exited'; readonly services: readonly ServiceProcess[] }
  /** These were still not ready when the timeout passed. */
  | { readonly kind: 'timeout'; readonly services: readonly ServiceProcess[] };

/** Waits until every service answers /readyz, one exits, `stop` aborts, or `timeoutMs` passes. */
export async function waitAllReady(
  children: readonly ServiceProcess[],
  timeoutMs: number,
  stop: AbortSignal,
): Promise<StartupOutcome> {
  const giveUp = new AbortController();
  const signal = AbortSignal.any([stop, giveUp.signal]);
  const polls = Promise.all(children.map((c) => c.waitReady(timeoutMs, signal)));
  // The first exit ends every other poll: a service that was ready and then died counts too.
  const firstExit = Promise.race(children.map((c) => c.exited));
  await Promise.race([polls, firstExit]);
  giveUp.abort();
  const outcomes = await polls;
  const exited = children.filter((c) => !c.running);
  if (exited.length > 0) return { kind: 'exited', services: exited };
  if (stop.aborted) return { kind: 'stopped' };
  const notReady = children.filter((_, i) => outcomes[i] !== 'ready');
  return notReady.length === 0 ? { kind: 'ready' } : { kind: 'timeout', services: notReady };
}
