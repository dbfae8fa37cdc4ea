// Calendar-day strings (YYYY-MM-DD, Asia/Shanghai). Checked by hand rather than through Date so
// that "2026-02-30" is refused instead of rolled over, and nothing here reads a clock.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** A real calendar day written YYYY-MM-DD. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * The last day of a validity of `years` years starting on `from` (cm-draft:35 有效期两年):
 * termEnd('2025-03-01', 2) → '2027-02-28'; termEnd('2024-02-29', 2) → '2026-02-28'.
 */
export function termEnd(from: string, years: number): string {
  if (!isIsoDate(from)) throw new RangeError(`not a YYYY-MM-DD date: ${from}`);
  if (!Number.isInteger(years) || years < 1) throw new RangeError(`years must be a positive integer: ${years}`);
  const [y, m, d] = from.split('-').map(Number);
  const year = y + years;
  // The anniversary, or the 1st of the next month when it does not exist (29 Feb), minus one day.
  let month = m;
  let day = d - 1;
  if (d > daysInMonth(year, m)) day = daysInMonth(year, m);
  if (day === 0) {
    month = m === 1 ? 12 : m - 1;
    const endYear = m === 1 ? year - 1 : year;
    return `${pad(endYear, 4)}-${pad(month, 2)}-${pad(daysInMonth(endYear, month), 2)}`;
  }
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}
