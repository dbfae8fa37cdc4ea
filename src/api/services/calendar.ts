import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { findLoadedYear, loadedYears, saveYear } from '../../db/repositories/calendar-years';
import { casesWithProvisionalDeadlines } from '../../db/repositories/cases';
import { appendAuditTx } from '../../db/repositories/audit';
import {
  CalendarError,
  changedDeadlines,
  parseYearArrangement,
  WorkingDayCalendar,
  type HeldDeadline,
} from '../../domain/calendar';
import { calendarChangedSignal } from '../../workflows/kernel/messages';
import { ApiError, badRequest, notFound, unprocessable } from '../errors';
import type { Principal } from '../plugins/auth';

export async function calendarFromDb(db: Db): Promise<WorkingDayCalendar> {
  return new WorkingDayCalendar(await loadedYears(db));
}

function calendarError(err: unknown): never {
  if (err instanceof CalendarError) {
    if (err.code === 'YEAR_NOT_SUPPORTED') throw unprocessable('year_not_supported', err.message);
    if (err.code === 'INVALID_INSTANT') throw badRequest('invalid_instant', err.message);
    throw unprocessable(err.code.toLowerCase(), err.message);
  }
  throw err;
}

export async function deadline(db: Db, from: string, workingDays: number) {
  const cal = await calendarFromDb(db);
  try {
    return cal.deadline(from, workingDays);
  } catch (err) {
    return calendarError(err);
  }
}

export async function getYear(db: Db, year: number) {
  const cal = await calendarFromDb(db);
  try {
    const y = cal.year(year);
    return { year: y.year, source: y.source, holidays: y.holidays, workdays: y.workdays };
  } catch (err) {
    if (err instanceof CalendarError && err.code === 'YEAR_NOT_SUPPORTED') throw notFound(`calendar year ${year}`);
    return calendarError(err);
  }
}

/**
 * PUT /v1/calendar/years/:year — loads a year's official arrangement, then tells every running
 * case whose provisional deadline it moves (the case recomputes through its own activity).
 */
export async function loadYear(db: Db, temporal: Client, year: number, body: unknown, actor: Principal) {
  const parsed = parseYearArrangement(year, body);
  if (!parsed.ok) {
    throw unprocessable('invalid_arrangement', parsed.violations.map((v) => `${v.field}: ${v.message}`).join('; '), parsed.violations);
  }
  const before = await calendarFromDb(db);
  const previous = await findLoadedYear(db, year);
  await db.transaction(async (tx) => {
    await saveYear(tx, parsed.value, actor.id);
    await appendAuditTx(tx, {
      eventKey: `calendar:${year}:${Date.now()}`,
      caseId: null,
      at: new Date(),
      actor: actor.id,
      event: 'calendar_year_loaded',
      detail: { year, holidays: parsed.value.holidays, workdays: parsed.value.workdays, replaced: previous ?? null },
    });
  });
  const after = await calendarFromDb(db);

  const held: (HeldDeadline & { caseId: string; key: string })[] = [];
  for (const c of await casesWithProvisionalDeadlines(db)) {
    for (const d of c.deadlines) {
      if (d.state === 'running' && d.provisional && d.workingDays !== undefined) {
        held.push({ id: `${c.caseId}#${d.key}`, caseId: c.caseId, key: d.key, from: d.from, workingDays: d.workingDays, dueDate: d.dueDate, dueAt: d.dueAt, provisional: d.provisional });
      }
    }
  }
  const changes = changedDeadlines(before, after, held);
  const byId = new Map(held.map((h) => [h.id, h]));
  const notified = new Set<string>();
  for (const ch of changes) {
    const h = byId.get(ch.id)!;
    if (notified.has(h.caseId)) continue;
    notified.add(h.caseId);
    try {
      await temporal.workflow.getHandle(h.caseId).signal(calendarChangedSignal, { year });
    } catch (err) {
      if ((err as { name?: string }).name !== 'WorkflowNotFoundError') throw new ApiError(503, 'unavailable', `could not notify case ${h.caseId}`);
    }
  }
  const y = after.year(year);
  return {
    year: y.year,
    source: y.source,
    holidays: y.holidays,
    workdays: y.workdays,
    recomputed: changes.map((ch) => {
      const h = byId.get(ch.id)!;
      return { caseId: h.caseId, key: h.key, before: ch.before, after: { dueDate: ch.after.dueDate, dueAt: ch.after.dueAt, provisional: ch.after.provisional } };
    }),
  };
}
