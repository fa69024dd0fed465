import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import * as semver from 'semver';
import { parse, parseAllDocuments } from 'yaml';
import { EnvSchema } from '../../src/config/env.schema';
import { ConfigError, loadConfig } from '../../src/config/load-config';

// What can be checked of the deployment files without Docker or a cluster: they parse, they set
// only settings Reelay knows, and image, ports and probes agree with the app.

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const KNOWN_ENV = new Set(
  getMetadataStorage()
    .getTargetValidationMetadatas(EnvSchema, '', true, false)
    .map((m) => m.propertyName),
);
const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
const openapiPaths = Object.entries(
  (JSON.parse(read('docs/openapi.json')) as { paths: Record<string, Record<string, unknown>> }).paths,
);
const isGetRoute = (path: string) => openapiPaths.some(([p, ops]) => p === path && 'get' in ops);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML: its shape is what the test checks
type Obj = Record<string, any>;

const K8S_DIR = 'deploy/k8s';
const k8sFiles = readdirSync(join(ROOT, K8S_DIR)).filter((f) => f.endsWith('.yaml'));
const manifests: Obj[] = k8sFiles.flatMap((f) =>
  parseAllDocuments(read(`${K8S_DIR}/${f}`), { uniqueKeys: true }).map((d) => {
    if (d.errors.length > 0) throw new Error(`${f}: ${d.errors[0].message}`);
    return d.toJS() as Obj;
  }),
);
const one = (kind: string, name?: string): Obj => {
  const found = manifests.filter((m) => m.kind === kind && (!name || m.metadata?.name === name));
  expect(found).toHaveLength(1);
  return found[0];
};

const compose = parse(read('docker/docker-compose.yml'), { merge: true, uniqueKeys: true }) as Obj;
// The services that run Reelay: built from docker/Dockerfile.
const reelayServices = Object.entries(compose.services as Record<string, Obj>).filter(
  ([, s]) => s.build?.dockerfile === 'docker/Dockerfile',
);
const dockerfile = read('docker/Dockerfile');
const nginx = read('docker/nginx.conf');

describe('deployment files (docker/, deploy/k8s/)', () => {
  it('all parse as YAML, and kustomization lists manifests that exist', () => {
    expect(k8sFiles.length).toBeGreaterThanOrEqual(9);
    for (const m of manifests) expect(typeof m.kind).toBe('string');
    for (const file of one('Kustomization').resources as string[]) {
      expect(existsSync(join(ROOT, K8S_DIR, file))).toBe(true);
    }
    expect(reelayServices.map(([name]) => name).sort()).toEqual(['reelay-1', 'reelay-2']);
  });

  it('set only environment variables the config reader knows', () => {
    const set = new Map<string, string>(); // variable → where it is set
    for (const [name, service] of reelayServices) {
      for (const key of Object.keys(service.environment as Obj)) set.set(key, `compose ${name}`);
    }
    for (const key of Object.keys(one('ConfigMap').data as Obj)) set.set(key, 'ConfigMap');
    for (const key of Object.keys(one('Secret').stringData as Obj)) set.set(key, 'Secret');
    for (const workload of [one('Deployment'), one('Job')]) {
      for (const c of workload.spec.template.spec.containers as Obj[]) {
        for (const e of (c.env ?? []) as Obj[]) set.set(e.name as string, `${workload.kind} env`);
        // envFrom names the ConfigMap and Secret defined here.
        for (const from of c.envFrom as Obj[]) {
          if (from.configMapRef) expect(from.configMapRef.name).toBe(one('ConfigMap').metadata.name);
          if (from.secretRef) expect(from.secretRef.name).toBe(one('Secret').metadata.name);
        }
      }
    }
    expect(set.size).toBeGreaterThan(15);
    const unknown = [...set].filter(([key]) => !KNOWN_ENV.has(key)).map(([key, where]) => `${key} (${where})`);
    expect(unknown).toEqual([]);
  });

  it('hold settings Reelay accepts, and an unedited example Secret cannot start it', () => {
    const data = one('ConfigMap').data as Record<string, string>;
    const secret = one('Secret').stringData as Record<string, string>;
    expect(() => loadConfig({ ...data, ...secret })).toThrow(ConfigError);
    const filled = {
      ...secret,
      APP_SECRET: 'f'.repeat(64),
      ADMIN_PASSWORD: 'a-real-admin-password',
      METRICS_TOKEN: 'a-real-metrics-token',
    };
    expect(loadConfig({ ...data, ...filled })).toMatchObject({
      nodeEnv: 'production',
      port: 3000,
      metricsPort: 9464,
      migrationsRun: false,
      trustProxy: true,
      database: { type: 'mysql' },
    });
  });

  it('build an image on Node.js 24 LTS that runs as a non-root user and checks /health', () => {
    const froms = [...dockerfile.matchAll(/^FROM\s+node:(\d+)[-.\w]*/gm)].map((m) => Number(m[1]));
    expect(froms.length).toBeGreaterThanOrEqual(2); // multi-stage
    expect(new Set(froms)).toEqual(new Set([24]));
    expect(semver.intersects(pkg.engines.node, '24.x')).toBe(true);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^EXPOSE 3000$/m);
    expect(runtime).toMatch(/PORT=3000/);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n.*\/health'/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/src\/main\.js"\]$/m);
    expect(JSON.parse(read('nest-cli.json')).entryFile).toBe('src/main');
    expect(isGetRoute('/health')).toBe(true);
  });

  it('probe the app where it answers: readiness on /health, liveness on /health/live, on its port', () => {
    const deployment = one('Deployment');
    const config = one('ConfigMap').data as Record<string, string>;
    const [container] = deployment.spec.template.spec.containers as Obj[];
    const ports = Object.fromEntries((container.ports as Obj[]).map((p) => [p.name, p.containerPort]));
    expect(ports).toEqual({ http: Number(config.PORT), metrics: Number(config.METRICS_PORT) });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.startupProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(isGetRoute('/health/live')).toBe(true);
    expect(deployment.spec.replicas).toBe(3);
    expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });

    // Graceful termination: the preStop pause and a full upstream timeout fit in the grace period.
    const preStop = Number((container.lifecycle.preStop.exec.command as string[])[1]);
    const upstreamS = Number(config.UPSTREAM_TIMEOUT_MS) / 1000;
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(preStop + upstreamS);
  });

  it('wire the Service, Ingress, PodDisruptionBudget, autoscaler and migration Job to the Deployment', () => {
    const deployment = one('Deployment');
    const podLabels = deployment.spec.template.metadata.labels as Obj;
    const [container] = deployment.spec.template.spec.containers as Obj[];
    const service = one('Service');
    expect(podLabels).toMatchObject(service.spec.selector as Obj);
    expect(podLabels).toMatchObject(one('PodDisruptionBudget').spec.selector.matchLabels as Obj);
    const portNames = (container.ports as Obj[]).map((p) => p.name);
    for (const p of service.spec.ports as Obj[]) expect(portNames).toContain(p.targetPort);
    const backends = (one('Ingress').spec.rules as Obj[]).flatMap((r) => r.http.paths as Obj[]);
    for (const b of backends) {
      expect(b.backend.service.name).toBe(service.metadata.name);
      expect(b.backend.service.port.name).toBe('http'); // never the metrics port
    }
    const hpa = one('HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(deployment.spec.replicas);
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');

    const job = one('Job');
    const [migrate] = job.spec.template.spec.containers as Obj[];
    expect(migrate.image).toBe(container.image);
    expect(migrate.command).toEqual(['node', 'dist/tools/migrate/main.js']);
    expect(existsSync(join(ROOT, 'tools/migrate/main.ts'))).toBe(true);
    expect(one('ConfigMap').data.MIGRATIONS_RUN).toBe('false'); // serving pods never migrate
  });

  it('put two replicas behind nginx with the proxy settings Reelay expects', () => {
    for (const [, service] of reelayServices) {
      const env = service.environment as Record<string, string>;
      expect(env.TRUST_PROXY).toBe('true');
      expect(service.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${env.PORT}/health`);
      expect(service.ports).toBeUndefined(); // reachable through nginx only
      expect(service.expose).toEqual(expect.arrayContaining([env.PORT, env.METRICS_PORT]));
    }
    const upstream = [...nginx.matchAll(/^\s*server\s+([\w-]+):(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(upstream.sort()).toEqual(reelayServices.map(([name, s]) => `${name}:${s.environment.PORT}`).sort());
    for (const header of ['X-Forwarded-For', 'X-Forwarded-Proto', 'X-Forwarded-Host', 'X-Request-Id']) {
      expect(nginx).toMatch(new RegExp(`proxy_set_header ${header} `));
    }
    expect(Number(/client_max_body_size (\d+)m;/.exec(nginx)?.[1])).toBeGreaterThanOrEqual(50); // BODY_LIMIT_MB

    // The SSE location matches Reelay's event stream route and neither buffers nor times out early.
    const sse = /location ~ (\S+) \{([^}]*)\}/.exec(nginx) as RegExpExecArray;
    const route = openapiPaths.map(([p]) => p).find((p) => p.endsWith('/events')) as string;
    expect(new RegExp(sse[1]).test(route.replace(/\{[^}]+\}/g, 'b_123'))).toBe(true);
    expect(sse[2]).toMatch(/proxy_buffering off;/);
    expect(Number(/proxy_read_timeout (\d+)s;/.exec(sse[2])?.[1])).toBeGreaterThanOrEqual(3600);
  });
});
