// Creates and decisions: conditional share requests through the API and their decisions, beside
// raw Temporal client starts of the same workflow and raw executeUpdate of the same decision.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { decideUpdate } from '../../src/workflows/kernel/messages';
import type { Stack } from './stack';
import { shareRequestFixture } from './share-request';
import { pct, pool, rate, type BenchRow } from './table';

/** Options: `n` cases per side, `c` requests in flight for creates, 4 for decisions (the issue's). */
export async function throughput(s: Stack, { n = 200, c = 16 }: { n?: number; c?: number } = {}): Promise<BenchRow[]> {
  const { call, db, client, taskQueue } = s;
  const f = await shareRequestFixture(s, 'tp');
  const { requester, provider } = f;
  const body = f.request;
  // Warm-up: bundle, connections, JIT.
  for (let i = 0; i < 5; i++) await call('POST', '/v1/share-requests', requester.token, body);

  const caseIds: string[] = [];
  const creates = await pool(n, c, async () => {
    caseIds.push((await call('POST', '/v1/share-requests', requester.token, body)).caseId);
  });

  // The same workflow started straight through the Temporal client (no HTTP, no checks).
  const raw: string[] = [];
  const starts = await pool(n, c, async () => {
    const caseId = `share-request-raw-${randomUUID()}`;
    raw.push(caseId);
    await client.workflow.start('shareRequest', { taskQueue, workflowId: caseId, args: [f.input(caseId, new Date().toISOString())] });
  });

  // The raw starts' first transitions are still running: both sides' decisions begin once they are committed.
  for (let i = 0; i < 600; i++) {
    const [{ n: open }] = (await db.execute(sql`SELECT count(*)::int AS n FROM tasks WHERE case_id LIKE 'share-request-raw-%' AND status = 'open'`)).rows as { n: number }[];
    if (open >= raw.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // Decisions, c=4: through the API (find the task, check, Update), and raw Updates.
  const taskIds: string[] = [];
  for (let cursor: string | null = ''; cursor !== null; ) {
    const page: { items: { taskId: string; caseId: string }[]; nextCursor: string | null } = await call('GET', `/v1/inbox?limit=200${cursor ? `&cursor=${cursor}` : ''}`, provider.token);
    const mine = new Set(caseIds);
    taskIds.push(...page.items.filter((t) => mine.has(t.caseId)).map((t) => t.taskId));
    cursor = page.nextCursor;
  }
  const decisions = await pool(taskIds.length, 4, async (i) => {
    await call('POST', `/v1/tasks/${encodeURIComponent(taskIds[i]!)}/decision`, provider.token, { action: 'approve' });
  });
  const caller = { principalId: provider.id, agencyId: 'tp-prov', roles: ['provider'], jurisdiction: 'suzhou' };
  const updates = await pool(raw.length, 4, async (i) => {
    await client.workflow.getHandle(raw[i]!).executeUpdate(decideUpdate, {
      args: [{ taskId: `${raw[i]}.provider_review.1`, action: 'approve', caller, fields: {} }],
    });
  });

  const ratio = creates.lat.length / creates.wallMs / (starts.lat.length / starts.wallMs);
  return [
    {
      measure: `creates: POST /v1/share-requests, c=${c}, n=${n}`,
      figure: `${rate(creates)} (${ratio.toFixed(2)} × floor)`,
      floor: `client.workflow.start: ${rate(starts)}`,
      target: '≥ 0.5 × floor',
      met: ratio >= 0.5,
    },
    {
      measure: `decisions: POST /v1/tasks/:id/decision, c=4`,
      figure: rate(decisions),
      floor: `executeUpdate(decide): ${rate(updates)}`,
      target: 'p99 ≤ 150 ms',
      met: pct(decisions.lat, 99) <= 150,
    },
  ];
}
