/**
 * Routing: which connector a destination goes to. Pure; runs for every routed
 * message.
 */
import { DEFAULT_CONNECTOR, type Account } from './account.ts';
import { hasDestinationPrefix } from './destination.ts';

/**
 * The connector for a destination: the route with the longest matching
 * prefix (the schema allows each prefix once, so there is never a tie; an
 * empty prefix matches every destination), else `defaultConnector` (the
 * router's ROUTER_DEFAULT_CONNECTOR, DEFAULT_CONNECTOR 'sim' unless set).
 * A leading '+' on the destination is ignored.
 */
export function routeFor(
  account: Pick<Account, 'routes'>,
  destination: string,
  defaultConnector: string = DEFAULT_CONNECTOR,
): string {
  let connector: string = defaultConnector;
  let longest = -1;
  for (const route of account.routes) {
    const length = route.destinationPrefix.length;
    if (length > longest && hasDestinationPrefix(destination, route.destinationPrefix)) {
      connector = route.connector;
      longest = length;
    }
  }
  return connector;
}
