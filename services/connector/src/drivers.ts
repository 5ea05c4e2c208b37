import type { DurationRangeMs } from '@smsgw/runtime';
import type { Driver } from './driver.ts';
import { createSimDriver, type SimNetworkStore } from './sim/sim-driver.ts';

/** The drivers this build has (CONNECTOR_DRIVER); `smpp` (an upstream SMSC) is to come. */
export const DRIVER_KINDS = ['sim'] as const;

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
  /** command_status values that mean "try the route's next connector" (TRY_NEXT_STATUSES): throw TryNextConnectorError. */
  readonly tryNextStatuses?: ReadonlySet<number>;
}

const factories: Readonly<Record<DriverKind, (settings: DriverSettings) => Driver>> = {
  sim: (settings) => createSimDriver({ latency: settings.simLatency, store: settings.simStore }),
};

/** Creates the driver of the given kind. */
export function createDriver(kind: DriverKind, settings: DriverSettings): Driver {
  return factories[kind](settings);
}
