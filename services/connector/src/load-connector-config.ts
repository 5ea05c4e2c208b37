/**
 * Reads the connector's configuration: the environment, over the SMPP_*
 * settings of the file SMPP_SETTINGS_FILE names (JSON or YAML, e.g. a mounted
 * Secret with the upstream's credentials). One schema (config.ts) validates
 * both, so a bad value in the file is reported like a bad variable.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, type Environment } from '@smsgw/runtime';
import { parse as parseYaml } from 'yaml';
import { connectorConfig, type ConnectorConfig } from './config.ts';

/** The SMPP_* entries of a settings file's text as environment strings; throws ConfigError for any other shape. */
export function settingsFileEntries(text: string, file: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (err) {
    throw new ConfigError([{ variable: 'SMPP_SETTINGS_FILE', message: `${file}: not JSON or YAML` }], {
      cause: err,
    });
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError([{ variable: 'SMPP_SETTINGS_FILE', message: `${file}: expected a mapping` }]);
  }
  const entries: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    const valid =
      name.startsWith('SMPP_') &&
      name !== 'SMPP_SETTINGS_FILE' &&
      (typeof value === 'string' ||
        typeof value === 'number' ||
        typeof value === 'boolean' ||
        (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')));
    if (!valid) {
      throw new ConfigError([
        {
          variable: 'SMPP_SETTINGS_FILE',
          message: `${file}: ${name} is not an SMPP_* setting with a scalar value`,
        },
      ]);
    }
    entries[name] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return entries;
}

/** Loads and validates the connector's configuration; throws ConfigError naming every bad setting. */
export function loadConnectorConfig(environment: Environment = process.env): ConnectorConfig {
  const file = environment['SMPP_SETTINGS_FILE']?.trim();
  if (file === undefined || file === '') return loadConfig(connectorConfig, environment);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ variable: 'SMPP_SETTINGS_FILE', message: `${file} cannot be read` }], {
      cause: err,
    });
  }
  const fromFile = settingsFileEntries(text, file);
  const present = Object.fromEntries(
    Object.entries(environment).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  return loadConfig(connectorConfig, { ...fromFile, ...present });
}
