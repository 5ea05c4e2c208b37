import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, deprecatedVariablesOf } from '@smsgw/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConnectorConfig } from './load-connector-config.ts';
import { smppSettingsOf } from './smpp/smpp-settings.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function settingsFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'connector-settings-'));
  dirs.push(dir);
  const file = join(dir, 'smpp.yaml');
  await writeFile(file, text);
  return file;
}

describe('loadConnectorConfig', () => {
  it('needs CONNECTOR_SMPP_HOST and CONNECTOR_SMPP_SYSTEM_ID for the smpp driver', () => {
    expect(() => loadConnectorConfig({ CONNECTOR_DRIVER: 'smpp' })).toThrow(
      /CONNECTOR_SMPP_HOST.*CONNECTOR_SMPP_SYSTEM_ID/,
    );
  });

  it('reads CONNECTOR_SMPP_* settings (and old SMPP_* names) from a YAML file, the environment winning', async () => {
    const file = await settingsFile(
      'CONNECTOR_SMPP_HOST: smsc.example.com\nSMPP_SYSTEM_ID: esme\nSMPP_PASSWORD: secret\nSMPP_WINDOW: 20\n',
    );
    const config = loadConnectorConfig({
      CONNECTOR_DRIVER: 'smpp',
      CONNECTOR_SMPP_SETTINGS_FILE: file,
      CONNECTOR_SMPP_WINDOW: '30',
      CONNECTOR_SMPP_TPS: '100',
      CONNECTOR_SMPP_TPS_SHARE: '4',
      CONNECTOR_SMPP_SOURCE_ADDR: 'auto',
      CONNECTOR_SMPP_DEST_ADDR: '1:1',
      CONNECTOR_TRY_NEXT_STATUSES: 'ESME_RINVDSTADR, 0x45',
    });
    const settings = smppSettingsOf(config);
    expect(settings).toMatchObject({
      host: 'smsc.example.com',
      systemId: 'esme',
      password: 'secret',
      window: 30,
      tps: 25,
      sourceAddr: 'auto',
      destAddr: { ton: 1, npi: 1 },
      bindMode: 'transceiver',
      longMessages: 'udh',
    });
    expect([...settings.tryNextStatuses]).toEqual([0x0b, 0x45]);
  });

  it('refuses a file with other keys, and a bad value in it', async () => {
    const other = await settingsFile('NATS_URL: nats://elsewhere\n');
    expect(() => loadConnectorConfig({ CONNECTOR_SMPP_SETTINGS_FILE: other })).toThrow(ConfigError);
    const bad = await settingsFile('CONNECTOR_SMPP_WINDOW: lots\n');
    expect(() => loadConnectorConfig({ CONNECTOR_SMPP_SETTINGS_FILE: bad })).toThrow(/CONNECTOR_SMPP_WINDOW/);
  });

  it('lets the environment win over the file whichever names each uses, and remembers the old ones', async () => {
    const file = await settingsFile(
      'SMPP_HOST: smsc.example.com\nSMPP_SYSTEM_ID: esme\nCONNECTOR_SMPP_WINDOW: 20\n',
    );
    const config = loadConnectorConfig({
      CONNECTOR_DRIVER: 'smpp',
      SMPP_SETTINGS_FILE: file,
      SMPP_WINDOW: '30',
    });
    expect(smppSettingsOf(config)).toMatchObject({ host: 'smsc.example.com', systemId: 'esme', window: 30 });
    expect(
      deprecatedVariablesOf(config)
        .map((d) => d.variable)
        .sort(),
    ).toEqual(['SMPP_HOST', 'SMPP_SETTINGS_FILE', 'SMPP_SYSTEM_ID', 'SMPP_WINDOW']);
  });

  it('refuses old and new names set to different values in the environment', () => {
    expect(() => loadConnectorConfig({ SMPP_WINDOW: '30', CONNECTOR_SMPP_WINDOW: '40' })).toThrow(
      /SMPP_WINDOW: deprecated name of CONNECTOR_SMPP_WINDOW/,
    );
  });
});
