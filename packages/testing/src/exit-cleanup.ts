/**
 * Last-resort cleanup of test servers when the test process goes away without
 * calling stop(): on normal exit and on SIGINT/SIGTERM/SIGHUP. Vitest ends its
 * fork workers with SIGTERM, which never reaches Node's 'exit' event, so the
 * signals are handled too. A SIGKILLed test process cannot clean up; its
 * servers then outlive it (their temp dirs are named smsgw-nats-*).
 */
const cleanups = new Set<() => void>();
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let exitHooked = false;
let signalsHooked = false;

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch (err) {
      // Nothing can be thrown to anyone while the process dies: report it instead.
      process.stderr.write(`@smsgw/testing: cleanup at exit failed: ${String(err)}\n`);
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runAll();
  for (const s of signals) process.off(s, onSignal);
  signalsHooked = false;
  // Re-raise so that the default action (terminate) applies once no one else listens.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', runAll);
  }
  if (!signalsHooked) {
    signalsHooked = true;
    for (const s of signals) process.on(s, onSignal);
  }
}

/** Registers a synchronous cleanup to run if the process exits or is signalled; returns its unregister function. */
export function cleanupOnExit(cleanup: () => void): () => void {
  install();
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}
