/** Base of every error this package raises. */
export class AccountError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AccountError';
  }
}

/** One problem found in an account: where (a path into the record) and what. */
export interface AccountIssue {
  /** Path of the offending field, e.g. `['priorityRules', 0, 'priority']`; empty for the record itself. */
  readonly path: readonly PropertyKey[];
  /** What is wrong with it. */
  readonly message: string;
}

/** An account record does not satisfy the schema; `issues` says which fields and why. */
export class InvalidAccountError extends AccountError {
  /** Every problem found, not just the first. */
  readonly issues: readonly AccountIssue[];

  constructor(message: string, issues: readonly AccountIssue[], options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidAccountError';
    this.issues = issues;
  }
}

/** A stored account could not be read: bad JSON, a schema version this code does not know, or an invalid record. */
export class AccountDecodeError extends AccountError {
  /** The KV key the record was stored under. */
  readonly key: string;

  constructor(key: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AccountDecodeError';
    this.key = key;
  }
}

/** No account has this system_id. */
export class AccountNotFoundError extends AccountError {
  /** The system_id looked for. */
  readonly systemId: string;

  constructor(systemId: string) {
    super(`no account with system_id ${JSON.stringify(systemId)}`);
    this.name = 'AccountNotFoundError';
    this.systemId = systemId;
  }
}

/** create() found an account with this system_id already. */
export class AccountExistsError extends AccountError {
  /** The system_id that is taken. */
  readonly systemId: string;

  constructor(systemId: string) {
    super(`an account with system_id ${JSON.stringify(systemId)} exists already`);
    this.name = 'AccountExistsError';
    this.systemId = systemId;
  }
}

/** A write kept losing the race against other writers of the same account (optimistic concurrency gave up). */
export class AccountConflictError extends AccountError {
  /** The account written. */
  readonly systemId: string;
  /** How many times the write was tried. */
  readonly attempts: number;

  constructor(systemId: string, attempts: number, options?: ErrorOptions) {
    super(
      `account ${JSON.stringify(systemId)} changed under every one of ${attempts} write attempts`,
      options,
    );
    this.name = 'AccountConflictError';
    this.systemId = systemId;
    this.attempts = attempts;
  }
}

/** A plaintext password cannot be an SMPP password (1–8 printable ASCII characters). Never carries the password. */
export class InvalidPasswordError extends AccountError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPasswordError';
  }
}

/** A stored password hash is not in the `scrypt$…` format, or its cost parameters are out of bounds. */
export class InvalidPasswordHashError extends AccountError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPasswordHashError';
  }
}

/** A CIDR (or address) in an allow-list is not valid. */
export class InvalidCidrError extends AccountError {
  /** The offending entry. */
  readonly cidr: string;

  constructor(cidr: string, reason: string) {
    super(`${JSON.stringify(cidr)} is not a CIDR: ${reason}`);
    this.name = 'InvalidCidrError';
    this.cidr = cidr;
  }
}

/** A number or range that cannot be parsed, added or removed; or a stored number plan that cannot be read. */
export class NumberPlanError extends AccountError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NumberPlanError';
  }
}
