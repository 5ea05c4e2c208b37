/**
 * `smsgw start --upstream smpp://SYSTEM_ID:PASSWORD@HOST:PORT[?tls=1&sessions=N&window=W&tps=T]` (also ca, insecure, mode, submit_ids, receipt_ids):
 * the upstream SMSC of the extra `smpp` connector named `upstream`, turned into
 * that connector's SMPP_* environment (services/connector/README.md).
 */
import { InvalidArgumentError } from 'commander';

/** The connector name `--upstream` runs, and the router's default route. */
export const UPSTREAM_CONNECTOR = 'upstream';

/** The query parameters --upstream takes, and the connector variable each sets. */
const QUERY: Readonly<Record<string, { readonly variable: string; readonly pattern: RegExp }>> = {
  tls: { variable: 'CONNECTOR_SMPP_TLS', pattern: /^(?:0|1|true|false)$/ },
  insecure: { variable: 'CONNECTOR_SMPP_TLS_INSECURE', pattern: /^(?:0|1|true|false)$/ },
  ca: { variable: 'CONNECTOR_SMPP_TLS_CA_FILE', pattern: /^.+$/ },
  sessions: { variable: 'CONNECTOR_SMPP_SESSIONS', pattern: /^\d+$/ },
  window: { variable: 'CONNECTOR_SMPP_WINDOW', pattern: /^\d+$/ },
  tps: { variable: 'CONNECTOR_SMPP_TPS', pattern: /^\d+$/ },
  mode: { variable: 'CONNECTOR_SMPP_BIND_MODE', pattern: /^(?:transceiver|transmitter-receiver)$/ },
  submit_ids: { variable: 'CONNECTOR_SMPP_SUBMIT_ID_BASE', pattern: /^(?:opaque|hex|decimal)$/ },
  receipt_ids: { variable: 'CONNECTOR_SMPP_RECEIPT_ID_BASE', pattern: /^(?:same|hex|decimal)$/ },
};

/** The SMPP_* variables of an --upstream URL; throws InvalidArgumentError (a usage error) for a bad one. */
export function parseUpstreamUrl(value: string): Record<string, string> {
  const url = URL.parse(value);
  const fail = (why: string): never => {
    throw new InvalidArgumentError(
      `${why}: expected smpp://SYSTEM_ID:PASSWORD@HOST:PORT[?tls=1&sessions=N&window=W&tps=T]`,
    );
  };
  if (url === null || url.protocol !== 'smpp:') return fail('not an smpp:// URL');
  if (url.hostname === '') return fail('no host');
  if (url.username === '') return fail('no system_id');
  const env: Record<string, string> = {
    CONNECTOR_SMPP_HOST: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    CONNECTOR_SMPP_PORT: url.port === '' ? '2775' : url.port,
    CONNECTOR_SMPP_SYSTEM_ID: decodeURIComponent(url.username),
    CONNECTOR_SMPP_PASSWORD: decodeURIComponent(url.password),
  };
  for (const [name, given] of url.searchParams) {
    const param = QUERY[name];
    if (param === undefined) return fail(`unknown parameter ${JSON.stringify(name)}`);
    if (!param.pattern.test(given)) return fail(`bad value of ${name}: ${JSON.stringify(given)}`);
    env[param.variable] = given;
  }
  return env;
}
