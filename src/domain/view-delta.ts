// What changed between two JSON values, as a few path operations: a commit carries these, not the
// whole case view (API-2.md "Integrity": state stays small). Lists that grew send only their new
// tail, so a case with a hundred result submissions commits the hundred-and-first alone. Pure.

export type JsonPath = (string | number)[];

export type ViewOp =
  | { path: JsonPath; set: unknown }
  | { path: JsonPath; append: unknown[] }
  | { path: JsonPath; remove: true };

/** Beyond this many operations one whole-value `set` is simpler to apply than the parts. */
const MAX_OPS = 100;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

function diff(prev: unknown, next: unknown, path: JsonPath, out: ViewOp[]): void {
  if (sameJson(prev, next)) return;
  if (isObject(prev) && isObject(next)) {
    for (const k of Object.keys(next)) {
      if (!(k in prev)) out.push({ path: [...path, k], set: next[k] });
      else diff(prev[k], next[k], [...path, k], out);
    }
    for (const k of Object.keys(prev)) if (!(k in next)) out.push({ path: [...path, k], remove: true });
    return;
  }
  if (Array.isArray(prev) && Array.isArray(next) && next.length >= prev.length) {
    for (let i = 0; i < prev.length; i++) diff(prev[i], next[i], [...path, i], out);
    if (next.length > prev.length) out.push({ path, append: next.slice(prev.length) });
    return;
  }
  out.push({ path, set: next });
}

/**
 * The operations that turn `prev` into `next` (JSON values: no undefined, functions or cycles).
 * `prev` undefined → one `set` of the whole value at the empty path.
 */
export function viewDelta(prev: unknown, next: unknown): ViewOp[] {
  if (prev === undefined) return [{ path: [], set: next }];
  const out: ViewOp[] = [];
  diff(JSON.parse(JSON.stringify(prev)), JSON.parse(JSON.stringify(next)), [], out);
  return out.length > MAX_OPS ? [{ path: [], set: next }] : out;
}

/** Applies `ops` to a copy of `value` (the reference for what PostgreSQL does with them). */
export function applyDelta<T>(value: T, ops: ViewOp[]): T {
  let root: unknown = JSON.parse(JSON.stringify(value ?? null));
  for (const op of ops) {
    if (op.path.length === 0) {
      if ('set' in op) root = op.set;
      else if ('append' in op) root = [...((root as unknown[]) ?? []), ...op.append];
      continue;
    }
    const parent = op.path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root) as Record<string | number, unknown>;
    const key = op.path[op.path.length - 1]!;
    if ('set' in op) parent[key] = op.set;
    else if ('append' in op) parent[key] = [...((parent[key] as unknown[]) ?? []), ...op.append];
    else if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  }
  return root as T;
}
