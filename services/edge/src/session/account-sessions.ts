/**
 * Which accounts get an edge_account_sessions_bound series: those with the
 * most bound sessions on this pod, at most a configured number of them
 * (EDGE_METRICS_ACCOUNTS), ties broken by system_id so that the set does not
 * flap between scrapes. Computed at scrape time from the session registry, so
 * binds cost nothing extra and an account whose sessions left drops out.
 */
import type { BindType } from '@smsgw/accounts';
import type { BoundSession } from './session-registry.ts';

/** One account's bound sessions on this pod by bind type. */
export interface AccountSessions {
  readonly systemId: string;
  readonly total: number;
  readonly byBindType: ReadonlyMap<BindType, number>;
}

/** The accounts with the most bound sessions, at most `limit` of them, largest first. */
export function busiestAccounts(
  byAccount: ReadonlyMap<string, ReadonlySet<BoundSession>>,
  limit: number,
): AccountSessions[] {
  if (limit <= 0) return [];
  const ranked = [...byAccount]
    .filter(([, sessions]) => sessions.size > 0)
    .sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit);
  return ranked.map(([systemId, sessions]) => {
    const byBindType = new Map<BindType, number>();
    for (const { bindType } of sessions) byBindType.set(bindType, (byBindType.get(bindType) ?? 0) + 1);
    return { systemId, total: sessions.size, byBindType };
  });
}
