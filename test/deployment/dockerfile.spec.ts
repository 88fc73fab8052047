// The Dockerfile: a build stage with every dependency, a runtime stage with production dependencies
// only, the compiled service and its migrations, run by an unprivileged user with a health check.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';

import { migrationsFolder } from '#read-model';

import { tempDir } from '../support/helpers.js';

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

interface Stage {
  readonly name: string | undefined;
  readonly from: string;
  readonly instructions: Instruction[];
}

/** Instructions with continuation lines joined and comments dropped, split into stages. */
function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: rest };
    if (instruction.keyword === 'FROM') {
      const [, image = '', name] = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? [];
      const from = image.replace(/\$\{(\w+)\}/g, (_, arg: string) => args.get(arg) ?? '');
      stages.push({ name, from, instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [arg = '', value = ''] = rest.split('=');
      args.set(arg, value);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { args, stages };
}

const { stages } = parseDockerfile(readFileSync(resolve('Dockerfile'), 'utf8'));
const runtime = stages.at(-1)!;
const byName = (name: string) => stages.find((stage) => stage.name === name);
/** A stage's instructions with those of the stages it is built on (`FROM <stage>`). */
const lineage = (stage: Stage): Instruction[] => {
  const base = byName(stage.from);
  return [...(base ? lineage(base) : []), ...stage.instructions];
};
const runs = (stage: Stage) =>
  lineage(stage)
    .filter((i) => i.keyword === 'RUN')
    .map((i) => i.args);
const copies = (stage: Stage) =>
  stage.instructions
    .filter((i) => i.keyword === 'COPY')
    .map((i) => {
      const from = /--from=(\S+)/.exec(i.args)?.[1];
      const paths = i.args.replace(/--\S+/g, '').trim().split(/\s+/);
      return { from, sources: paths.slice(0, -1), destination: paths.at(-1)! };
    });
const workdir = (stage: Stage) => lineage(stage).findLast((i) => i.keyword === 'WORKDIR')?.args ?? '/';
const inRuntime = (path: string) => posix.resolve(workdir(runtime), path);

describe('Dockerfile', () => {
  it('builds in one stage and runs from another, on Node 20', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runtime.from).toMatch(/^node:20(-|$)/);
    const build = stages.find((stage) => runs(stage).some((run) => /npm run (-s )?build/.test(run)))!;
    expect(build).toBeDefined();
    expect(build).not.toBe(runtime);
    // The build has the dev dependencies (TypeScript).
    expect(runs(build).some((run) => /npm (install|ci)/.test(run) && !run.includes('--omit=dev'))).toBe(true);
  });

  it('runs on production dependencies only, with the compiled service and the migrations it applies', () => {
    // Nothing is installed in the runtime stage itself: node_modules comes from an --omit=dev install.
    expect(runs(runtime).filter((run) => /npm (install|ci)/.test(run))).toEqual([]);
    const modules = copies(runtime).find((copy) => inRuntime(copy.destination) === inRuntime('node_modules'));
    expect(modules?.from).toBeDefined();
    const installs = runs(byName(modules!.from!)!).filter((run) => /npm (install|ci)/.test(run));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install).toContain('--omit=dev');

    // package.json maps the `#name` imports to dist/; dist/ comes from the stage that built it.
    expect(copies(runtime).some((copy) => copy.sources.includes('package.json'))).toBe(true);
    const dist = copies(runtime).find((copy) => inRuntime(copy.destination) === inRuntime('dist'));
    expect(runs(byName(dist?.from ?? '') ?? runtime).some((run) => /npm run (-s )?build/.test(run))).toBe(
      true,
    );
    const cmd = runtime.instructions.findLast((i) => i.keyword === 'CMD')!;
    expect(JSON.parse(cmd.args)).toEqual(['node', 'dist/apps/api/src/main.js']);
  });

  it('puts the migrations where the read model looks for them from dist/', async () => {
    const migrations = copies(runtime).find((copy) => copy.sources.includes('libs/read-model/drizzle'));
    expect(migrations).toBeDefined();
    // The image's layout in a scratch directory, and the lookup run from where dist/ puts it.
    const root = await tempDir('image-layout');
    try {
      const at = (path: string) => join(root.path, inRuntime(path));
      mkdirSync(join(at(migrations!.destination), 'meta'), { recursive: true });
      writeFileSync(join(at(migrations!.destination), 'meta', '_journal.json'), '{}');
      const from = at('dist/libs/read-model/src/database');
      mkdirSync(from, { recursive: true });
      expect(migrationsFolder(from)).toBe(at(migrations!.destination));
    } finally {
      await root.remove();
    }
  });

  it('runs as an unprivileged user, exposes the port and checks health', () => {
    const user = runtime.instructions.findLast((i) => i.keyword === 'USER')?.args;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user?.split(':')[0]);
    expect(runtime.instructions.find((i) => i.keyword === 'EXPOSE')?.args).toBe('3000');
    const health = runtime.instructions.find((i) => i.keyword === 'HEALTHCHECK')?.args;
    expect(health).toMatch(/\/health\/(live|ready)/);
  });

  it('leaves local builds, data and secrets out of the build context', () => {
    const ignored = readFileSync(resolve('.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.env']));
  });
});
