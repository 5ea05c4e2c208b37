/** What the edge reads accounts from: the AccountCache, or a stand-in in tests. */
import type { Account, AccountChangeListener } from '@smsgw/accounts';

/** What the edge reads accounts from: the AccountCache, or a stand-in. */
export interface AccountSource {
  get(systemId: string): Account | undefined;
  onChange(listener: AccountChangeListener): () => void;
}
