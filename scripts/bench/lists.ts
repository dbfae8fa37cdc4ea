// Inbox and case lists at scale: open tasks and cases written straight into PostgreSQL (the
// projections the lists read), then the API's lists timed beside the raw SQL floor.
import { sql } from 'drizzle-orm';
import type { Stack } from './stack';
import { pct, pool, rate, type BenchRow } from './table';

/** `tasks` open tasks over 1,000 agencies, the provider `prov`'s share among them. */
export async function lists(s: Stack, { tasks = 100_000 }: { tasks?: number } = {}): Promise<BenchRow[]> {
  const { call, adminToken, db } = s;
  const provider = await call('POST', '/v1/principals', adminToken, { name: 'lists', agencyId: 'prov', roles: ['provider'] });
  await db.execute(sql`
    INSERT INTO tasks (task_id, case_id, case_type, kind, assignee_agency_id, assignee_role, assignee_jurisdiction, status,
                       actions, required_fields, citation, due_date, due_at, remind_at, revision, opened_at)
    SELECT 'bulk-' || g, 'bulk-case-' || g, 'share-request', 'provider_review',
           CASE WHEN g % 1000 = 0 THEN 'prov' ELSE 'agency-' || (g % 1000) END, 'provider', 'suzhou', 'open',
           ARRAY['approve','refuse'], '{"refuse":["legalBasis"]}'::jsonb, 'js-2020:21', '2026-12-01',
           now() + (g % 720) * interval '1 hour', now() + (g % 720) * interval '1 hour' - interval '1 day', 1, now()
    FROM generate_series(1, ${tasks}) AS g`);
  await db.execute(sql`ANALYZE tasks`);
  const inbox = await pool(300, 4, async () => {
    await call('GET', '/v1/inbox?limit=50', provider.token);
  });
  return [
    {
      measure: `GET /v1/inbox?limit=50, ${tasks.toLocaleString('en-US')} open tasks, c=4`,
      figure: rate(inbox),
      floor: '—',
      target: 'p99 ≤ 20 ms',
      met: pct(inbox.lat, 99) <= 20,
    },
  ];
}
