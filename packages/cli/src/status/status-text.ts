/**
 * `smsgw status` as text: one table per part (edge pods, streams, lanes,
 * DLR backlogs, connectors), columns padded, ages as "4s", "12m", "3h".
 */
import type { SystemStatus } from './read-status.ts';

/** An age in milliseconds as a short human text, or "-" when there is none. */
export function shortAge(ms: number | undefined): string {
  if (ms === undefined) return '-';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 48 * 3600)
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d`;
}

/** Rows as aligned columns, the first row the header, two spaces apart, indented by two. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => `  ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd());
}

/** The status as the lines `smsgw status` prints. */
export function statusText(status: SystemStatus, natsUrl: string): string[] {
  const now = Date.parse(status.at);
  const lines: string[] = [`smsgw status of ${natsUrl} at ${status.at}`, ''];

  lines.push('Edge pods (receivers bound, from presence)');
  const edgeRows = status.edges.flatMap((e) =>
    e.accounts.map((a, i) => [
      i === 0 ? e.pod : '',
      i === 0 ? e.grpcAddress : '',
      a.account,
      String(a.receivers),
    ]),
  );
  lines.push(
    ...(edgeRows.length === 0
      ? ['  (no receivers bound anywhere)']
      : table([['POD', 'GRPC', 'ACCOUNT', 'RECEIVERS'], ...edgeRows])),
    '',
  );

  lines.push('Streams');
  lines.push(
    ...table([
      ['STREAM', 'MESSAGES', 'OLDEST'],
      ...status.streams.map((s) => [s.stream, String(s.messages), shortAge(s.oldestAgeMs)]),
    ]),
    '',
  );

  lines.push('Lanes (consumer lag)');
  lines.push(
    ...table([
      ['STAGE', 'LANE', 'CONSUMER', 'PENDING', 'UNACKED', 'REDELIVERED', 'READERS'],
      ...status.lanes.map((l) => [
        l.stage,
        l.connector === undefined ? `p${l.priority}` : `${l.connector} p${l.priority}`,
        l.consumer,
        String(l.pending),
        String(l.ackPending),
        String(l.redelivered),
        String(l.readers),
      ]),
    ]),
    '',
  );

  lines.push('DLR backlog');
  lines.push(
    ...(status.dlrBacklog.length === 0
      ? ['  (empty)']
      : table([
          ['ACCOUNT', 'WAITING', 'OLDEST'],
          ...status.dlrBacklog.map((b) => [b.account, String(b.messages), shortAge(b.oldestAgeMs)]),
        ])),
    '',
  );

  lines.push('Connectors');
  const connectorRows = status.connectors.flatMap((c) =>
    c.replicas.length === 0
      ? [[c.connector, '(no replica)', '-', '-', '-', String(c.pending)]]
      : c.replicas.map((r, i) => [
          i === 0 ? c.connector : '',
          r.pod,
          `${r.ready ? 'ready' : 'NOT READY'}${r.stale ? ' (stale)' : ''}`,
          shortAge(now - Date.parse(r.since)),
          r.sessions === undefined ? '-' : `${r.sessions.bound}/${r.sessions.configured}`,
          i === 0 ? String(c.pending) : '',
        ]),
  );
  lines.push(
    ...(connectorRows.length === 0
      ? ['  (none announced)']
      : table([['CONNECTOR', 'POD', 'STATE', 'FOR', 'UPSTREAM SESSIONS', 'IN LANES'], ...connectorRows])),
  );
  return lines;
}
