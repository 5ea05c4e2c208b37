/**
 * The `smpp` driver's settings, from the connector's configuration (the
 * SMPP_* variables of config.ts, README "The smpp driver"). How long a
 * mapping is kept is not among them: it is the upstream-ids bucket's TTL, the
 * provisioner's (upstream-id-store.ts; docs/configuration.md, "Stream limits").
 */
import { readFileSync } from 'node:fs';
import type tls from 'node:tls';
import type { ConnectorConfig } from '../config.ts';
import { ConnectorError } from '../errors.ts';

/** A TON/NPI rule for an address: keep what the customer sent, derive it, or a fixed pair. */
export type AddressRule = 'keep' | 'auto' | { readonly ton: number; readonly npi: number };

/** How ids are written: as opaque text, or a number in hex or decimal. */
export type IdBase = 'opaque' | 'hex' | 'decimal';

/** Everything the smpp driver is configured with. */
export interface SmppSettings {
  readonly host: string;
  readonly port: number;
  /** TLS options (CA, server name, rejectUnauthorized), absent for plain TCP. */
  readonly tls?: tls.ConnectionOptions;
  readonly systemId: string;
  readonly password: string;
  readonly systemType: string;
  readonly bindMode: 'transceiver' | 'transmitter-receiver';
  readonly sessions: number;
  readonly window: number;
  /** Submits per second of this replica (CONNECTOR_SMPP_TPS / CONNECTOR_SMPP_TPS_SHARE); 0: no limit. */
  readonly tps: number;
  readonly throttlePauseMs: number;
  readonly enquireLinkMs: number;
  readonly responseTimeoutMs: number;
  readonly reconnect: { readonly minMs: number; readonly maxMs: number };
  readonly sourceAddr: AddressRule;
  readonly destAddr: AddressRule;
  /** data_coding of GSM-7 text: 0 or 1. */
  readonly gsmDataCoding: 0 | 1;
  readonly longMessages: 'payload' | 'udh' | 'sar';
  readonly submitIdBase: IdBase;
  /** The base of ids in receipt texts. */
  readonly receiptIdBase: IdBase;
  /** command_status values that hand the message to the route's next connector. */
  readonly tryNextStatuses: ReadonlySet<number>;
  readonly receiptWaitMs: number;
}

function addressRuleOf(text: string): AddressRule {
  if (text === 'keep' || text === 'auto') return text;
  const [ton, npi] = text.split(':').map(Number);
  return { ton: ton ?? 0, npi: npi ?? 0 };
}

/** The smpp driver's settings from the configuration; throws ConnectorError without host or system_id. */
export function smppSettingsOf(config: ConnectorConfig): SmppSettings {
  if (config.CONNECTOR_SMPP_HOST === undefined || config.CONNECTOR_SMPP_SYSTEM_ID === undefined) {
    throw new ConnectorError('the smpp driver needs CONNECTOR_SMPP_HOST and CONNECTOR_SMPP_SYSTEM_ID');
  }
  const tlsOptions: tls.ConnectionOptions | undefined = config.CONNECTOR_SMPP_TLS
    ? {
        ...(config.CONNECTOR_SMPP_TLS_CA_FILE === undefined
          ? {}
          : { ca: readFileSync(config.CONNECTOR_SMPP_TLS_CA_FILE) }),
        ...(config.CONNECTOR_SMPP_TLS_SERVERNAME === undefined
          ? {}
          : { servername: config.CONNECTOR_SMPP_TLS_SERVERNAME }),
        rejectUnauthorized: !config.CONNECTOR_SMPP_TLS_INSECURE,
      }
    : undefined;
  return {
    host: config.CONNECTOR_SMPP_HOST,
    port: config.CONNECTOR_SMPP_PORT,
    ...(tlsOptions === undefined ? {} : { tls: tlsOptions }),
    systemId: config.CONNECTOR_SMPP_SYSTEM_ID,
    password: config.CONNECTOR_SMPP_PASSWORD,
    systemType: config.CONNECTOR_SMPP_SYSTEM_TYPE,
    bindMode: config.CONNECTOR_SMPP_BIND_MODE,
    sessions: config.CONNECTOR_SMPP_SESSIONS,
    window: config.CONNECTOR_SMPP_WINDOW,
    tps: config.CONNECTOR_SMPP_TPS / config.CONNECTOR_SMPP_TPS_SHARE,
    throttlePauseMs: config.CONNECTOR_SMPP_THROTTLE_PAUSE,
    enquireLinkMs: config.CONNECTOR_SMPP_ENQUIRE_LINK_INTERVAL,
    responseTimeoutMs: config.CONNECTOR_SMPP_RESPONSE_TIMEOUT,
    reconnect: { minMs: config.CONNECTOR_SMPP_RECONNECT_MIN, maxMs: config.CONNECTOR_SMPP_RECONNECT_MAX },
    sourceAddr: addressRuleOf(config.CONNECTOR_SMPP_SOURCE_ADDR),
    destAddr: addressRuleOf(config.CONNECTOR_SMPP_DEST_ADDR),
    gsmDataCoding: config.CONNECTOR_SMPP_GSM_DATA_CODING === 1 ? 1 : 0,
    longMessages: config.CONNECTOR_SMPP_LONG_MESSAGES,
    submitIdBase: config.CONNECTOR_SMPP_SUBMIT_ID_BASE,
    receiptIdBase:
      config.CONNECTOR_SMPP_RECEIPT_ID_BASE === 'same'
        ? config.CONNECTOR_SMPP_SUBMIT_ID_BASE
        : config.CONNECTOR_SMPP_RECEIPT_ID_BASE,
    tryNextStatuses: new Set(config.CONNECTOR_TRY_NEXT_STATUSES),
    receiptWaitMs: config.CONNECTOR_SMPP_RECEIPT_WAIT,
  };
}
