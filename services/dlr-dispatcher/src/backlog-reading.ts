/**
 * What /metrics reads at scrape time: the DLR backlog by account (one stream
 * info request on SMS_DLR and one on SMS_DLR_PRIORITY with a subject filter,
 * which the server answers with a count per subject, i.e. per account and
 * priority) and the presence this
 * dispatcher sees. Every replica reports the same backlog: aggregate it with
 * max(), not sum().
 */
import type { JetStreamManager } from '@nats-io/jetstream';
import { StreamName, SubjectRoot, TopologyError, accountOfSubject } from '@smsgw/nats';
import type { Logger } from '@smsgw/runtime';
import type { PresenceView } from './presence-view.ts';

/** The account of a backlog subject (`sms.dlr.<token>` or `sms.dlr.<prio>.<token>`), or the raw subject when it is not one of ours. */
function accountOf(subject: string): string {
  try {
    return accountOfSubject(subject);
  } catch (error) {
    // Not written by a dispatcher (the token did not come from encodeSubjectToken): shown as it is.
    if (error instanceof TopologyError) return subject;
    throw error;
  }
}

/** Reads the waiting reports per account, every priority summed; logs and rethrows when a stream cannot be read. */
export function backlogReader(jsm: JetStreamManager, logger: Logger): () => Promise<Map<string, number>> {
  return async () => {
    try {
      const infos = await Promise.all(
        [StreamName.dlr, StreamName.dlrPriority].map((stream) =>
          jsm.streams.info(stream, { subjects_filter: `${SubjectRoot.dlr}.>` }),
        ),
      );
      const byAccount = new Map<string, number>();
      for (const info of infos) {
        for (const [subject, count] of Object.entries(info.state.subjects ?? {})) {
          const account = accountOf(subject);
          byAccount.set(account, (byAccount.get(account) ?? 0) + count);
        }
      }
      return byAccount;
    } catch (error) {
      logger.warn({ err: error }, 'could not read the DLR backlog for /metrics');
      throw error;
    }
  };
}

/** Counts presence entries (account on a pod) and distinct pods. */
export function presenceSize(presence: PresenceView): { entries: number; pods: number } {
  let entries = 0;
  const pods = new Set<string>();
  for (const account of presence.accounts()) {
    for (const p of presence.pods(account)) {
      entries++;
      pods.add(p.pod);
    }
  }
  return { entries, pods: pods.size };
}
