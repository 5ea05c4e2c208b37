// Configuration is read from the environment once, at start, and validated as a whole: a pod
// with a bad value fails fast with every problem named, instead of failing later at first use.
import type { z } from 'zod';
import { ConfigError } from './config-error.ts';
import type { ConfigIssue } from './config-error.ts';
import {
  recordDeprecatedVariables,
  renameVariables,
  renamedVariablesOf,
  type DeprecatedVariable,
} from './renamed-variables.ts';

/** An environment to read: `process.env` or, in tests, a plain object. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Blank values count as unset: Helm templates and ConfigMaps often render `VAR: ""` for "not given". */
function withoutBlanks(environment: Environment): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    if (value !== undefined && value.trim() !== '') present[name] = value;
  }
  return present;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** What loadConfig may be told besides the environment. */
export interface LoadConfigOptions {
  /** Old names the caller already moved to their replacements (a settings file's), remembered with the environment's. */
  readonly deprecated?: readonly DeprecatedVariable[];
}

/**
 * Parses and validates the environment with a zod object schema (usually `baseConfig.extend(…)`
 * or `defineServiceConfig(…)`) and returns the typed, frozen result. Only variables the schema
 * names are read, and the deprecated old names registered for it (withRenamedVariables) when
 * their replacement is unset: deprecatedVariablesOf(result) lists those used. Throws a
 * ConfigError naming every bad or missing variable, and every old name set beside its
 * replacement to another value.
 */
export function loadConfig<T extends z.ZodType>(
  schema: T,
  environment: Environment = process.env,
  options: LoadConfigOptions = {},
): Readonly<z.output<T>> {
  const renamed = renameVariables(withoutBlanks(environment), renamedVariablesOf(schema));
  const present = renamed.environment;
  const result = schema.safeParse(present);
  if (result.success && renamed.issues.length === 0) {
    const config = deepFreeze(result.data);
    if (typeof config === 'object' && config !== null) {
      recordDeprecatedVariables(config, [...(options.deprecated ?? []), ...renamed.deprecated]);
    }
    return config;
  }
  if (result.success) throw new ConfigError(renamed.issues);

  const issues: ConfigIssue[] = result.error.issues.map((issue) => {
    const variable = issue.path.map(String).join('.') || '(environment)';
    const first = issue.path[0];
    const unset = issue.code === 'invalid_type' && typeof first === 'string' && present[first] === undefined;
    return { variable, message: unset ? 'required but not set' : issue.message };
  });
  throw new ConfigError([...renamed.issues, ...issues], { cause: result.error });
}
