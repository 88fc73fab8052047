// docker-compose.yml: the services, their roles, health checks and volumes, and no secret in the file.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { parse } from 'yaml';

import { parseConfig, ROLES } from '#config';

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number>;
  healthcheck?: { test?: string | string[] };
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition?: string }>;
  deploy?: { replicas?: number };
}

interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

// Merge keys (`<<: *app`) are how the service's containers share their settings.
const compose = parse(readFileSync(resolve('docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
const services = compose.services;
const appServices = Object.entries(services).filter(
  ([, service]) => service.environment?.ROLES !== undefined,
);
const withRole = (role: string) => appServices.filter(([, service]) => service.environment?.ROLES === role);
const replicas = (service: Service) => service.deploy?.replicas ?? 1;
const healthTest = (service: Service) => [service.healthcheck?.test ?? []].flat().join(' ');

/** `name:/path` entries whose source is a volume declared at the top level. */
function namedVolumeAt(service: Service, path: string): string | undefined {
  const entry = (service.volumes ?? []).find((volume) => volume.split(':')[1] === path);
  const name = entry?.split(':')[0];
  return name !== undefined && compose.volumes !== undefined && name in compose.volumes ? name : undefined;
}

/** `${VAR}`, `${VAR:-default}` or `${VAR:?message}` and nothing else. */
const SUBSTITUTION = /^\$\{([A-Z][A-Z0-9_]*)(?::([-?])[^}]*)?\}$/;

/** What compose makes of a value when every required variable is set to `required[name]`. */
function interpolate(value: string, required: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Z][A-Z0-9_]*)(?::([-?])([^}]*))?\}/g,
    (_, name: string, kind, rest: string) => {
      if (name in required) return required[name]!;
      if (kind === '-') return rest;
      throw new Error(`${name} has neither a value here nor a default`);
    },
  );
}

describe('docker-compose.yml', () => {
  it('runs EventStoreDB 24 as an insecure single node without server projections, on a volume', () => {
    const eventstore = services.eventstore!;
    expect(eventstore.image).toMatch(/^eventstore\/eventstore:24\./);
    expect(eventstore.environment).toMatchObject({
      EVENTSTORE_CLUSTER_SIZE: 1,
      EVENTSTORE_INSECURE: 'true',
      EVENTSTORE_RUN_PROJECTIONS: 'None',
    });
    expect(healthTest(eventstore)).toContain('/health/live');
    expect(namedVolumeAt(eventstore, '/var/lib/eventstore')).toBeDefined();
    // Insecure: published on loopback only, if at all.
    for (const port of eventstore.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
  });

  it('runs PostgreSQL 16 with pg_isready as its health check, on a volume', () => {
    const postgres = services.postgres!;
    expect(postgres.image).toBe('postgres:16');
    expect(healthTest(postgres)).toContain('pg_isready');
    expect(namedVolumeAt(postgres, '/var/lib/postgresql/data')).toBeDefined();
  });

  it('runs at least two api containers and at least two worker containers of the built image', () => {
    const count = (role: string) => withRole(role).reduce((sum, [, service]) => sum + replicas(service), 0);
    expect(count('api')).toBeGreaterThanOrEqual(2);
    expect(count('worker')).toBeGreaterThanOrEqual(2);
    expect(withRole('worker').map(([name]) => name)).toContain('worker');
    for (const [name, service] of appServices) {
      // One role each: the api's event loop is not shared with the projections.
      expect({ name, role: ROLES.find((role) => role === service.environment?.ROLES) }).toEqual({
        name,
        role: service.environment?.ROLES,
      });
      expect(service.build).toBeDefined();
    }
  });

  it('starts the service once both stores are healthy, and checks its health', () => {
    for (const [name, service] of appServices) {
      expect({ name, depends_on: service.depends_on }).toEqual({
        name,
        depends_on: {
          eventstore: { condition: 'service_healthy' },
          postgres: { condition: 'service_healthy' },
        },
      });
      expect({ name, health: healthTest(service) }).toEqual({
        name,
        health: expect.stringMatching(/\/health\/(live|ready)/),
      });
    }
  });

  it('configures every container validly for its role, on EventStoreDB and PostgreSQL', () => {
    const required = { AUTH_API_KEYS: `admin:ops:${'k'.repeat(40)}`, POSTGRES_PASSWORD: 'p'.repeat(24) };
    for (const [name, service] of appServices) {
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([key, value]) => [
          key,
          interpolate(String(value), required),
        ]),
      );
      const config = parseConfig(env, '/app');
      expect({ name, roles: config.roles }).toEqual({ name, roles: [service.environment?.ROLES] });
      expect(config.nodeEnv).toBe('production');
      expect(config.eventStoreConnectionString).toBe('esdb://eventstore:2113?tls=false');
      expect(config.databaseUrl).toBe(
        `postgres://lifecycle:${required.POSTGRES_PASSWORD}@postgres:5432/lifecycle`,
      );
      expect(config.auth?.apiKeys).toHaveLength(1);
    }
  });

  it('holds no secret: credentials and passwords come from the environment, the required ones are required', () => {
    const secretName = /KEY|SECRET|PASSWORD|TOKEN/;
    const all = Object.entries(services).flatMap(([name, service]) =>
      Object.entries(service.environment ?? {}).map(([key, value]) => ({ name, key, value: String(value) })),
    );
    const secrets = all.filter(({ key }) => secretName.test(key));
    expect(secrets.map(({ key }) => key)).toEqual(
      expect.arrayContaining(['AUTH_API_KEYS', 'POSTGRES_PASSWORD']),
    );
    for (const { name, key, value } of secrets) {
      expect({ name, key, value }).toEqual({ name, key, value: expect.stringMatching(SUBSTITUTION) });
    }
    for (const { key, value } of secrets.filter(({ key }) =>
      ['AUTH_API_KEYS', 'POSTGRES_PASSWORD'].includes(key),
    )) {
      expect({ key, kind: SUBSTITUTION.exec(value)?.[2] }).toEqual({ key, kind: '?' });
    }
    // The database password inside DATABASE_URL too.
    for (const { name, value } of all.filter(({ key }) => key === 'DATABASE_URL')) {
      const password = /^postgres:\/\/[^:]+:(.*)@[^@]+$/.exec(value)?.[1];
      expect({ name, password }).toEqual({ name, password: expect.stringMatching(SUBSTITUTION) });
    }
  });
});

/**
 * Compose's own parser, where one is installed (CI installs Debian's `docker-compose`):
 * `config` validates the file against Compose's schema and interpolates it, with no engine.
 */
function composeCommand(): string[] | undefined {
  for (const command of [['docker-compose'], ['docker', 'compose']]) {
    const probe = spawnSync(command[0]!, [...command.slice(1), 'version'], { encoding: 'utf8' });
    if (probe.status === 0) return command;
  }
  return undefined;
}

const composeCli = composeCommand();
if (composeCli !== undefined) {
  describe(`docker-compose.yml as ${composeCli.join(' ')} reads it`, () => {
    const config = (env: Record<string, string>) => {
      // Only PATH and what the test sets: nothing from this machine's environment may fill a gap.
      const result = spawnSync(
        composeCli[0]!,
        [...composeCli.slice(1), '--project-directory', resolve('.'), '-f', 'docker-compose.yml', 'config'],
        { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } },
      );
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    };

    it('is valid once the required variables are set, and resolves every service and volume', () => {
      const required = { AUTH_API_KEYS: `admin:ops:${'k'.repeat(40)}`, POSTGRES_PASSWORD: 'p'.repeat(24) };
      const result = config(required);
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      const resolved = parse(result.stdout) as ComposeFile;
      expect(Object.keys(resolved.services).sort()).toEqual(Object.keys(services).sort());
      expect(Object.keys(resolved.volumes ?? {}).sort()).toEqual(Object.keys(compose.volumes ?? {}).sort());
      for (const [name, service] of appServices) {
        expect({ name, env: resolved.services[name]?.environment }).toMatchObject({
          name,
          env: {
            ROLES: service.environment?.ROLES,
            AUTH_API_KEYS: required.AUTH_API_KEYS,
            DATABASE_URL: `postgres://lifecycle:${required.POSTGRES_PASSWORD}@postgres:5432/lifecycle`,
          },
        });
      }
    });

    it('refuses to resolve without a required secret, naming it', () => {
      const withoutPassword = config({ AUTH_API_KEYS: `admin:ops:${'k'.repeat(40)}` });
      expect(withoutPassword.status).not.toBe(0);
      expect(withoutPassword.stderr).toContain('set POSTGRES_PASSWORD in .env');
      const withoutKeys = config({ POSTGRES_PASSWORD: 'p'.repeat(24) });
      expect(withoutKeys.status).not.toBe(0);
      expect(withoutKeys.stderr).toContain('set AUTH_API_KEYS in .env');
    });
  });
}
