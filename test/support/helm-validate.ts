/**
 * Checks rendered chart objects against the Kubernetes API, offline, two ways:
 *
 * 1. kubernetes-models' JSON schemas (generated from the Kubernetes OpenAPI; cert-manager's from its
 *    CRDs): required fields, types, enums, formats. Those schemas allow unknown fields, as the
 *    OpenAPI does, so a misspelt field would pass them;
 * 2. so the same objects are also type-checked, as object literals, against kubernetes-models'
 *    TypeScript interfaces, whose excess-property check refuses any field the API does not have
 *    (`readOnlyRootFileSystem`, a probe's `initialDelay`) at any depth.
 *
 * A kind the chart starts to render must be added to MODELS.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1';
import {
  PodMonitor,
  type IPodMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import {
  PrometheusRule,
  type IPrometheusRule,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Pod, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import ts from 'typescript';
import type { K8sObject } from './helm-render.ts';

/** How one kind is checked: its schema-validating model and its TypeScript interface. */
interface KindModel {
  /** Constructs the model; validate() throws on a schema violation. */
  readonly create: (data: K8sObject) => { validate(): void };
  /** Module and interface name of the kind's type (the kind's own file: an index module costs seconds to load). */
  readonly typeModule: string;
  readonly typeName: string;
}

/** Every kind the chart renders, by `<apiVersion>/<kind>`. */
const MODELS: Readonly<Record<string, KindModel>> = {
  'apps/v1/Deployment': {
    create: (d) => new Deployment(d),
    typeModule: 'kubernetes-models/apps/v1/Deployment',
    typeName: 'IDeployment',
  },
  'batch/v1/Job': {
    create: (d) => new Job(d),
    typeModule: 'kubernetes-models/batch/v1/Job',
    typeName: 'IJob',
  },
  'policy/v1/PodDisruptionBudget': {
    create: (d) => new PodDisruptionBudget(d),
    typeModule: 'kubernetes-models/policy/v1/PodDisruptionBudget',
    typeName: 'IPodDisruptionBudget',
  },
  'v1/ConfigMap': {
    create: (d) => new ConfigMap(d),
    typeModule: 'kubernetes-models/v1/ConfigMap',
    typeName: 'IConfigMap',
  },
  'v1/Pod': { create: (d) => new Pod(d), typeModule: 'kubernetes-models/v1/Pod', typeName: 'IPod' },
  'v1/Secret': {
    create: (d) => new Secret(d),
    typeModule: 'kubernetes-models/v1/Secret',
    typeName: 'ISecret',
  },
  'v1/Service': {
    create: (d) => new Service(d),
    typeModule: 'kubernetes-models/v1/Service',
    typeName: 'IService',
  },
  'v1/ServiceAccount': {
    create: (d) => new ServiceAccount(d),
    typeModule: 'kubernetes-models/v1/ServiceAccount',
    typeName: 'IServiceAccount',
  },
  'cert-manager.io/v1/Certificate': {
    create: (d) => new Certificate(d),
    typeModule: '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate',
    typeName: 'ICertificate',
  },
  // The Prometheus Operator's CRDs, from their published schemas (charts/smsgw monitoring.*).
  'monitoring.coreos.com/v1/PodMonitor': {
    // Their spec is required in the type; validate() reports it missing, as for any other field.
    create: (d) => new PodMonitor(d as unknown as IPodMonitor),
    typeModule: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor',
    typeName: 'IPodMonitor',
  },
  'monitoring.coreos.com/v1/PrometheusRule': {
    create: (d) => new PrometheusRule(d as unknown as IPrometheusRule),
    typeModule: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule',
    typeName: 'IPrometheusRule',
  },
};

/** What is wrong with one rendered object. */
export interface ObjectProblem {
  /** `<kind>/<name>`. */
  readonly object: string;
  readonly problem: string;
}

function modelOf(object: K8sObject): KindModel | undefined {
  return MODELS[`${object.apiVersion}/${object.kind}`];
}

function label(object: K8sObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

/** Schema violations (and unknown kinds) of every object; empty when all are valid. */
export function schemaProblems(objects: readonly K8sObject[]): ObjectProblem[] {
  return objects.flatMap((object) => {
    const model = modelOf(object);
    if (model === undefined)
      return [{ object: label(object), problem: `no model for ${object.apiVersion} ${object.kind}` }];
    try {
      model.create(object).validate();
      return [];
    } catch (err) {
      return [{ object: label(object), problem: err instanceof Error ? err.message : String(err) }];
    }
  });
}

/** Compiler options for the generated check: resolves kubernetes-models as the test package does. */
const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: [],
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
};

/**
 * Fields the Kubernetes API does not know (and type mismatches), found by type-checking every object
 * as a literal of its kind's interface; empty when there are none. One compilation for all objects:
 * it costs a few seconds, so call it once per test file with everything rendered.
 */
export function unknownFieldProblems(objects: readonly K8sObject[]): ObjectProblem[] {
  // Identical objects (most of them, across value sets) are checked once.
  const unique = new Map(objects.map((o) => [JSON.stringify(o), o]));
  const known = [...unique.values()].filter((o) => modelOf(o) !== undefined);
  if (known.length === 0) return [];
  const imports = new Map<string, Set<string>>();
  const lines = known.map((object, i) => {
    const model = modelOf(object)!;
    const names = imports.get(model.typeModule) ?? new Set<string>();
    names.add(model.typeName);
    imports.set(model.typeModule, names);
    return `export const o${i}: ${model.typeName} = ${JSON.stringify(object)};`;
  });
  const source = [
    ...[...imports].map(([module, names]) => `import type { ${[...names].join(', ')} } from '${module}';`),
    ...lines,
  ].join('\n');

  // A file that does not exist, inside test/ so that module resolution finds the test package's node_modules.
  const fileName = resolve(import.meta.dirname, `__rendered-${randomUUID()}.ts`);
  const host = ts.createCompilerHost(COMPILER_OPTIONS);
  const readSource = host.getSourceFile.bind(host);
  const exists = host.fileExists.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === fileName
      ? ts.createSourceFile(name, source, language, true)
      : readSource(name, language, ...rest);
  host.fileExists = (name) => name === fileName || exists(name);
  const program = ts.createProgram([fileName], COMPILER_OPTIONS, host);
  const sourceFile = program.getSourceFile(fileName);
  return ts.getPreEmitDiagnostics(program, sourceFile).map((d) => {
    const line =
      d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
    // Line i + imports.size holds object i.
    const object = known[line - imports.size];
    return {
      object: object === undefined ? '(generated check)' : label(object),
      problem: ts.flattenDiagnosticMessageText(d.messageText, '; '),
    };
  });
}
