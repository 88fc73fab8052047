import { readFileSync } from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/**
 * Names the area a frame's self time belongs to. `undefined` hands the frame to its caller's
 * area: V8 builtins and native addon functions have no URL of their own, so the caller says what
 * they were doing.
 */
export type Classifier = (frame: CallFrame, caller: CallFrame | undefined) => string | undefined;

export interface ProfileSummary {
  /** Sampled wall time, ms, including idle. */
  readonly totalMs: number;
  /** Self time per area, ms, largest first (idle included as `idle`). */
  readonly areas: ReadonlyArray<readonly [string, number]>;
  /** Functions with the most self time, ms. */
  readonly top: ReadonlyArray<{ readonly name: string; readonly area: string; readonly ms: number }>;
}

/** Self time by area and by function from a `.cpuprofile` written by `node --cpu-prof`. */
export function summarizeProfile(file: string, classify: Classifier, topCount = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);

  const areaOf = new Map<number, string>();
  const area = (node: ProfileNode): string => {
    const known = areaOf.get(node.id);
    if (known !== undefined) return known;
    const parent = parentOf.get(node.id);
    const own = classify(node.callFrame, parent?.callFrame);
    const result = own ?? (parent ? area(parent) : 'other');
    areaOf.set(node.id, result);
    return result;
  };

  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const areas = new Map<string, number>();
  const functions = new Map<string, { area: string; us: number }>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const a = area(node);
    total += us;
    areas.set(a, (areas.get(a) ?? 0) + us);
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? ` ${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}${where}`;
    const entry = functions.get(key) ?? { area: a, us: 0 };
    entry.us += us;
    functions.set(key, entry);
  }
  return {
    totalMs: total / 1000,
    areas: [...areas].map(([a, us]) => [a, us / 1000] as const).sort((x, y) => y[1] - x[1]),
    top: [...functions]
      .filter(([, f]) => f.area !== 'idle')
      .sort((x, y) => y[1].us - x[1].us)
      .slice(0, topCount)
      .map(([name, f]) => ({ name, area: f.area, ms: f.us / 1000 })),
  };
}

/** The package and file, or the project path, without the machine's directories. */
function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + '/dist/'.length);
  return url.replace(/^file:\/\//, '');
}
