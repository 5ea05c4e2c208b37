/** The services `smsgw start` launches, with `--upstream`'s extra connector and default route. */
import type { ServiceEntry } from './discover-services.ts';
import { UPSTREAM_CONNECTOR } from './upstream-url.ts';

/** A service to start, with variables over its serviceEnv. */
export interface Launch {
  readonly entry: ServiceEntry;
  readonly extraEnv: Readonly<Record<string, string>>;
}

/**
 * The services to start: with --upstream, a second connector process
 * (`connector-upstream`, driver smpp, connector name `upstream`) after the
 * sim's, and the router routing to it by default; the sim stays available by route.
 */
export function withUpstream(
  services: readonly ServiceEntry[],
  upstream: Readonly<Record<string, string>> | undefined,
): Launch[] {
  const launches: Launch[] = [];
  for (const entry of services) {
    if (upstream !== undefined && entry.name === 'router') {
      launches.push({ entry, extraEnv: { ROUTER_DEFAULT_ROUTE: UPSTREAM_CONNECTOR } });
      continue;
    }
    launches.push({ entry, extraEnv: {} });
    if (upstream !== undefined && entry.name === 'connector') {
      launches.push({
        entry: { ...entry, name: `connector-${UPSTREAM_CONNECTOR}` },
        extraEnv: { ...upstream, CONNECTOR_NAME: UPSTREAM_CONNECTOR, CONNECTOR_DRIVER: 'smpp' },
      });
    }
  }
  return launches;
}
