// What a new workflow context costs in module evaluation (issue 17). With the SDK's reusable V8
// context, each workflow — each create, and each replay of a case the sticky cache evicted —
// evaluates again, into a module cache of its own, every module its workflow imports that is not
// preloaded. Here, in one workflow context built as the worker builds it (the SDK's
// ReusableVMWorkflowCreator), a fresh module cache is set `n` times and the share request's
// workflow is looked up as a workflow's first activation does (workflows/index.ts
// registeredWorkflowOf: its module, the kernel and the domain they import): process CPU per new
// context, with the product's bundle (src/domain and typebox preloaded: src/temporal/workflow-bundle.mjs)
// and with one that preloads typebox only (the product before issue 17), alternately in rounds.
// Floor: the bare workflow of the burst's floor (scripts/bench/burst-workflows.ts) the same way.
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ReusableVMWorkflowCreator } from '@temporalio/worker/lib/workflow/reusable-vm';
import { WORKFLOWS_PATH } from '../../src/worker';
import { workflowBundlerOptions } from '../../src/temporal/workflow-bundle.mjs';
import { ms, pct, type BenchRow } from './table';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m), log() {} };

/** A workflow context of `code` as the SDK's worker thread makes it (its preloads evaluated and frozen). */
async function context(code: string): Promise<{ ctx: vm.Context; destroy(): Promise<void> }> {
  const sourceMap = JSON.parse(Buffer.from(code.slice(code.lastIndexOf('base64,') + 'base64,'.length), 'base64').toString()) as never;
  const creator = await ReusableVMWorkflowCreator.create({ code, sourceMap, filename: '/bench/workflow-bundle.js' }, 5000, new Set(), undefined);
  return { ctx: (creator as unknown as { context: vm.Context }).context, destroy: () => creator.destroy() };
}

/** One new workflow's module evaluation: a fresh module cache (as the SDK's activator has), then the lookup `lookup`. */
const newWorkflow = (lookup: string) =>
  new vm.Script(`{ globalThis.__TEMPORAL_ACTIVATOR__ = { moduleCache: new Map() }; ${lookup}; delete globalThis.__TEMPORAL_ACTIVATOR__; }`);

/** Process CPU ms per run of `script` in `ctx`, over `n` runs. */
function cpuPer(script: vm.Script, ctx: vm.Context, n: number): number {
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) script.runInContext(ctx);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / n;
}

/** Options: `n` new workflows per round, `rounds` per bundle (env BENCH_CONTEXTS_N, BENCH_CONTEXTS_ROUNDS). */
export async function contexts({ n = Number(process.env.BENCH_CONTEXTS_N ?? 500), rounds = Number(process.env.BENCH_CONTEXTS_ROUNDS ?? 5) } = {}): Promise<BenchRow[]> {
  const options = workflowBundlerOptions();
  const [preloaded, typeboxOnly, bare] = await Promise.all([
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...options, logger: quiet }),
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...options, preloadModules: ['typebox/schema'], logger: quiet }),
    bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./burst-workflows.ts', import.meta.url)), logger: quiet }),
  ]);
  const product = newWorkflow(`__TEMPORAL__.importWorkflows().registeredWorkflowOf('shareRequest')`);
  const floor = newWorkflow(`__TEMPORAL__.importWorkflows().bareDeadline`);
  const [a, b, f] = await Promise.all([context(preloaded.code), context(typeboxOnly.code), context(bare.code)]);
  try {
    const [pa, pb, pf]: number[][] = [[], [], []];
    for (let r = -1; r < rounds; r++) {
      // round -1 warms up (compilation) and is not counted
      const x = [cpuPer(product, b.ctx, n), cpuPer(product, a.ctx, n), cpuPer(floor, f.ctx, n)];
      if (r >= 0) [pb, pa, pf].forEach((xs, i) => xs.push(x[i]!));
    }
    return [
      {
        measure: `new workflow context: module evaluation of a share request (workflow, kernel, domain), process CPU, ${n} × ${rounds} rounds, median`,
        figure: `${ms(pct(pa, 50))} (src/domain preloaded); ${ms(pct(pb, 50))} typebox only`,
        floor: `${ms(pct(pf, 50))} (bare workflow module)`,
        target: '< typebox only',
        met: pct(pa, 50) < pct(pb, 50),
      },
    ];
  } finally {
    await Promise.all([a.destroy(), b.destroy(), f.destroy()]);
  }
}
