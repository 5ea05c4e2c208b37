export {
  AccountSchema,
  BIND_TYPES,
  ConnectorListSchema,
  ConnectorNameSchema,
  DEFAULT_CONNECTOR,
  DEFAULT_MAX_VALIDITY_SECONDS,
  DEFAULT_MESSAGE_CLASS,
  DestinationPrefixSchema,
  MAX_VALIDITY_LIMIT_SECONDS,
  MAX_ROUTE_CONNECTORS,
  MessageClassSchema,
  PriorityRuleSchema,
  PrioritySchema,
  RouteSchema,
  SystemIdSchema,
  parseAccount,
  type Account,
  type AccountInput,
  type BindType,
  type PriorityRule,
  type Route,
} from './account.ts';
export {
  ACCOUNT_MIGRATIONS,
  ACCOUNT_SCHEMA_VERSION,
  accountKey,
  decodeAccount,
  encodeAccount,
  migrateAccountRecord,
  systemIdOfKey,
  type AccountMigration,
  type AccountRecord,
} from './account-codec.ts';
export {
  AccountStore,
  DEFAULT_MAX_WRITE_ATTEMPTS,
  type AccountPatch,
  type AccountStoreOptions,
  type AccountUpdate,
  type StoredAccount,
} from './account-store.ts';
export {
  AccountCache,
  DEFAULT_CACHE_START_TIMEOUT_MS,
  type AccountCacheOptions,
  type AccountChange,
  type AccountChangeListener,
} from './account-cache.ts';
export {
  DEFAULT_SCRYPT_PARAMS,
  MAX_PASSWORD_LENGTH,
  SCRYPT_LIMITS,
  hashPassword,
  isPasswordHash,
  needsRehash,
  verifyPassword,
  type ScryptParams,
} from './password.ts';
export { ANY_ADDRESS, compileCidrs, isAddressAllowed, isCidr, parseCidr, type Cidr } from './cidr.ts';
export { hasDestinationPrefix } from './destination.ts';
export { capToApproved, effectivePriority, priorityRuleMatches, type PriorityRequest } from './priority.ts';
export { routeFor } from './route.ts';
export { messageClassFor } from './message-class.ts';
export {
  AccountConflictError,
  AccountDecodeError,
  AccountError,
  AccountExistsError,
  AccountNotFoundError,
  InvalidAccountError,
  InvalidCidrError,
  InvalidPasswordError,
  InvalidPasswordHashError,
  NumberPlanError,
  type AccountIssue,
} from './errors.ts';
export {
  NumberPlan,
  NumberTakenError,
  decodeNumberPlan,
  encodeNumberPlan,
  formatNumberRange,
  numberOfAddress,
  parseNumberRange,
  rangesOverlap,
  type NumberEntry,
  type NumberRange,
} from './number-plan.ts';
export { NumberStore, type StoredNumberPlan } from './number-store.ts';
export { NumberDirectory, type NumberDirectoryOptions } from './number-directory.ts';
