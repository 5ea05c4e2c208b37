/** Shared by this package's tests: cheap, valid account inputs. */
import type { AccountInput } from './account.ts';

/** The password behind TEST_PASSWORD_HASH. */
export const TEST_PASSWORD = 'secret';

/** scrypt hash of TEST_PASSWORD with the cheapest parameters allowed (N = 1024), so that tests stay fast. */
export const TEST_PASSWORD_HASH =
  'scrypt$1024$8$1$c21zZ3ctdGVzdC1zYWx0IQ==$1loctY+VncOPrVmH9deKKzRk/SKdsbjMxAzgJBfu4no=';

/** A minimal valid account input; everything else takes its default. */
export function accountInput(systemId: string, overrides: Partial<AccountInput> = {}): AccountInput {
  return { systemId, passwordHash: TEST_PASSWORD_HASH, ...overrides };
}
