/**
 * One event-loop turn shared by every caller: NATS commands issued right
 * after `await nextTurn()` by many handlers go out in one socket write.
 *
 * nats.js writes its outbound buffer in a microtask queued by the first
 * command after a flush. Handlers that each resume on their own NATS
 * response (a KV read or put, a PubAck, an edge's result) issue their next
 * command (a publish, an ack) one at a time, so nearly every command became
 * its own write syscall on the client and its own read on the server: the
 * largest single cost of the router and the dispatcher in profiles. Handlers
 * that wait for the same setImmediate resume in one microtask drain, ahead of
 * the flush the first of them queues, so their commands share one write. The
 * price is one turn of the loop of latency.
 */

let pending: Promise<void> | undefined;

/** Resolves at the next turn of the event loop (setImmediate), together with every other caller of this turn. */
export function nextTurn(): Promise<void> {
  pending ??= new Promise<void>((resolve) => {
    setImmediate(() => {
      pending = undefined;
      resolve();
    });
  });
  return pending;
}
