// Working-day calendar of the PRC (Asia/Shanghai) and statutory deadlines. Pure: no I/O, no clock,
// no Node built-ins — safe to import from Temporal workflow code.
export type { YearSource, YearArrangement, Deadline } from './types';
export { CROSS_YEAR_FROM, MAX_WORKING_DAYS } from './types';
export {
  CalendarError,
  type CalendarErrorCode,
  shanghaiDate,
  endOfShanghaiDay,
  normaliseInstant,
  isIsoDate,
  addDays,
  weekday,
} from './dates';
export { packageYears, packageYear, arrangementsFromPackageData, type PackageData } from './package-years';
export {
  statutoryYear,
  festivalBlocks,
  compensationDays,
  STATUTORY_MIN_YEAR,
  STATUTORY_MAX_YEAR,
  type Festival,
  type FestivalBlock,
} from './statutory';
export { springFestival, lunarNewYearsEve, dragonBoatFestival, midAutumnFestival, lunarToSolar } from './lunar';
export { qingmingDate } from './solar-terms';
export { WorkingDayCalendar } from './working-days';
export { hoursDeadline, MAX_HOURS, type HoursDeadline } from './hours';
export {
  validateYearArrangement,
  parseYearArrangement,
  LOADABLE_MIN_YEAR,
  LOADABLE_MAX_YEAR,
  type Violation,
  type ParseResult,
} from './validate';
export { changedDeadlines, type HeldDeadline, type DeadlineChange } from './recompute';
