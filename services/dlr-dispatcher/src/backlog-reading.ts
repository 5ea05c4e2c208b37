/**
 * What /metrics reads at scrape time: the DLR backlog by account (one stream
 * info request on SMS_DLR with a subject filter, which the server answers
 * with a count per subject, i.e. per account) and the presence this
 * dispatcher sees. Every replica reports the same backlog: aggregate it with
 * max(), not sum().
 */
import type { JetStreamManager } from '@nats-io/jetstream';
import { StreamName, SubjectRoot, decodeSubjectToken } from '@smsgw/nats';
import type { Logger } from '@smsgw/runtime';
import type { PresenceView } from './presence-view.ts';

/** The account of a backlog subject (`sms.dlr.<token>`), or the raw token when it is not one of ours. */
function accountOf(subject: string): string {
  const token = subject.slice(SubjectRoot.dlr.length + 1);
  try {
    return decodeSubjectToken(token);
  } catch {
    // Not written by a dispatcher (the token did not come from encodeSubjectToken): shown as it is.
    return token;
  }
}

/** Reads the waiting reports per account; logs and rethrows when the stream cannot be read. */
export function backlogReader(jsm: JetStreamManager, logger: Logger): () => Promise<Map<string, number>> {
  return async () => {
    try {
      const info = await jsm.streams.info(StreamName.dlr, { subjects_filter: `${SubjectRoot.dlr}.>` });
      const byAccount = new Map<string, number>();
      for (const [subject, count] of Object.entries(info.state.subjects ?? {})) {
        byAccount.set(accountOf(subject), count);
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
