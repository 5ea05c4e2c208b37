/**
 * Priority overwrite (docs/architecture.md, "The public contract"): a submit's
 * priority_flag 0..3 is accepted as sent, and the router may then lower it by
 * the account's rules. Pure, no allocation: runs for every routed message.
 *
 * The effective priority, in this order:
 *
 * 1. Start from the requested priority_flag.
 * 2. The first priority rule (in the account's order) whose conditions all
 *    match the message decides: the priority becomes the lower of the current
 *    one and the rule's. Later rules are not looked at, even when the first
 *    match changes nothing. Rules only ever lower a priority: the contract
 *    promises that the gateway may lower, never raise, what a client asked for.
 * 3. Cap to the approved set: the highest approved priority not above the
 *    result of step 2; 0 when there is none (0 is every account's floor lane).
 *    An account approved for 1 and 2 that sends 3 gets 2; one approved for
 *    none gets 0.
 *
 * Capping last means a rule can never lead to an unapproved lane, and the
 * result is always at most the requested priority and either approved or 0.
 */
import type { Priority } from '@smsgw/nats';
import type { Account, PriorityRule } from './account.ts';
import { hasDestinationPrefix } from './destination.ts';

/** What the overwrite looks at in a message. */
export interface PriorityRequest {
  /** The submit's priority_flag (the edge has checked it is 0..3). */
  readonly requested: Priority;
  /** The message's class (see messageClassFor). */
  readonly messageClass: string;
  /** The destination number (digits, possibly with a leading '+'). */
  readonly destination: string;
}

/** Whether every condition a rule states holds for the message (a rule without conditions matches every message). */
export function priorityRuleMatches(rule: PriorityRule, request: PriorityRequest): boolean {
  const { messageClass, destinationPrefix } = rule.match;
  return (
    (messageClass === undefined || messageClass === request.messageClass) &&
    (destinationPrefix === undefined || hasDestinationPrefix(request.destination, destinationPrefix))
  );
}

/** The highest approved priority not above `priority`, or 0 when none is. */
export function capToApproved(priority: Priority, approved: readonly Priority[]): Priority {
  let best: Priority = 0;
  for (const p of approved) if (p <= priority && p > best) best = p;
  return best;
}

/** The priority a message is routed with: the requested one, lowered by the first matching rule, capped to the approved set (see above). */
export function effectivePriority(
  account: Pick<Account, 'approvedPriorities' | 'priorityRules'>,
  request: PriorityRequest,
): Priority {
  let priority = request.requested;
  for (const rule of account.priorityRules) {
    if (priorityRuleMatches(rule, request)) {
      if (rule.priority < priority) priority = rule.priority;
      break;
    }
  }
  return capToApproved(priority, account.approvedPriorities);
}
