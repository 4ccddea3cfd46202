// k6-operator manifests: the script as a ConfigMap and a TestRun (k6.io/v1alpha1) with N runners.
// The operator gives runner i of N `--execution-segment=(i-1)/N:i/N`; each runner writes its
// own mailstorm-summary.json, which `mailstorm import k6` merges into one verdict.
import { stringify } from 'yaml';

export interface OperatorPlan {
  name: string;
  parallelism: number;
  runnerImage?: string;
  env: Record<string, string>;
}

export function configMapYaml(name: string, files: Record<string, string>): string {
  return stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-script` }, data: files });
}

export function testRunYaml(plan: OperatorPlan): string {
  const runner: Record<string, unknown> = {
    env: Object.entries(plan.env).map(([name, value]) => ({ name, value })),
    resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  };
  if (plan.runnerImage !== undefined) runner['image'] = plan.runnerImage;
  return stringify({
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name: plan.name },
    spec: {
      parallelism: plan.parallelism,
      separate: false,
      cleanup: 'post',
      arguments: '--include-system-env-vars',
      script: { configMap: { name: `${plan.name}-script`, file: 'script.js' } },
      runner,
    },
  });
}
