// Deprecated variable names (docs/configuration.md, "Renamed variables"): an old name is still read
// when its replacement is not set, and each use is remembered so that the service logs one warning
// line naming the replacement. Both set to different values is a configuration error naming both.
import type { z } from 'zod';
import type { Logger } from '../logging/logger.ts';
import type { ConfigIssue } from './config-error.ts';

/** Old variable name → the name that replaced it. */
export type RenamedVariables = Readonly<Record<string, string>>;

/** An old name a configuration was read from, and the name to set instead. */
export interface DeprecatedVariable {
  /** The old name that was set, e.g. `SHUTDOWN_GRACE_MS`. */
  readonly variable: string;
  /** The name that replaced it, e.g. `SHUTDOWN_GRACE`. */
  readonly replacement: string;
}

/** The renamed variables every service shares (the base schema's). */
export const baseRenamedVariables: RenamedVariables = {
  SHUTDOWN_GRACE_MS: 'SHUTDOWN_GRACE',
};

const renamedBySchema = new WeakMap<object, RenamedVariables>();
const deprecatedByConfig = new WeakMap<object, readonly DeprecatedVariable[]>();

/**
 * Registers the old names of a schema's variables and returns the schema: loadConfig reads an old
 * name in place of its replacement (and the base schema's old names always).
 */
export function withRenamedVariables<T extends z.ZodType>(schema: T, renamed: RenamedVariables): T {
  renamedBySchema.set(schema, { ...renamedBySchema.get(schema), ...renamed });
  return schema;
}

/** The old names loadConfig accepts for a schema: the base schema's and those registered for it. */
export function renamedVariablesOf(schema: z.ZodType): RenamedVariables {
  return { ...baseRenamedVariables, ...renamedBySchema.get(schema) };
}

/** What renaming an environment's old names gives: the environment under the new names, what was used, what conflicts. */
export interface RenameOutcome {
  readonly environment: Record<string, string>;
  readonly deprecated: readonly DeprecatedVariable[];
  readonly issues: readonly ConfigIssue[];
}

/**
 * Moves each set old name to its replacement when that is not set; records the use. An old name
 * set beside its replacement is an issue when the two values differ (compared trimmed), else it is
 * only recorded. Values must be present (blank ones removed) already.
 */
export function renameVariables(
  present: Readonly<Record<string, string>>,
  renamed: RenamedVariables,
): RenameOutcome {
  const environment: Record<string, string> = Object.fromEntries(
    Object.entries(present).filter(([name]) => !Object.hasOwn(renamed, name)),
  );
  const deprecated: DeprecatedVariable[] = [];
  const issues: ConfigIssue[] = [];
  for (const [variable, replacement] of Object.entries(renamed)) {
    const old = present[variable];
    if (old === undefined) continue;
    const current = present[replacement];
    if (current !== undefined && current.trim() !== old.trim()) {
      issues.push({
        variable,
        message: `deprecated name of ${replacement}, which is set to another value: set ${replacement} only`,
      });
      continue;
    }
    environment[replacement] = current ?? old;
    deprecated.push({ variable, replacement });
  }
  return { environment, deprecated, issues };
}

/** Remembers which old names a loaded configuration was read from (loadConfig does). */
export function recordDeprecatedVariables(config: object, deprecated: readonly DeprecatedVariable[]): void {
  deprecatedByConfig.set(config, deprecated);
}

/**
 * The old names a configuration from loadConfig was read from, for the service to log (runService
 * logs one warning line each); empty for one that uses the current names only.
 */
export function deprecatedVariablesOf(config: object): readonly DeprecatedVariable[] {
  return deprecatedByConfig.get(config) ?? [];
}

/** Logs one warning line for each old name `config` was read from, naming its replacement. */
export function logDeprecatedVariables(logger: Logger, config: object): void {
  for (const { variable, replacement } of deprecatedVariablesOf(config)) {
    logger.warn({ variable, replacement }, `${variable} is deprecated: set ${replacement} instead`);
  }
}
