// Test support: a process that shuts down through createShutdown with the real process.exit.
// argv[2] is 'clean' or 'stuck' (a drain hook that never finishes). It logs "ready" once its
// signal handlers are installed, then idles until signalled.
import { Readiness } from '../health/readiness.ts';
import { createLogger } from '../logging/logger.ts';
import { createShutdown } from './shutdown.ts';

const logger = createLogger({ service: 'fixture', pod: 'fixture-0' });
const shutdown = createShutdown({ logger, graceMs: 300, readiness: new Readiness() });
const idle = setInterval(() => undefined, 60_000);
shutdown.onShutdown(
  'idle',
  () => {
    clearInterval(idle);
  },
  'close',
);
if (process.argv[2] === 'stuck')
  shutdown.onShutdown('stuck', () => new Promise<void>(() => undefined), 'drain');
shutdown.installSignalHandlers();
logger.info('ready');
