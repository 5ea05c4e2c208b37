import { describe, expect, it } from 'vitest';
import { withUpstream } from './upstream-launch.ts';

const entry = (name: string) => ({ name, dir: `/s/${name}`, main: `/s/${name}/src/main.ts` });
const services = ['router', 'connector', 'dlr-dispatcher', 'edge'].map(entry);

describe('withUpstream', () => {
  it('launches every service as it is without --upstream', () => {
    expect(withUpstream(services, undefined).map((l) => [l.entry.name, l.extraEnv])).toEqual(
      services.map((s) => [s.name, {}]),
    );
  });

  it('adds an smpp connector "upstream" after the sim one and makes it the router’s default', () => {
    const launches = withUpstream(services, {
      CONNECTOR_SMPP_HOST: 'smsc',
      CONNECTOR_SMPP_SYSTEM_ID: 'esme',
    });
    expect(launches.map((l) => l.entry.name)).toEqual([
      'router',
      'connector',
      'connector-upstream',
      'dlr-dispatcher',
      'edge',
    ]);
    expect(launches[0]?.extraEnv).toEqual({ ROUTER_DEFAULT_ROUTE: 'upstream' });
    expect(launches[2]).toMatchObject({
      entry: { dir: '/s/connector', main: '/s/connector/src/main.ts' },
      extraEnv: {
        CONNECTOR_NAME: 'upstream',
        CONNECTOR_DRIVER: 'smpp',
        CONNECTOR_SMPP_HOST: 'smsc',
        CONNECTOR_SMPP_SYSTEM_ID: 'esme',
      },
    });
  });
});
