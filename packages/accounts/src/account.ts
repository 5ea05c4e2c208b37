/**
 * The account model: one customer's SMPP credentials, limits and rules, as the
 * edge (binds, throttling), the router (priority, routing) and the admin
 * tooling see it. Parsed records are deeply frozen, so one object can be
 * shared by every session of the account.
 */
import { PRIORITIES } from '@smsgw/nats';
import { z } from 'zod';
import { ANY_ADDRESS, isCidr } from './cidr.ts';
import { InvalidAccountError } from './errors.ts';
import { isPasswordHash } from './password.ts';

/** The three ways an ESME may bind (SMPP 3.4 §4.1). */
export const BIND_TYPES = ['transmitter', 'receiver', 'transceiver'] as const;

/** A bind type. */
export type BindType = (typeof BIND_TYPES)[number];

/** The message class of a submit without a message_class TLV (0x2900), and every account's default class list. */
export const DEFAULT_MESSAGE_CLASS = 'standard';

/** An account's maximum validity unless set: 48 hours, what an SMSC commonly keeps a message. */
export const DEFAULT_MAX_VALIDITY_SECONDS = 48 * 3600;

/** The longest maximum validity an account may have (30 days). */
export const MAX_VALIDITY_LIMIT_SECONDS = 30 * 24 * 3600;

/** The connector of the router's default route unless configured (ROUTER_DEFAULT_ROUTE): where a destination goes when no route of the account matches. */
export const DEFAULT_CONNECTOR = 'sim';

/**
 * SMPP system_id: a C-Octet String of at most 16 octets (15 characters and the
 * NUL), here restricted to visible ASCII (0x21..0x7E). Spaces are excluded:
 * clients and config files trim them, so "acme " and "acme" would be one
 * customer to a person and two to the gateway.
 */
export const SystemIdSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,15}$/, 'system_id is 1..15 visible ASCII characters (0x21..0x7E)');

/** A message class name as sent in the message_class TLV: 1..32 of A-Z a-z 0-9 _ -. */
export const MessageClassSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, 'a message class is 1..32 of A-Z a-z 0-9 _ -');

/** A connector name (a NATS subject token as is): 1..64 of A-Z a-z 0-9 _ -. */
export const ConnectorNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a connector name is 1..64 of A-Z a-z 0-9 _ -');

/** A destination number prefix: international digits without '+' (destinations are TON 1; a leading '+' is ignored when matching). */
export const DestinationPrefixSchema = z.string().regex(/^\d{1,20}$/, 'a destination prefix is 1..20 digits');

/** An SMPP priority_flag value, 0..3 (SMPP 3.4 §5.2.14). */
export const PrioritySchema = z.literal(PRIORITIES);

/** Rejects repeated values in an array. */
function unique(values: readonly unknown[]): boolean {
  return new Set(values).size === values.length;
}

/**
 * One priority overwrite rule. It matches a message when every condition given
 * matches (no condition: every message), and then caps the message's priority
 * at `priority` (see priority.ts for the exact order of evaluation).
 */
export const PriorityRuleSchema = z
  .strictObject({
    match: z
      .strictObject({
        /** The message's class equals this. */
        messageClass: MessageClassSchema.optional(),
        /** The destination starts with these digits. */
        destinationPrefix: DestinationPrefixSchema.optional(),
      })
      .readonly(),
    priority: PrioritySchema,
  })
  .readonly();

/** A priority overwrite rule. */
export type PriorityRule = z.output<typeof PriorityRuleSchema>;

/** Connectors one route may list: the first is used, the others take over in order (failover). */
export const MAX_ROUTE_CONNECTORS = 8;

/** An ordered connector list: 1..MAX_ROUTE_CONNECTORS names, none twice. */
export const ConnectorListSchema = z
  .array(ConnectorNameSchema)
  .min(1, 'at least one connector')
  .max(MAX_ROUTE_CONNECTORS)
  .refine(unique, 'connectors repeat')
  .readonly();

/**
 * One route: destinations starting with the prefix go to the first of its
 * connectors; the next takes over when the first is down or refuses with a
 * "try next" status (services/router/README.md, "Routes and failover"). An
 * empty prefix matches every destination. Input takes `connectors` (the
 * ordered list) or the older single `connector`; the parsed route always has
 * `connectors`.
 */
export const RouteSchema = z
  .strictObject({
    destinationPrefix: z.union([z.literal(''), DestinationPrefixSchema]),
    connector: ConnectorNameSchema.optional(),
    connectors: ConnectorListSchema.optional(),
  })
  .superRefine((route, ctx) => {
    if ((route.connector === undefined) === (route.connectors === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['connector'],
        message: 'a route has either connectors (an ordered list) or connector (one), not both or neither',
      });
    }
  })
  .transform(({ destinationPrefix, connector, connectors }) => ({
    destinationPrefix,
    // superRefine has made sure one of the two is there.
    connectors: connectors ?? Object.freeze([connector ?? '']),
  }))
  .readonly();

/** A route. */
export type Route = z.output<typeof RouteSchema>;

/** The account record. Fields with a default may be left out of the input. */
export const AccountSchema = z
  .strictObject({
    /** SMPP system_id the customer binds with; the account's identity and KV key. */
    systemId: SystemIdSchema,
    /** scrypt hash of the SMPP password (password.ts); never the password. */
    passwordHash: z
      .string()
      .refine(isPasswordHash, 'not a scrypt password hash (make one with hashPassword)'),
    /** A disabled account cannot bind; its sessions should be closed. */
    enabled: z.boolean().default(true),
    /** Bind types allowed (default all three). */
    bindTypes: z
      .array(z.enum(BIND_TYPES))
      .min(1, 'at least one bind type (disable the account to refuse all binds)')
      .refine(unique, 'bind types repeat')
      .readonly()
      .prefault([...BIND_TYPES]),
    /** Concurrent binds allowed across all edge pods (default 10). */
    maxBinds: z.int().min(1).max(10_000).default(10),
    /** submit_sm per second allowed across all sessions (default 100); above it the edge answers ESME_RTHROTTLED. */
    maxSubmitsPerSecond: z.int().min(1).max(1_000_000).default(100),
    /**
     * The longest a message may wait to be sent, in seconds (default 48 h): a
     * validity_period asking for more is cut to this, none asked means this
     * (README "Message validity").
     */
    maxValiditySeconds: z.int().min(60).max(MAX_VALIDITY_LIMIT_SECONDS).default(DEFAULT_MAX_VALIDITY_SECONDS),
    /** Peers that may bind, as CIDRs or single addresses (default any IPv4 or IPv6 address). */
    allowedCidrs: z
      .array(z.string().refine(isCidr, 'not an IPv4/IPv6 CIDR or address'))
      .min(1, 'at least one CIDR (disable the account to refuse all binds)')
      .refine(unique, 'CIDRs repeat')
      .readonly()
      .prefault([...ANY_ADDRESS]),
    /** Only binds over TLS are accepted (default false). */
    tlsRequired: z.boolean().default(false),
    /** Priorities the account may use (default [0]); none approved means everything goes at 0. */
    approvedPriorities: z
      .array(PrioritySchema)
      .max(PRIORITIES.length)
      .refine(unique, 'priorities repeat')
      .readonly()
      .prefault([0]),
    /** Message classes the account may send; the first is used when a submit names none (default ['standard']). */
    messageClasses: z
      .array(MessageClassSchema)
      .min(1)
      .refine(unique, 'message classes repeat')
      .readonly()
      .prefault([DEFAULT_MESSAGE_CLASS]),
    /** Priority overwrite rules, first match wins (default none). */
    priorityRules: z.array(PriorityRuleSchema).max(1_000).readonly().prefault([]),
    /** Routes by destination prefix, longest prefix wins; no match goes to the router's default route (default none). */
    routes: z
      .array(RouteSchema)
      .max(10_000)
      .refine((routes) => unique(routes.map((r) => r.destinationPrefix)), 'route prefixes repeat')
      .readonly()
      .prefault([]),
    /** When the account was created (ISO 8601, UTC); kept by every later write. */
    createdAt: z.iso.datetime().default(() => new Date().toISOString()),
    /** When the account was last written (ISO 8601, UTC); set by every write. */
    updatedAt: z.iso.datetime().default(() => new Date().toISOString()),
  })
  .superRefine((account, ctx) => {
    // A rule for a class the account may not send could never match: a mistake, not a rule.
    account.priorityRules.forEach((rule, i) => {
      const cls = rule.match.messageClass;
      if (cls !== undefined && !account.messageClasses.includes(cls)) {
        ctx.addIssue({
          code: 'custom',
          path: ['priorityRules', i, 'match', 'messageClass'],
          message: `message class ${JSON.stringify(cls)} is not one of the account's messageClasses`,
        });
      }
    });
  })
  .readonly();

/** A valid account, deeply frozen. */
export type Account = z.output<typeof AccountSchema>;

/** What parseAccount() takes: an account with any defaulted field left out. */
export type AccountInput = z.input<typeof AccountSchema>;

/** Validates an account and fills in defaults; throws InvalidAccountError listing every problem. */
export function parseAccount(input: unknown): Account {
  const result = AccountSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path, message: i.message }));
  throw new InvalidAccountError(`invalid account: ${z.prettifyError(result.error)}`, issues, {
    cause: result.error,
  });
}
