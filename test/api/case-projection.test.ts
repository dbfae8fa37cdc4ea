// The case row a transition writes (db/repositories/cases.ts upsertCaseDelta), on the shared
// database: a whole view (a first commit) is written by one upsert, and it keeps the revision guard
// and the decision's columns that the locked read-then-write of a delta keeps.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { closeDb, createDb, type Db } from '../../src/db/client';
import { upsertCaseDelta } from '../../src/db/repositories/cases';
import { cases } from '../../src/db/schema';

let db: Db;
beforeAll(() => {
  db = createDb(inject('databaseUrl'), 2);
});
afterAll(async () => closeDb(db));

const receivedAt = new Date('2026-12-01T02:00:00.000Z');
const base = (caseId: string) => ({
  caseId,
  type: 'share-request',
  jurisdiction: 'suzhou',
  requesterAgencyId: 'a-req',
  providerAgencyId: 'a-prov',
  datasetId: 'ds',
  createdBy: 'p-1',
  receivedAt,
});
const view = (status: string, extra: Record<string, unknown> = {}) => ({ caseId: 'x', status, outcome: null, overdue: false, deadlines: [], ...extra });

async function write(caseId: string, revision: number, v: Record<string, unknown>, at?: string, days = 3) {
  await db.transaction((tx) =>
    upsertCaseDelta(tx, {
      ...base(caseId),
      status: v.status as string,
      revision,
      ops: [{ path: [], set: v }],
      ...(at ? { at: new Date(at) } : {}),
      workingDaysTo: async () => days,
    }),
  );
}
const row = async (caseId: string) => (await db.select().from(cases).where(eq(cases.caseId, caseId)))[0]!;

describe('a whole view written in one upsert', () => {
  it('creates the row with the report columns, and a retried older revision changes nothing', async () => {
    const id = `proj-${randomUUID()}`;
    const due = '2026-12-10T09:00:00.000Z';
    await write(id, 1, view('provider_review', { deadlines: [{ state: 'running', dueAt: due }] }));
    expect(await row(id)).toMatchObject({ revision: 1, status: 'provider_review', nextDueAt: new Date(due), overdue: false, decidedAt: null, outcomeBasis: null });
    await write(id, 2, view('needs_more', { deadlines: [] }));
    await write(id, 1, view('provider_review')); // a slow retry of revision 1
    await write(id, 2, view('stale')); // and of revision 2
    expect(await row(id)).toMatchObject({ revision: 2, status: 'needs_more', nextDueAt: null, view: view('needs_more', { deadlines: [] }) });
  });

  it('records the first decision\'s instant and working days, and keeps them through later whole views', async () => {
    const id = `proj-${randomUUID()}`;
    await write(id, 1, view('provider_review'));
    await write(id, 2, view('granted', { outcome: { basis: 'approved' } }), '2026-12-03T05:00:00.000Z', 2);
    expect(await row(id)).toMatchObject({ revision: 2, decidedAt: new Date('2026-12-03T05:00:00.000Z'), workingDaysToDecision: 2, outcomeBasis: 'approved' });
    await write(id, 3, view('revoked', { outcome: { basis: 'revoked' } }), '2026-12-20T05:00:00.000Z', 9);
    expect(await row(id)).toMatchObject({ revision: 3, status: 'revoked', decidedAt: new Date('2026-12-03T05:00:00.000Z'), workingDaysToDecision: 2, outcomeBasis: 'revoked' });
  });

  it('is patched by deltas afterwards as before', async () => {
    const id = `proj-${randomUUID()}`;
    await write(id, 1, view('provider_review'));
    await db.transaction((tx) => upsertCaseDelta(tx, { ...base(id), status: 'withdrawn', revision: 2, ops: [{ path: ['status'], set: 'withdrawn' }] }));
    expect((await row(id)).view).toEqual(view('withdrawn'));
  });
});
