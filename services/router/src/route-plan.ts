/**
 * What the router does with one submit, decided without I/O: the effective
 * priority and the route (both from @smsgw/accounts' rules, else the
 * system-wide default route), the route's first connector that is not down
 * (services/router/README.md, "Routes and failover"), the lane subject and
 * the RoutedMessage to publish, carrying the route's remaining connectors
 * and the message's expiry.
 */
import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  DEFAULT_CONNECTOR,
  DEFAULT_MAX_VALIDITY_SECONDS,
  DEFAULT_MESSAGE_CLASS,
  effectivePriority,
  messageClassFor,
  routeFor,
  type Account,
  type Route,
} from '@smsgw/accounts';
import { isPriority, routeSubject, type Priority } from '@smsgw/nats';
import { RoutedMessageSchema, type RoutedMessage, type SubmitAccepted } from '@smsgw/proto';
import type { IsConnectorDown } from './connector-health.ts';

/** The parts of an account that routing reads. */
export type RoutingRules = Pick<
  Account,
  'approvedPriorities' | 'priorityRules' | 'routes' | 'messageClasses' | 'maxValiditySeconds'
>;

/**
 * The rules for a submit whose account is unknown (removed after the edge
 * accepted the submit, or not yet seen by this replica): approved for no
 * priority (so lane 0), no overwrite rules, no routes (so the default route),
 * the default max validity.
 */
export const DEFAULT_ROUTING_RULES: RoutingRules = Object.freeze({
  approvedPriorities: Object.freeze([]),
  priorityRules: Object.freeze([]),
  routes: Object.freeze([]),
  messageClasses: Object.freeze([DEFAULT_MESSAGE_CLASS]),
  maxValiditySeconds: DEFAULT_MAX_VALIDITY_SECONDS,
});

/** The system-wide part of routing: the default route and the connectors' health. */
export interface RouteSelection {
  /** The ordered connectors of destinations no route of the account matches (ROUTER_DEFAULT_ROUTE). */
  readonly defaultRoute: readonly string[];
  /** Whether a connector is down now (ConnectorHealth.isDown at the current time). */
  readonly isDown: IsConnectorDown;
}

/** Without health information: the default route is DEFAULT_CONNECTOR and nothing is ever down. */
export const STATIC_ROUTE_SELECTION: RouteSelection = Object.freeze({
  defaultRoute: Object.freeze([DEFAULT_CONNECTOR]),
  isDown: () => false,
});

/** The connector chosen from an ordered list, the ones left after it, and the ones skipped as down. */
export interface ConnectorChoice {
  readonly connector: string;
  readonly fallbacks: readonly string[];
  readonly skipped: readonly string[];
}

/**
 * The first connector of `connectors` that is not down, with the rest of the
 * list after it; when every one is down, the first (its lane keeps the
 * message until the connector is back: failover has nowhere better to go).
 */
export function chooseConnector(connectors: readonly string[], isDown: IsConnectorDown): ConnectorChoice {
  const at = Math.max(
    0,
    connectors.findIndex((c) => !isDown(c)),
  );
  const connector = connectors[at];
  if (connector === undefined) throw new RangeError('a route lists at least one connector');
  return { connector, fallbacks: connectors.slice(at + 1), skipped: connectors.slice(0, at) };
}

/** Everything needed to route one submit. */
export interface RoutePlan {
  /** The message id: the publish's Nats-Msg-Id. */
  readonly messageId: string;
  /** The lane subject, `sms.route.<connector>.<priority>`. */
  readonly subject: string;
  /** The connector chosen. */
  readonly connector: string;
  /** The route's connectors after the chosen one, in order (RoutedMessage.fallback_connectors). */
  readonly fallbackConnectors: readonly string[];
  /** The route's connectors before the chosen one, skipped because they were down. */
  readonly skippedConnectors: readonly string[];
  /** The effective priority (the lane). */
  readonly priority: Priority;
  /** The priority the client asked for (clamped to 0..3). */
  readonly requestedPriority: Priority;
  /** The message to publish on the lane. */
  readonly routed: RoutedMessage;
}

/** The requested priority_flag as a lane; the edge only accepts 0..3, anything higher counts as 3. */
function requestedPriorityOf(flag: number): Priority {
  return isPriority(flag) ? flag : 3;
}

/**
 * The route id recorded in the RoutedMessage (audit, tracing): the account's
 * route that matched, named by the account and its destination prefix
 * (`acme:45`, `acme:*` for the empty prefix), or `default` when none did (no
 * route matched, or the account is unknown).
 */
function routeIdOf(systemId: string, route: Route | undefined): string {
  if (route === undefined) return 'default';
  return `${systemId}:${route.destinationPrefix === '' ? '*' : route.destinationPrefix}`;
}

/**
 * When the message stops being worth sending (RoutedMessage.expires_at): the
 * client's expiry capped at accepted_at + the account's max validity, or that
 * cap when the client asked for none (README "Message validity").
 */
export function expiryOf(
  submit: SubmitAccepted,
  rules: Pick<RoutingRules, 'maxValiditySeconds'>,
  routedAt: Date,
): Date {
  const from = submit.acceptedAt === undefined ? routedAt : timestampDate(submit.acceptedAt);
  const cap = from.getTime() + rules.maxValiditySeconds * 1000;
  const asked = submit.expiresAt === undefined ? cap : timestampDate(submit.expiresAt).getTime();
  return new Date(Math.min(asked, cap));
}

/** Plans the routing of one submit under an account's rules (DEFAULT_ROUTING_RULES for an unknown account). */
export function planRoute(
  submit: SubmitAccepted,
  rules: RoutingRules,
  routedAt: Date,
  selection: RouteSelection = STATIC_ROUTE_SELECTION,
): RoutePlan {
  const destination = submit.destination?.addr ?? '';
  const requestedPriority = requestedPriorityOf(submit.priorityFlag);
  // A class the account no longer lists still names the message; rules only name listed classes.
  const messageClass =
    messageClassFor(rules, submit.messageClass) ?? submit.messageClass ?? DEFAULT_MESSAGE_CLASS;
  const priority = effectivePriority(rules, { requested: requestedPriority, messageClass, destination });
  const route = routeFor(rules, destination);
  const { connector, fallbacks, skipped } = chooseConnector(
    route?.connectors ?? selection.defaultRoute,
    selection.isDown,
  );

  const routed = create(RoutedMessageSchema, {
    submit,
    priorityFlag: priority,
    connector,
    routeId: routeIdOf(submit.systemId, route),
    routedAt: timestampFromDate(routedAt),
    fallbackConnectors: [...fallbacks],
    expiresAt: timestampFromDate(expiryOf(submit, rules, routedAt)),
  });
  return {
    messageId: submit.messageId,
    subject: routeSubject(connector, priority),
    connector,
    fallbackConnectors: fallbacks,
    skippedConnectors: skipped,
    priority,
    requestedPriority,
    routed,
  };
}
