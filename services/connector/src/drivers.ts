import type { DurationRangeMs } from '@smsgw/runtime';
import type { Driver } from './driver.ts';
import { ConnectorError } from './errors.ts';
import { createSimDriver, type SimNetworkStore } from './sim/sim-driver.ts';
import { createSmppDriver, type SmppDriverOptions } from './smpp/smpp-driver.ts';

/** The drivers this build has (CONNECTOR_DRIVER): `sim` (the network simulator), `smpp` (an upstream SMSC). */
export const DRIVER_KINDS = ['sim', 'smpp'] as const;

/** A driver kind. */
export type DriverKind = (typeof DRIVER_KINDS)[number];

/** Whether a name is a driver this build has. */
export function isDriverKind(name: string): name is DriverKind {
  return (DRIVER_KINDS as readonly string[]).includes(name);
}

/** What any driver may be configured with. */
export interface DriverSettings {
  /** The simulator's delay before its final answer, drawn per message. */
  readonly simLatency: DurationRangeMs;
  /** Where the simulator keeps the answers it owes. */
  readonly simStore: SimNetworkStore;
  /** The smpp driver's settings and services; required by `smpp`. */
  readonly smpp?: SmppDriverOptions;
}

const factories: Readonly<Record<DriverKind, (settings: DriverSettings) => Driver>> = {
  sim: (settings) => createSimDriver({ latency: settings.simLatency, store: settings.simStore }),
  smpp: (settings) => {
    if (settings.smpp === undefined) throw new ConnectorError('the smpp driver needs its settings');
    return createSmppDriver(settings.smpp);
  },
};

/** Creates the driver of the given kind. */
export function createDriver(kind: DriverKind, settings: DriverSettings): Driver {
  return factories[kind](settings);
}
