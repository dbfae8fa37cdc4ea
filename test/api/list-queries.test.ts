// The inbox and case lists, reshaped for their indexes at 1,000,000 rows (UNION ALL of ordered
// branches), answer exactly what the plain query answers: same rows, same order, every page, no
// duplicates, for each filter. On a database of its own (department tasks are per jurisdiction).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { createDb, closeDb, type Db } from '../../src/db/client';
import { freshDatabase } from '../fixtures/fuzz-stack';
import { cases, tasks, type TaskRow } from '../../src/db/schema';
import { inbox, type InboxCaller, type InboxQuery } from '../../src/db/repositories/tasks';
import { listCases, visibleWhere, type CaseVisibility } from '../../src/db/repositories/cases';

let db: Db;
let database: { url: string; drop(): Promise<void> };
const now = new Date('2026-12-06T12:00:00.000Z');

beforeAll(async () => {
  database = await freshDatabase();
  db = createDb(database.url, 4);
  // 600 tasks: agency A as provider or requester, agency B, departments of suzhou (competent,
  // operations) and of shanghai; due in the past, the future, at the same instant, or never.
  await db.execute(sql`
    INSERT INTO tasks (task_id, case_id, case_type, kind, assignee_agency_id, assignee_role, assignee_jurisdiction, status,
                       actions, required_fields, citation, due_at, revision, opened_at, claimed_by)
    SELECT 't-' || lpad(g::text, 4, '0'), 'c-' || g, (ARRAY['share-request','open-data-application'])[1 + g % 2], 'review',
           (ARRAY['A', 'A', 'B', NULL, NULL, NULL])[1 + g % 6],
           (ARRAY['provider', 'requester', 'provider', 'competent', 'operations', 'competent'])[1 + g % 6],
           CASE WHEN g % 6 = 5 THEN 'shanghai' ELSE 'suzhou' END,
           CASE WHEN g % 13 = 0 THEN 'closed' ELSE 'open' END,
           ARRAY['approve'], '{}'::jsonb, 'x',
           CASE WHEN g % 7 = 0 THEN NULL WHEN g % 5 = 0 THEN ${now}::timestamptz ELSE ${now}::timestamptz + ((g % 40) - 20) * interval '1 hour' END,
           1, ${now}, CASE WHEN g % 4 = 0 THEN 'me' WHEN g % 4 = 1 THEN 'other' END
    FROM generate_series(1, 600) AS g`);
  // 600 cases: requester and provider A on some (both on a few), created by me, in suzhou and below.
  await db.execute(sql`
    INSERT INTO cases (case_id, type, status, jurisdiction, requester_agency_id, provider_agency_id, created_by, revision, view, received_at)
    SELECT 'c-' || lpad(g::text, 4, '0'), (ARRAY['share-request','open-data-application'])[1 + g % 2], (ARRAY['received','approved','refused'])[1 + g % 3],
           (ARRAY['suzhou','suzhou-sip','shanghai','jiangsu'])[1 + g % 4],
           CASE WHEN g % 5 = 0 THEN 'A' ELSE 'X' END, CASE WHEN g % 3 = 0 THEN 'A' ELSE 'Y' END,
           CASE WHEN g % 11 = 0 THEN 'me' ELSE 'someone' END, 1, '{}'::jsonb,
           ${now}::timestamptz - (g % 50) * interval '1 hour'
    FROM generate_series(1, 600) AS g`);
});

afterAll(async () => {
  await closeDb(db);
  await database.drop();
});

/** The inbox as one plain query (what it was before the reshaping). */
async function plainInbox(c: InboxCaller, q: InboxQuery): Promise<TaskRow[]> {
  const whose: SQL[] = [];
  if (c.agencyId && c.roles.length) whose.push(and(eq(tasks.assigneeAgencyId, c.agencyId), inArray(tasks.assigneeRole, c.roles))!);
  if (c.jurisdiction && c.departmentRoles.length) whose.push(and(isNull(tasks.assigneeAgencyId), eq(tasks.assigneeJurisdiction, c.jurisdiction), inArray(tasks.assigneeRole, c.departmentRoles))!);
  const where: (SQL | undefined)[] = [eq(tasks.status, 'open'), or(...whose)];
  if (q.caseType) where.push(eq(tasks.caseType, q.caseType));
  if (q.overdue === true) where.push(lt(tasks.dueAt, q.now));
  if (q.overdue === false) where.push(or(isNull(tasks.dueAt), sql`${tasks.dueAt} >= ${q.now}`));
  if (q.claim === 'mine') where.push(eq(tasks.claimedBy, c.principalId));
  if (q.claim === 'unclaimed') where.push(isNull(tasks.claimedBy));
  if (q.after) {
    const id = q.after.taskId;
    if (q.after.dueAt === null) where.push(and(isNull(tasks.dueAt), gt(tasks.taskId, id)));
    else {
      const at = new Date(q.after.dueAt);
      where.push(or(gt(tasks.dueAt, at), and(eq(tasks.dueAt, at), gt(tasks.taskId, id)), isNull(tasks.dueAt)));
    }
  }
  return db.select().from(tasks).where(and(...where)).orderBy(sql`${tasks.dueAt} ASC NULLS LAST`, asc(tasks.taskId)).limit(q.limit);
}

/** Every page of a list, `limit` at a time, following the keyset of the last row. */
async function allPages<T, K>(fetch: (after: K | undefined) => Promise<T[]>, key: (row: T) => K, limit: number): Promise<T[][]> {
  const pages: T[][] = [];
  let after: K | undefined;
  for (let i = 0; i < 200; i++) {
    const rows = await fetch(after);
    pages.push(rows);
    if (rows.length < limit) break;
    after = key(rows[rows.length - 1]!);
  }
  return pages;
}

const taskKey = (t: Pick<TaskRow, 'dueAt' | 'taskId'>) => ({ dueAt: t.dueAt?.toISOString() ?? null, taskId: t.taskId });

describe('inbox', () => {
  const callers: [string, InboxCaller][] = [
    ['an agency provider', { principalId: 'me', agencyId: 'A', roles: ['provider'], departmentRoles: [], jurisdiction: 'suzhou' }],
    ['an agency with two roles', { principalId: 'me', agencyId: 'A', roles: ['provider', 'requester'], departmentRoles: [], jurisdiction: 'suzhou' }],
    ['a department', { principalId: 'me', agencyId: 'D', roles: ['competent', 'operations'], departmentRoles: ['competent', 'operations'], jurisdiction: 'suzhou' }],
  ];
  const filters: Partial<InboxQuery>[] = [{}, { overdue: true }, { overdue: false }, { claim: 'mine' }, { claim: 'unclaimed' }, { caseType: 'share-request' }, { overdue: false, claim: 'unclaimed' }];
  for (const [who, c] of callers) {
    it(`pages like the plain query for ${who}, with each filter`, async () => {
      for (const f of filters) {
        const limit = 7;
        const got = await allPages((after) => inbox(db, c, { now, limit, ...f, after }), taskKey, limit);
        const want = await allPages((after) => plainInbox(c, { now, limit, ...f, after }), taskKey, limit);
        expect(got.map((p) => p.map((t) => t.taskId)), JSON.stringify(f)).toEqual(want.map((p) => p.map((t) => t.taskId)));
        const ids = got.flat().map((t) => t.taskId);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.length).toBeGreaterThan(0);
      }
    });
  }
});

describe('queries built once per shape', () => {
  it("answer each caller its own rows when callers' lists have the same shape, in any order of calls", async () => {
    const agency = (agencyId: string): InboxCaller => ({ principalId: 'me', agencyId, roles: ['provider'], departmentRoles: [], jurisdiction: null });
    const department = (jurisdiction: string): CaseVisibility => ({ all: false, principalId: 'me', agencyId: 'D', jurisdictions: [jurisdiction] });
    for (const order of [['A', 'B', 'A'], ['B', 'A', 'B']]) {
      for (const id of order) {
        const got = await inbox(db, agency(id), { now, limit: 500, overdue: false });
        const want = await plainInbox(agency(id), { now, limit: 500, overdue: false });
        expect(got.map((t) => t.taskId)).toEqual(want.map((t) => t.taskId));
        expect(new Set(got.map((t) => t.assigneeAgencyId))).toEqual(new Set([id]));
      }
    }
    for (const j of ['suzhou', 'shanghai', 'suzhou']) {
      const got = await listCases(db, { visibility: department(j), limit: 500, status: 'received' });
      expect(got.length).toBeGreaterThan(0);
      for (const r of got) expect(r.jurisdiction === j || r.createdBy === 'me', r.caseId).toBe(true);
      expect(got.some((r) => r.jurisdiction === j)).toBe(true);
    }
  });
});

describe('case list', () => {
  const views: [string, CaseVisibility][] = [
    ['an agency (requester and provider of some cases, both of a few)', { all: false, principalId: 'me', agencyId: 'A', jurisdictions: [] }],
    ['a department of suzhou (and below) that created some', { all: false, principalId: 'me', agencyId: 'D', jurisdictions: ['suzhou', 'suzhou-sip'] }],
    ['an agency with departmental roles too', { all: false, principalId: 'me', agencyId: 'A', jurisdictions: ['suzhou'] }],
    ['an administrator', { all: true, principalId: 'admin', agencyId: null, jurisdictions: [] }],
  ];
  const filters: { type?: string; status?: string }[] = [{}, { type: 'share-request' }, { status: 'approved' }, { type: 'open-data-application', status: 'received' }];
  for (const [who, v] of views) {
    it(`pages like the plain query for ${who}, without duplicates`, async () => {
      for (const f of filters) {
        const limit = 9;
        type Row = { caseId: string; receivedAt: Date };
        const key = (r: Row) => ({ at: r.receivedAt.toISOString(), id: r.caseId });
        const got = await allPages((after) => listCases(db, { visibility: v, limit, ...f, after }), key, limit);
        const want = await allPages(
          (after) =>
            db
              .select()
              .from(cases)
              .where(
                and(
                  visibleWhere(v),
                  f.type ? eq(cases.type, f.type) : undefined,
                  f.status ? eq(cases.status, f.status) : undefined,
                  after ? or(lt(cases.receivedAt, new Date(after.at)), and(eq(cases.receivedAt, new Date(after.at)), lt(cases.caseId, after.id))) : undefined,
                ),
              )
              .orderBy(desc(cases.receivedAt), desc(cases.caseId))
              .limit(limit),
          key,
          limit,
        );
        expect(got.map((p) => p.map((r) => r.caseId)), JSON.stringify(f)).toEqual(want.map((p) => p.map((r) => r.caseId)));
        const ids = got.flat().map((r) => r.caseId);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.length).toBeGreaterThan(0);
      }
    });
  }
});
