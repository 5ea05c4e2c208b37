// Configuration is read from the environment once, at start, and validated as a whole: a pod
// with a bad value fails fast with every problem named, instead of failing later at first use.
import type { z } from 'zod';
import { ConfigError } from './config-error.ts';
import type { ConfigIssue } from './config-error.ts';

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

/**
 * Parses and validates the environment with a zod object schema (usually `baseConfig.extend(…)`
 * or `defineServiceConfig(…)`) and returns the typed, frozen result. Only variables the schema
 * names are read. Throws a ConfigError naming every bad or missing variable.
 */
export function loadConfig<T extends z.ZodType>(
  schema: T,
  environment: Environment = process.env,
): Readonly<z.output<T>> {
  const present = withoutBlanks(environment);
  const result = schema.safeParse(present);
  if (result.success) return deepFreeze(result.data);

  const issues: ConfigIssue[] = result.error.issues.map((issue) => {
    const variable = issue.path.map(String).join('.') || '(environment)';
    const first = issue.path[0];
    const unset = issue.code === 'invalid_type' && typeof first === 'string' && present[first] === undefined;
    return { variable, message: unset ? 'required but not set' : issue.message };
  });
  throw new ConfigError(issues, { cause: result.error });
}
