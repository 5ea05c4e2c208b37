/**
 * Routing: which route a destination takes. Pure; runs for every routed
 * message.
 */
import type { Account, Route } from './account.ts';
import { hasDestinationPrefix } from './destination.ts';

/**
 * The route for a destination: the one with the longest matching prefix (the
 * schema allows each prefix once, so there is never a tie; an empty prefix
 * matches every destination), else undefined (the router's default route
 * applies). A leading '+' on the destination is ignored.
 */
export function routeFor(account: Pick<Account, 'routes'>, destination: string): Route | undefined {
  let found: Route | undefined;
  for (const route of account.routes) {
    if (
      (found === undefined || route.destinationPrefix.length > found.destinationPrefix.length) &&
      hasDestinationPrefix(destination, route.destinationPrefix)
    ) {
      found = route;
    }
  }
  return found;
}
