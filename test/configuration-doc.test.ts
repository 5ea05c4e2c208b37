/**
 * docs/configuration.md is the one list of every variable: this checks it against the schemas both
 * ways (every schema key is listed under its service, every listed name is read), that the renamed
 * table is exactly the deprecated aliases the services accept, and the naming rule itself.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { topologySettingsSchema } from '@smsgw/cli';
import { connectorConfig, connectorRenamedVariables } from '@smsgw/connector';
import { dispatcherConfigSchema, dispatcherRenamedVariables } from '@smsgw/dlr-dispatcher';
import { edgeConfigSchema, edgeRenamedVariables } from '@smsgw/edge';
import { routerConfigSchema, routerRenamedVariables } from '@smsgw/router';
import { baseConfig, baseRenamedVariables, renamedVariablesOf, sharedSettings } from '@smsgw/runtime';
import { beforeAll, describe, expect, it } from 'vitest';

const DOC = resolve(import.meta.dirname, '..', 'docs', 'configuration.md');

/** Each service: its schema, its section's heading, its prefix and its renamed variables. */
const SERVICES = {
  edge: { schema: edgeConfigSchema, prefix: 'EDGE_', renamed: edgeRenamedVariables },
  router: { schema: routerConfigSchema, prefix: 'ROUTER_', renamed: routerRenamedVariables },
  connector: { schema: connectorConfig, prefix: 'CONNECTOR_', renamed: connectorRenamedVariables },
  'dlr-dispatcher': { schema: dispatcherConfigSchema, prefix: 'DLR_', renamed: dispatcherRenamedVariables },
} as const;

/** Pod facts from Kubernetes' downward API: bare names by the rule. */
const POD_FACTS = new Set(['POD_NAME', 'POD_IP']);

/** The `## ` sections of the page (their `### ` subsections included), by heading. */
let sections: Map<string, string>;

/** The backticked names in the first column of a section's table rows. */
function listed(section: string): string[] {
  const text = sections.get(section);
  if (text === undefined) throw new Error(`docs/configuration.md has no section "## ${section}"`);
  return text
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) =>
      [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1] ?? ''),
    )
    .sort();
}

/** A table's rows as cells (header and divider skipped). */
function rows(section: string): string[][] {
  return (sections.get(section) ?? '')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/^`|`$/g, '')),
    );
}

const keys = (schema: { shape: object }): string[] => Object.keys(schema.shape);
const baseKeys = new Set(keys(baseConfig));
const sharedKeys = new Set(Object.keys(sharedSettings));

beforeAll(async () => {
  const text = await readFile(DOC, 'utf8');
  sections = new Map(
    text
      .split(/^## /m)
      .slice(1)
      .map((part) => [part.slice(0, part.indexOf('\n')).trim(), part]),
  );
});

describe('docs/configuration.md', () => {
  it('lists the variables every service reads, and nothing else, under "Every service"', () => {
    expect(listed('Every service')).toEqual([...baseKeys].sort());
  });

  it('lists the shared settings, each read by at least two services', () => {
    expect(listed('Shared settings')).toEqual([...sharedKeys].sort());
    for (const name of sharedKeys) {
      const readers = Object.values(SERVICES).filter((s) => keys(s.schema).includes(name));
      expect(readers.length, name).toBeGreaterThanOrEqual(2);
    }
  });

  it.each(Object.keys(SERVICES))('lists every variable of %s under its section, and only those', (name) => {
    const { schema } = SERVICES[name as keyof typeof SERVICES];
    const own = keys(schema).filter((k) => !baseKeys.has(k) && !sharedKeys.has(k));
    expect(listed(name)).toEqual(own.sort());
  });

  it('lists the provisioner’s variables (smsgw topology apply)', () => {
    expect(listed('Stream limits')).toEqual([...keys(topologySettingsSchema), 'NATS_URL'].sort());
  });

  it('lists exactly the deprecated names the services accept, with their replacements', () => {
    const documented = rows('Renamed variables').map(([old = '', current = '', readBy = '']) => ({
      old,
      current,
      readBy,
    }));
    const accepted = [
      ...Object.entries(baseRenamedVariables).map(([old, current]) => ({
        old,
        current,
        readBy: 'every service',
      })),
      ...Object.entries(SERVICES).flatMap(([service, { renamed }]) =>
        Object.entries(renamed).map(([old, current]) => ({ old, current, readBy: service })),
      ),
    ];
    const order = (a: { old: string; readBy: string }, b: { old: string; readBy: string }) =>
      `${a.readBy} ${a.old}`.localeCompare(`${b.readBy} ${b.old}`);
    expect(documented.sort(order)).toEqual(accepted.sort(order));
    // loadConfig reads them: each schema carries its own and the base ones.
    for (const { schema, renamed } of Object.values(SERVICES)) {
      expect(renamedVariablesOf(schema)).toEqual({ ...baseRenamedVariables, ...renamed });
    }
  });
});

describe('the naming rule', () => {
  it.each(Object.keys(SERVICES))('%s: every variable of its own starts with its prefix', (name) => {
    const { schema, prefix } = SERVICES[name as keyof typeof SERVICES];
    const own = keys(schema).filter((k) => !baseKeys.has(k) && !sharedKeys.has(k) && !POD_FACTS.has(k));
    expect(own.filter((k) => !k.startsWith(prefix))).toEqual([]);
  });

  it('names no unit: no variable ends in _MS, _SECONDS or the like', () => {
    const all = [
      ...baseKeys,
      ...sharedKeys,
      ...keys(topologySettingsSchema),
      ...Object.values(SERVICES).flatMap((s) => keys(s.schema)),
    ];
    expect(all.filter((k) => /_(MS|SECONDS|SECS|MINUTES|HOURS)$/.test(k))).toEqual([]);
  });

  it('renames each old name to a variable its service reads', () => {
    for (const [old, current] of Object.entries(baseRenamedVariables)) {
      expect(baseKeys.has(current), old).toBe(true);
    }
    for (const { schema, renamed } of Object.values(SERVICES)) {
      for (const [old, current] of Object.entries(renamed)) expect(keys(schema), old).toContain(current);
    }
  });
});
