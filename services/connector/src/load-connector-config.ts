/**
 * Reads the connector's configuration: the environment, over the
 * CONNECTOR_SMPP_* settings of the file CONNECTOR_SMPP_SETTINGS_FILE (or its
 * old name SMPP_SETTINGS_FILE) names (JSON or YAML, e.g. a mounted Secret with
 * the upstream's credentials; the old SMPP_* names are read there too). One
 * schema (config.ts) validates both, so a bad value in the file is reported
 * like a bad variable.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, renameVariables, type Environment } from '@smsgw/runtime';
import { parse as parseYaml } from 'yaml';
import { connectorConfig, connectorRenamedVariables, type ConnectorConfig } from './config.ts';

const settingsFileVariable = 'CONNECTOR_SMPP_SETTINGS_FILE';

/** A settings file's key: a CONNECTOR_SMPP_* setting, or its old SMPP_* name (not the file's own name). */
function isSettingsFileKey(name: string): boolean {
  const current = (connectorRenamedVariables as Readonly<Record<string, string>>)[name] ?? name;
  return current.startsWith('CONNECTOR_SMPP_') && current !== settingsFileVariable;
}

/** The CONNECTOR_SMPP_* (or old SMPP_*) entries of a settings file's text as environment strings; throws ConfigError for every other shape. */
export function settingsFileEntries(text: string, file: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (err) {
    throw new ConfigError([{ variable: settingsFileVariable, message: `${file}: not JSON or YAML` }], {
      cause: err,
    });
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError([{ variable: settingsFileVariable, message: `${file}: expected a mapping` }]);
  }
  const entries: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    const valid =
      isSettingsFileKey(name) &&
      (typeof value === 'string' ||
        typeof value === 'number' ||
        typeof value === 'boolean' ||
        (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')));
    if (!valid) {
      throw new ConfigError([
        {
          variable: settingsFileVariable,
          message: `${file}: ${name} is not a CONNECTOR_SMPP_* setting with a scalar value`,
        },
      ]);
    }
    entries[name] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return entries;
}

/**
 * Loads and validates the connector's configuration; throws ConfigError naming every bad setting.
 * Old names are renamed in the environment and in the file apart, so that the environment still
 * wins over the file whichever names each uses.
 */
export function loadConnectorConfig(environment: Environment = process.env): ConnectorConfig {
  const present = Object.fromEntries(
    Object.entries(environment).filter((entry): entry is [string, string] => {
      const value = entry[1];
      return value !== undefined && value.trim() !== '';
    }),
  );
  const fromEnvironment = renameVariables(present, connectorRenamedVariables);
  if (fromEnvironment.issues.length > 0) throw new ConfigError(fromEnvironment.issues);
  const file = fromEnvironment.environment[settingsFileVariable]?.trim();
  if (file === undefined || file === '') return loadConfig(connectorConfig, environment);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ variable: settingsFileVariable, message: `${file} cannot be read` }], {
      cause: err,
    });
  }
  const fromFile = renameVariables(settingsFileEntries(text, file), connectorRenamedVariables);
  if (fromFile.issues.length > 0) throw new ConfigError(fromFile.issues);
  return loadConfig(
    connectorConfig,
    { ...fromFile.environment, ...fromEnvironment.environment },
    { deprecated: [...fromEnvironment.deprecated, ...fromFile.deprecated] },
  );
}
