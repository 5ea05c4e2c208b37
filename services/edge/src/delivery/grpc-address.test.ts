import { describe, expect, it } from 'vitest';
import { announcedGrpcAddress } from './grpc-address.ts';

const base = { POD_NAME: 'edge-7d9f-abcde', EDGE_GRPC_PORT: 9091 };

describe('announcedGrpcAddress', () => {
  it('takes EDGE_GRPC_ADDRESS as given', () => {
    expect(announcedGrpcAddress({ ...base, POD_IP: '10.0.0.7', EDGE_GRPC_ADDRESS: 'edge-0.edge:9999' })).toBe(
      'edge-0.edge:9999',
    );
  });

  it('builds it from the pod IP, bracketing IPv6', () => {
    expect(announcedGrpcAddress({ ...base, POD_IP: '10.0.0.7' })).toBe('10.0.0.7:9091');
    expect(announcedGrpcAddress({ ...base, POD_IP: 'fd00:10:244::7' })).toBe('[fd00:10:244::7]:9091');
  });

  it('falls back to the pod name without a pod IP', () => {
    expect(announcedGrpcAddress(base)).toBe('edge-7d9f-abcde:9091');
  });
});
