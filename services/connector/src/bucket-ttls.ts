/**
 * The TTLs of the connectors' buckets as a connector sees them: the buckets'
 * (the provisioner applies them, docs/configuration.md "Stream limits"). The
 * deprecated CONNECTOR_HEALTH_TTL and CONNECTOR_SMPP_UPSTREAM_ID_TTL only
 * shape a bucket this connector creates because nothing provisioned it yet;
 * set, they earn one warning, naming those the buckets disagree with.
 */
import type { Logger } from '@smsgw/runtime';
import { bucketTtlVariables, type ConnectorConfig } from './config.ts';

type TtlSettings = Pick<ConnectorConfig, (typeof bucketTtlVariables)[number]>;

/** The TTLs the buckets this connector uses hold (ms); the upstream ids' only for the `smpp` driver. */
export interface SeenBucketTtls {
  readonly connectorHealthTtlMs: number;
  readonly upstreamIdTtlMs?: number;
}

/** Each set TTL variable that disagrees with its bucket, by name (a bucket this connector does not use: not compared). */
export function bucketTtlMismatches(
  config: TtlSettings,
  ttls: SeenBucketTtls,
): Record<string, { readonly configured: number; readonly bucket: number }> {
  const pairs: [string, number | undefined, number | undefined][] = [
    ['CONNECTOR_HEALTH_TTL', config.CONNECTOR_HEALTH_TTL, ttls.connectorHealthTtlMs],
    ['CONNECTOR_SMPP_UPSTREAM_ID_TTL', config.CONNECTOR_SMPP_UPSTREAM_ID_TTL, ttls.upstreamIdTtlMs],
  ];
  return Object.fromEntries(
    pairs
      .filter(
        (pair): pair is [string, number, number] =>
          pair[1] !== undefined && pair[2] !== undefined && pair[1] !== pair[2],
      )
      .map(([name, configured, bucket]) => [name, { configured, bucket }]),
  );
}

/** Logs the TTLs the buckets hold (info), and one warning when a deprecated TTL variable is set. */
export function noteBucketTtls(config: TtlSettings, ttls: SeenBucketTtls, logger: Logger): void {
  logger.info({ ttls }, 'connector bucket TTLs, as the buckets hold them');
  const set = bucketTtlVariables.filter(
    (name) =>
      config[name] !== undefined &&
      (name !== 'CONNECTOR_SMPP_UPSTREAM_ID_TTL' || ttls.upstreamIdTtlMs !== undefined),
  );
  if (set.length === 0) return;
  logger.warn(
    { variables: set, differing: bucketTtlMismatches(config, ttls), ttls },
    `${set.join(', ')} on the connector ${set.length === 1 ? 'is' : 'are'} deprecated: the provisioner applies the bucket TTLs ` +
      '(smsgw topology apply, the chart value topology.connectorBuckets); used only to create a bucket nothing provisioned',
  );
}
