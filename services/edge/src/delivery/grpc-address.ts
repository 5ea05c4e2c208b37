/**
 * The address this pod announces in presence for its EdgeDelivery server,
 * the one dispatchers dial: EDGE_GRPC_ADDRESS when set; else the pod's IP
 * (POD_IP, from the downward API: pod IPs are reachable without a per-pod DNS
 * name) with the gRPC port, an IPv6 address in brackets (RFC 3986 §3.2.2, as
 * grpc-js parses `[fd00::1]:9091`); else the pod name, for compose and local
 * runs where the container's hostname resolves.
 */
import { isIPv6 } from 'node:net';

/** The settings the announced address comes from (the edge's config). */
export interface GrpcAddressSettings {
  readonly EDGE_GRPC_ADDRESS?: string | undefined;
  readonly POD_IP?: string | undefined;
  readonly POD_NAME: string;
  readonly EDGE_GRPC_PORT: number;
}

/** The host:port dispatchers dial for this pod (see the module comment). */
export function announcedGrpcAddress(settings: GrpcAddressSettings): string {
  if (settings.EDGE_GRPC_ADDRESS !== undefined) return settings.EDGE_GRPC_ADDRESS;
  const port = String(settings.EDGE_GRPC_PORT);
  const ip = settings.POD_IP;
  if (ip === undefined) return `${settings.POD_NAME}:${port}`;
  return isIPv6(ip) ? `[${ip}]:${port}` : `${ip}:${port}`;
}
