// charts/smsgw renders, lints clean and produces only valid Kubernetes objects, for every value set.
import { beforeAll, describe, expect, it } from 'vitest';
import { helmLint, helmTemplate, type K8sObject } from '../support/helm-render.ts';
import { schemaProblems, unknownFieldProblems } from '../support/helm-validate.ts';
import { VALUE_SETS, VALUE_SET_NAMES, type ValueSetName } from './value-sets.ts';

const rendered = new Map<ValueSetName, K8sObject[]>();

beforeAll(async () => {
  const all = await Promise.all(VALUE_SET_NAMES.map((name) => helmTemplate(VALUE_SETS[name])));
  VALUE_SET_NAMES.forEach((name, i) => rendered.set(name, all[i] ?? []));
});

describe.each(VALUE_SET_NAMES)('chart with %s', (name) => {
  it('passes helm lint --strict', async () => {
    const { stdout } = await helmLint(VALUE_SETS[name]);
    expect(stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    expect(stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
  });

  it('renders only objects valid against the Kubernetes schemas', () => {
    const objects = rendered.get(name) ?? [];
    expect(objects.length).toBeGreaterThan(8);
    expect(schemaProblems(objects)).toEqual([]);
  });
});

it('renders no field the Kubernetes API does not know, in any value set (and the check finds one)', () => {
  const everything = VALUE_SET_NAMES.flatMap((name) => rendered.get(name) ?? []);
  // A misspelt field deep inside a copy of a rendered Deployment: the schemas let it pass, the type check must not.
  const deployment = everything.find((o) => o.kind === 'Deployment')!;
  const spec = deployment['spec'] as { template: { spec: Record<string, unknown> } };
  const misspelt: K8sObject = {
    ...deployment,
    metadata: { name: 'misspelt' },
    spec: {
      ...spec,
      template: { ...spec.template, spec: { ...spec.template.spec, terminationGracePeriod: 30 } },
    },
  };
  expect(schemaProblems([misspelt])).toEqual([]);
  // One compilation for everything: each costs seconds.
  const problems = unknownFieldProblems([...everything, misspelt]);
  expect(problems.map((p) => p.object)).toEqual(['Deployment/misspelt']);
  expect(problems[0]?.problem).toContain('terminationGracePeriod');
});
