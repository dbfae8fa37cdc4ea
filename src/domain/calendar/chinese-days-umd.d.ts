// Types for the pinned chinese-days' UMD build. We import that build rather than the package
// entry because the entry's "module" file is ESM inside a "type": "commonjs" package, which the
// Temporal workflow bundler (webpack) refuses to parse. Only the two lunar-table readers we use.
declare module 'chinese-days/dist/index.min.js' {
  interface ChineseDaysLunarTable {
    /** Days (29 or 30) of regular lunar month m (1–12) of lunar year y (1900–2100). */
    monthDays(y: number, m: number): number;
    /** Leap month of lunar year y (undefined if none) and its length in days (0 if none). */
    getYearLeapMonth(y: number): { year: number; leapMonth: number | undefined; days: number };
  }
  const chineseDays: ChineseDaysLunarTable;
  export default chineseDays;
}
