/**
 * Who is exporting: service.name and service.version for the resource. The
 * name is OTEL_SERVICE_NAME when set (the SDK reads it itself; Helm and compose
 * set it), else SERVICE_NAME (the services' own variable), else the package
 * name of the script being run without its scope (`@smsgw/router` → router).
 * The version is that package's.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The service's name and version as the resource states them. */
export interface ServiceIdentity {
  /** undefined when OTEL_SERVICE_NAME is set: the SDK's own reading of it stands. */
  readonly name: string | undefined;
  readonly version: string | undefined;
}

interface PackageInfo {
  readonly name?: string;
  readonly version?: string;
}

/** The package.json closest above `file` (at most a few levels: src/main.ts → the service folder). */
export function packageOf(file: string | undefined): PackageInfo {
  if (file === undefined) return {};
  let dir = dirname(file);
  for (let level = 0; level < 4; level++) {
    try {
      return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageInfo;
    } catch {
      // No (readable) package.json here: one level up.
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return {};
}

/** The identity of the process running `mainFile` under `environment`. */
export function serviceIdentity(
  environment: Readonly<Record<string, string | undefined>>,
  mainFile: string | undefined,
): ServiceIdentity {
  const pkg = packageOf(mainFile);
  const fromPackage = pkg.name?.replace(/^@[^/]+\//, '');
  const name = nonEmpty(environment['OTEL_SERVICE_NAME'])
    ? undefined
    : (nonEmpty(environment['SERVICE_NAME']) ?? fromPackage ?? 'smsgw');
  return { name, version: pkg.version };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
