import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PersistentVolumeClaim, ConfigMap, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadAdminConfig } from '../../apps/admin/src/admin.config';
import { loadSyncServiceConfig } from '../../apps/sync-service/src/config/sync-service.config';

/**
 * The Kubernetes manifests: every object checked against the Kubernetes OpenAPI schemas bundled in
 * kubernetes-models (no network), and the environment each Deployment gives an app accepted by that
 * app's own production config loader, as is docker-compose's.
 */

const ROOT = resolve(__dirname, '../..');
const DIR = join(ROOT, 'deploy/k8s');

type Obj = { apiVersion: string; kind: string; metadata: { name: string } } & Record<string, unknown>;

interface Validatable {
  validate(): void;
}

type Ctor = new (data: never) => Validatable;

// kubernetes-models' base class is ESM-only, so under this repo's module resolution its types lose
// `validate`; the classes have it at run time (the broken-object test below proves it runs).
const MODELS: Record<string, Ctor> = {
  'v1/ConfigMap': ConfigMap as unknown as Ctor,
  'v1/Service': Service as unknown as Ctor,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim as unknown as Ctor,
  'apps/v1/Deployment': Deployment as unknown as Ctor,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as unknown as Ctor,
};

function validate(o: Obj): void {
  const Model = MODELS[`${o.apiVersion}/${o.kind}`];
  if (Model === undefined) {
    throw new Error(`${o.kind} ${o.metadata.name}: no schema for ${o.apiVersion}/${o.kind} in this test`);
  }
  new Model(o as never).validate();
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
const objects: Obj[] = files.flatMap((f) =>
  parseAllDocuments(readFileSync(join(DIR, f), 'utf8')).map((d) => {
    if (d.errors.length > 0) {
      throw new Error(`${f}: ${d.errors[0]?.message}`);
    }
    return d.toJS() as Obj;
  }),
);

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: unknown };
}
interface Container {
  name: string;
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
}

const deployment = (name: string): Obj => {
  const d = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
  if (d === undefined) {
    throw new Error(`no Deployment ${name}`);
  }
  return d;
};
const containerOf = (d: Obj): Container =>
  (d as unknown as { spec: { template: { spec: { containers: Container[] } } } }).spec.template.spec
    .containers[0];

/** A stand-in for a Secret's value: long enough for every length rule, never a development default. */
const secretValue = (key: string): string =>
  key === 'DATABASE_URL'
    ? 'postgres://isohub:secret@db.example.internal:5432/isohub'
    : `test-secret-${key}-0123456789abcdef0123`;

/**
 * The site files are the operator's own (ConfigMap isohub-site-files, secrets by *Env names) and
 * production refuses the repo's development ones; the test gives the loaders empty ones, so what it
 * checks is the environment the manifests set.
 */
const siteDir = mkdtempSync(join(tmpdir(), 'isohub-k8s-'));
const SITE_FILES: Record<string, string> = {
  SENDERS_FILE: join(siteDir, 'senders.json'),
  PULL_SOURCES_FILE: join(siteDir, 'pull-sources.json'),
};
writeFileSync(SITE_FILES['SENDERS_FILE'], JSON.stringify({ senders: [] }));
writeFileSync(SITE_FILES['PULL_SOURCES_FILE'], JSON.stringify({ upstreams: [], sources: [] }));

function podEnv(d: Obj): { env: NodeJS.ProcessEnv; secretRefs: { name: string; key: string }[] } {
  const c = containerOf(d);
  const env: NodeJS.ProcessEnv = {};
  for (const from of c.envFrom ?? []) {
    if (from.secretRef !== undefined) {
      throw new Error(
        `${c.name}: envFrom secretRef hides which keys are needed; list them with secretKeyRef`,
      );
    }
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === from.configMapRef?.name);
    if (cm === undefined) {
      throw new Error(`${c.name}: ConfigMap ${from.configMapRef?.name} is not in deploy/k8s`);
    }
    Object.assign(env, cm['data']);
  }
  const secretRefs: { name: string; key: string }[] = [];
  for (const v of c.env ?? []) {
    const ref = v.valueFrom?.secretKeyRef;
    if (ref !== undefined) {
      secretRefs.push(ref);
      env[v.name] = secretValue(ref.key);
    } else {
      env[v.name] = v.value;
    }
  }
  return { env, secretRefs };
}

const withSiteFiles = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
  const out = { ...env };
  for (const [key, path] of Object.entries(SITE_FILES)) {
    if (out[key] !== undefined) {
      out[key] = path;
    }
  }
  return out;
};

const quiet = { warn: (): void => undefined };

/** Every `'NAME'` string literal in an app's and the libs' sources: the names the code can read. */
function literalsIn(dirs: string[]): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'web' && entry.name !== 'test') {
          walk(path);
        }
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/['"`]([A-Z][A-Z0-9_]+)['"`]/g)) {
          names.add(m[1]);
        }
      }
    }
  };
  dirs.forEach((d) => walk(join(ROOT, d)));
  return names;
}

/** Read by the image (deploy/Dockerfile: APP picks the app) or as `vars.NODE_ENV`, not as a string. */
const IMAGE_VARS = new Set(['APP', 'NODE_ENV']);

const APPS = [
  {
    deployment: 'isohub-sync-service',
    compose: 'sync-service',
    load: (env: NodeJS.ProcessEnv) => loadSyncServiceConfig(env),
    reads: () => literalsIn(['apps/sync-service/src', 'libs']),
  },
  {
    deployment: 'isohub-admin',
    compose: 'admin',
    load: (env: NodeJS.ProcessEnv) => loadAdminConfig(env, quiet),
    reads: () => literalsIn(['apps/admin/src', 'libs']),
  },
];

/** docker-compose interpolation: `${X:-d}` → d, `${X:?msg}` → a secret stand-in, `${X}` → a stand-in. */
function composeEnv(service: string): NodeJS.ProcessEnv {
  const doc = parse(readFileSync(join(ROOT, 'deploy/docker-compose.yml'), 'utf8')) as {
    services: Record<string, { environment: Record<string, string | number | boolean> }>;
  };
  const raw = doc.services[service]?.environment ?? {};
  const env: NodeJS.ProcessEnv = { NODE_ENV: 'production' }; // the image's ENV
  for (const [k, v] of Object.entries(raw)) {
    env[k] = String(v).replace(
      /\$\{(\w+)(?::([-?])([^}]*))?\}/g,
      (_all, name: string, op?: string, arg?: string) => (op === '-' ? (arg as string) : secretValue(name)),
    );
  }
  return env;
}

describe('deploy/k8s manifests', () => {
  it('has the objects the issue asks for', () => {
    const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Deployment/isohub-sync-service',
        'Deployment/isohub-admin',
        'Service/isohub-sync-service',
        'Service/isohub-admin',
        'ConfigMap/isohub-common',
        'ConfigMap/isohub-sync-service',
        'ConfigMap/isohub-admin',
        'PodDisruptionBudget/isohub-sync-service',
      ]),
    );
  });

  it.each(objects.map((o) => [`${o.kind}/${o.metadata.name}`, o] as const))(
    '%s is valid against the Kubernetes schema',
    (_name, o) => {
      expect(() => validate(o)).not.toThrow();
    },
  );

  it('the schema check rejects a broken object (the validator is not vacuous)', () => {
    const broken = structuredClone(deployment('isohub-sync-service')) as Obj & {
      spec: { template: { spec: { containers: { ports: { containerPort: unknown }[] }[] } } };
    };
    broken.spec.template.spec.containers[0].ports[0] = {
      containerPort: 'http',
    };
    expect(() => validate(broken)).toThrow(/containerPort/);
  });

  it('holds no Secret values: secrets are referenced from isohub-secrets only', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    for (const app of APPS) {
      for (const ref of podEnv(deployment(app.deployment)).secretRefs) {
        expect(ref.name).toBe('isohub-secrets');
      }
    }
  });

  it('runs the sync service with replicas under a PodDisruptionBudget, with probes and resource limits', () => {
    const d = deployment('isohub-sync-service') as Obj & { spec: { replicas: number; selector: unknown } };
    expect(d.spec.replicas).toBeGreaterThanOrEqual(2);
    const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget') as Obj & {
      spec: { minAvailable: number; selector: unknown };
    };
    expect(pdb.spec.selector).toEqual(d.spec.selector);
    expect(pdb.spec.minAvailable).toBeLessThan(d.spec.replicas);
    for (const app of APPS) {
      const c = containerOf(deployment(app.deployment)) as Container & Record<string, unknown>;
      expect(c['livenessProbe'], app.deployment).toBeDefined();
      expect(c['readinessProbe'], app.deployment).toBeDefined();
      const resources = c['resources'] as Record<'requests' | 'limits', Record<string, unknown> | undefined>;
      for (const bound of ['requests', 'limits'] as const) {
        expect(Object.keys(resources[bound] ?? {}).sort(), `${app.deployment} ${bound}`).toEqual([
          'cpu',
          'memory',
        ]);
      }
    }
  });

  it("probes the sync service's ready endpoint with the ops token (it answers operators only)", () => {
    const c = containerOf(deployment('isohub-sync-service')) as Container & {
      livenessProbe: { httpGet: { path: string } };
      readinessProbe: { exec: { command: string[] } };
    };
    expect(c.livenessProbe.httpGet.path).toBe('/health/live');
    const script = c.readinessProbe.exec.command.join(' ');
    expect(script).toContain('/health/ready');
    expect(script).toContain('process.env.OPS_TOKEN');
    expect(podEnv(deployment('isohub-sync-service')).env['OPS_TOKEN']).toBeDefined();
  });

  it.each(APPS)('gives $deployment an environment its production config loader accepts', (app) => {
    const { env } = podEnv(deployment(app.deployment));
    expect(env['NODE_ENV']).toBe('production');
    expect(() => app.load(withSiteFiles(env))).not.toThrow();
  });

  it.each(APPS)('sets only variables $deployment reads (no typos)', (app) => {
    const reads = app.reads();
    const unread = Object.keys(podEnv(deployment(app.deployment)).env).filter(
      (k) => !reads.has(k) && !IMAGE_VARS.has(k),
    );
    expect(unread).toEqual([]);
  });

  it.each(APPS)('the loader refuses the $deployment environment without a secret it references', (app) => {
    const { env, secretRefs } = podEnv(deployment(app.deployment));
    const required = secretRefs.find((r) => r.key !== 'PORTAL_USERNAME' && r.key !== 'PORTAL_PASSWORD');
    expect(required).toBeDefined();
    const name = (containerOf(deployment(app.deployment)).env ?? []).find(
      (v) => v.valueFrom?.secretKeyRef?.key === required?.key,
    )?.name as string;
    const without = withSiteFiles(env);
    delete without[name];
    expect(() => app.load(without)).toThrow();
  });
});

describe('deploy/docker-compose.yml in step', () => {
  it.each(APPS)('gives the $compose service an environment its production config loader accepts', (app) => {
    expect(() => app.load(withSiteFiles(composeEnv(app.compose)))).not.toThrow();
  });

  it.each(APPS)('sets only variables $compose reads, and every secret the manifests reference', (app) => {
    const env = composeEnv(app.compose);
    const reads = app.reads();
    expect(Object.keys(env).filter((k) => !reads.has(k) && !IMAGE_VARS.has(k))).toEqual([]);
    const secretNames = (containerOf(deployment(app.deployment)).env ?? [])
      .filter((v) => v.valueFrom?.secretKeyRef !== undefined)
      .map((v) => v.name);
    expect(secretNames.filter((n) => env[n] === undefined)).toEqual([]);
  });
});
