/**
 * The file `smsgw accounts apply` reads: YAML or JSON (JSON is YAML), one
 * `accounts:` list whose entries are account settings plus either a
 * plaintext `password` (hashed on apply) or a ready `passwordHash`.
 *
 * ```yaml
 * accounts:
 *   - systemId: acme
 *     password: "s3cret"          # or passwordHash: "scrypt$32768$8$1$…"
 *     maxSubmitsPerSecond: 200
 *     approvedPriorities: [0, 1, 2]
 *     numbers: ["4512345678", "1234", "4512340000-4512340999"]   # optional: exactly these, for MOs
 * ```
 *
 * `numbers:` (optional) makes the account own exactly those numbers and ranges
 * (left out: its numbers are not touched); a number another account owns is
 * refused (README.md, "Mobile-originated messages").
 *
 * Nothing here puts a password, a hash or a line of the file into an error
 * message: the file usually comes from a Kubernetes Secret, and the Job that
 * applies it logs what it prints.
 */
import { readFile } from 'node:fs/promises';
import {
  InvalidAccountError,
  InvalidPasswordError,
  SCRYPT_LIMITS,
  SystemIdSchema,
  hashPassword,
  parseAccount,
  parseNumberRange,
  type Account,
  type NumberRange,
  type AccountInput,
} from '@smsgw/accounts';
import { YAMLError, parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CliError, UsageError } from '../cli-error.ts';

/** One account as the file declares it; its settings already validated. */
export interface DeclaredAccount {
  readonly systemId: string;
  /** Where it was declared, for messages: `<file>: accounts[<i>]`. */
  readonly origin: string;
  /** The plaintext password to set (hashed on apply), or undefined when a hash was given. */
  readonly password: string | undefined;
  /** The hash to set, or undefined when a plaintext password was given. */
  readonly passwordHash: string | undefined;
  /** The numbers the account owns after apply, when the entry lists them; undefined leaves them as they are. */
  readonly numbers?: readonly NumberRange[];
  /** Every setting but the password, defaults filled in for what the file leaves out. */
  readonly settings: Omit<AccountInput, 'systemId' | 'passwordHash' | 'createdAt' | 'updatedAt'>;
}

/** The file's top level: `accounts:` and nothing else (a typo at the top must not pass unnoticed). */
const FileSchema = z.strictObject({ accounts: z.array(z.record(z.string(), z.unknown())) });

/** The entry fields apply handles itself; the rest are AccountSchema's. */
const CredentialsSchema = z.object({
  systemId: SystemIdSchema,
  password: z.string({ error: 'password must be a string (quote it in YAML)' }).optional(),
  passwordHash: z.string({ error: 'passwordHash must be a string' }).optional(),
});

/** Fields the store keeps itself: a file that sets them is mistaken. */
const STORE_FIELDS = ['createdAt', 'updatedAt'] as const;

/**
 * Cheapest scrypt parameters the accounts package accepts. Used only to get a
 * well-formed hash for validating an entry's other settings (and to have
 * hashPassword check the password's rules) before anything is written; the
 * stored hash always uses the default parameters.
 */
const VALIDATION_PARAMS = { cost: SCRYPT_LIMITS.minCost, blockSize: 1, parallelization: 1 };

/** A zod error's issues as one line, paths included, values never. */
function issuesOf(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length === 0 ? i.message : `${i.path.map(String).join('.')}: ${i.message}`))
    .join('; ');
}

/** Parses YAML (or JSON) text; the error names the place, never the text around it. */
function parseText(text: string, file: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    if (!(err instanceof YAMLError)) throw err;
    // Line and column from the offset (linePos needs prettyErrors, which quotes the offending line).
    const before = text.slice(0, err.pos[0]).split('\n');
    const where = ` at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
    throw new UsageError(`${file}: not valid YAML or JSON (${err.code}${where})`);
  }
}

/** An entry's `numbers:` list parsed; undefined when absent; UsageError naming the entry. */
function numbersOf(value: unknown, named: string): NumberRange[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new UsageError(`${named}: numbers must be a list of numbers or ranges`);
  return value.map((item: unknown) => {
    try {
      return parseNumberRange(String(item));
    } catch (err) {
      throw new UsageError(`${named}: numbers: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
}

/** Validates one entry and returns it with defaults filled in; UsageError naming the entry and the fields. */
async function declaredOf(entry: Record<string, unknown>, origin: string): Promise<DeclaredAccount> {
  const credentials = CredentialsSchema.safeParse(entry);
  if (!credentials.success) throw new UsageError(`${origin}: ${issuesOf(credentials.error)}`);
  const { systemId, password, passwordHash } = credentials.data;
  const named = `${origin} (${systemId})`;
  if ((password === undefined) === (passwordHash === undefined)) {
    throw new UsageError(`${named}: give exactly one of password and passwordHash`);
  }
  const kept = STORE_FIELDS.filter((field) => field in entry);
  if (kept.length > 0) throw new UsageError(`${named}: ${kept.join(', ')} are kept by the store, not set`);

  let checkHash = passwordHash;
  if (password !== undefined) {
    try {
      checkHash = await hashPassword(password, VALIDATION_PARAMS);
    } catch (err) {
      if (err instanceof InvalidPasswordError) throw new UsageError(`${named}: password: ${err.message}`);
      throw err;
    }
  }
  const { password: _p, passwordHash: _h, numbers: numberList, ...rest } = entry;
  const numbers = numbersOf(numberList, named);
  let account: Account;
  try {
    account = parseAccount({ ...rest, systemId, passwordHash: checkHash });
  } catch (err) {
    if (!(err instanceof InvalidAccountError)) throw err;
    // Its message lists the fields and the rules they break, not the values.
    throw new UsageError(`${named}: ${err.message}`);
  }
  const { systemId: _s, passwordHash: _ph, createdAt: _c, updatedAt: _u, ...settings } = account;
  return {
    systemId,
    origin,
    password,
    passwordHash,
    settings,
    ...(numbers === undefined ? {} : { numbers }),
  };
}

/** Parses and validates the text of an accounts file named `file` (for messages). */
export async function parseAccountFile(text: string, file: string): Promise<DeclaredAccount[]> {
  const top = FileSchema.safeParse(parseText(text, file));
  if (!top.success) throw new UsageError(`${file}: ${issuesOf(top.error)}`);
  const declared: DeclaredAccount[] = [];
  for (const [i, entry] of top.data.accounts.entries()) {
    declared.push(await declaredOf(entry, `${file}: accounts[${i}]`));
  }
  return declared;
}

/** Reads and validates every file; UsageError for a system_id declared twice (in one file or across files). */
export async function readAccountFiles(files: readonly string[]): Promise<DeclaredAccount[]> {
  const all: DeclaredAccount[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      const reason = err instanceof Error && 'code' in err ? String(err.code) : 'unreadable';
      throw new CliError(`cannot read ${file}: ${reason}`, 1, { cause: err });
    }
    all.push(...(await parseAccountFile(text, file)));
  }
  const seen = new Map<string, string>();
  for (const account of all) {
    const first = seen.get(account.systemId);
    if (first !== undefined) {
      throw new UsageError(
        `${account.origin}: system_id ${account.systemId} is declared twice (first at ${first})`,
      );
    }
    seen.set(account.systemId, account.origin);
  }
  return all;
}
