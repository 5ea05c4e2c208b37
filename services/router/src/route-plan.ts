/**
 * What the router does with one submit, decided without I/O: the effective
 * priority and the connector (both from @smsgw/accounts' rules), the lane
 * subject and the RoutedMessage to publish.
 */
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  DEFAULT_MESSAGE_CLASS,
  effectivePriority,
  hasDestinationPrefix,
  messageClassFor,
  routeFor,
  type Account,
} from '@smsgw/accounts';
import { isPriority, routeSubject, type Priority } from '@smsgw/nats';
import { RoutedMessageSchema, type RoutedMessage, type SubmitAccepted } from '@smsgw/proto';

/** The parts of an account that routing reads. */
export type RoutingRules = Pick<
  Account,
  'approvedPriorities' | 'priorityRules' | 'routes' | 'messageClasses'
>;

/**
 * The rules for a submit whose account is unknown (removed after the edge
 * accepted the submit, or not yet seen by this replica): approved for no
 * priority (so lane 0), no overwrite rules, no routes (so DEFAULT_CONNECTOR).
 */
export const DEFAULT_ROUTING_RULES: RoutingRules = Object.freeze({
  approvedPriorities: Object.freeze([]),
  priorityRules: Object.freeze([]),
  routes: Object.freeze([]),
  messageClasses: Object.freeze([DEFAULT_MESSAGE_CLASS]),
});

/** Everything needed to route one submit. */
export interface RoutePlan {
  /** The message id: the publish's Nats-Msg-Id. */
  readonly messageId: string;
  /** The lane subject, `sms.route.<connector>.<priority>`. */
  readonly subject: string;
  /** The connector chosen. */
  readonly connector: string;
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
 * The route id recorded in the RoutedMessage (audit, tracing): which of the
 * account's routes chose the connector, named by the account and the route's
 * destination prefix (`acme:45`, `acme:*` for the empty prefix), or `default`
 * when none did (no route matched, or the account is unknown). routeFor has
 * decided; this only names its choice: the longest matching prefix among the
 * routes to that connector.
 */
function routeIdOf(systemId: string, rules: RoutingRules, connector: string, destination: string): string {
  let prefix: string | undefined;
  for (const route of rules.routes) {
    if (
      route.connector === connector &&
      (prefix === undefined || route.destinationPrefix.length > prefix.length) &&
      hasDestinationPrefix(destination, route.destinationPrefix)
    ) {
      prefix = route.destinationPrefix;
    }
  }
  if (prefix === undefined) return 'default';
  return `${systemId}:${prefix === '' ? '*' : prefix}`;
}

/** Plans the routing of one submit under an account's rules (DEFAULT_ROUTING_RULES for an unknown account). */
export function planRoute(
  submit: SubmitAccepted,
  rules: RoutingRules,
  routedAt: Date,
  defaultConnector?: string,
): RoutePlan {
  const destination = submit.destination?.addr ?? '';
  const requestedPriority = requestedPriorityOf(submit.priorityFlag);
  // A class the account no longer lists still names the message; rules only name listed classes.
  const messageClass =
    messageClassFor(rules, submit.messageClass) ?? submit.messageClass ?? DEFAULT_MESSAGE_CLASS;
  const priority = effectivePriority(rules, { requested: requestedPriority, messageClass, destination });
  const connector = routeFor(rules, destination, defaultConnector);

  const routed = create(RoutedMessageSchema, {
    submit,
    priorityFlag: priority,
    connector,
    routeId: routeIdOf(submit.systemId, rules, connector, destination),
    routedAt: timestampFromDate(routedAt),
  });
  return {
    messageId: submit.messageId,
    subject: routeSubject(connector, priority),
    connector,
    priority,
    requestedPriority,
    routed,
  };
}
