import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { calendarYears } from '../schema';
import type { YearArrangement } from '../../domain/calendar/types';

export async function loadedYears(db: DbOrTx): Promise<YearArrangement[]> {
  const rows = await db.select().from(calendarYears).orderBy(asc(calendarYears.year));
  return rows.map((r) => ({ year: r.year, source: 'official', holidays: r.holidays, workdays: r.workdays }));
}

export async function findLoadedYear(db: DbOrTx, year: number): Promise<YearArrangement | undefined> {
  const [r] = await db.select().from(calendarYears).where(eq(calendarYears.year, year));
  return r ? { year: r.year, source: 'official', holidays: r.holidays, workdays: r.workdays } : undefined;
}

export async function saveYear(db: DbOrTx, y: YearArrangement, loadedBy: string): Promise<void> {
  const values = { year: y.year, source: 'official', holidays: y.holidays, workdays: y.workdays, loadedBy, loadedAt: new Date() };
  await db.insert(calendarYears).values(values).onConflictDoUpdate({ target: calendarYears.year, set: values });
}
