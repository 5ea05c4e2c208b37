import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serviceIdentity } from './service-identity.ts';

const here = fileURLToPath(import.meta.url);

describe('serviceIdentity', () => {
  it("names the service after the script's package, without its scope, with its version", () => {
    expect(serviceIdentity({}, here)).toEqual({ name: 'telemetry', version: '0.1.0' });
  });

  it('prefers SERVICE_NAME, and leaves the name to the SDK when OTEL_SERVICE_NAME is set', () => {
    expect(serviceIdentity({ SERVICE_NAME: 'edge' }, here).name).toBe('edge');
    expect(
      serviceIdentity({ OTEL_SERVICE_NAME: 'edge-eu', SERVICE_NAME: 'edge' }, here).name,
    ).toBeUndefined();
    expect(serviceIdentity({}, undefined)).toEqual({ name: 'smsgw', version: undefined });
  });
});
