import { setTimeout as sleep } from 'node:timers/promises';
import { MessageState } from '@smsgw/proto';
import type { Delivery, Driver } from '../driver.ts';
import { simOutcomeOf } from './sim-outcome.ts';

/** Options of the simulated network. */
export interface SimDriverOptions {
  /** How long the network "takes" before its final answer (SIM_DELAY_MS); 0 answers at once. */
  readonly delayMs: number;
}

/**
 * The built-in network simulator: takes every message at once (ENROUTE, which
 * the worker passes on only when the submit asked for intermediate
 * notifications), waits `delayMs`, then answers as sim-outcome.ts's table says.
 * It resolves only after the final status is reported, so a message whose
 * final status was never stored is retried: at-least-once, never lost. For a
 * number that never answers it resolves after ENROUTE.
 */
export function createSimDriver(options: SimDriverOptions): Driver {
  const { delayMs } = options;
  return {
    kind: 'sim',
    async send(delivery: Delivery): Promise<void> {
      await delivery.report({ messageState: MessageState.ENROUTE });
      const outcome = simOutcomeOf(delivery.submit.destination?.addr ?? '');
      if (outcome.answer === 'none') return;
      if (delayMs > 0) await sleep(delayMs, undefined, { signal: delivery.signal });
      else delivery.signal.throwIfAborted();
      await delivery.report(outcome.status);
    },
    close: () => Promise.resolve(),
  };
}
