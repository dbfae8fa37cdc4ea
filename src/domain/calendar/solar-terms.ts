// Solar terms (节气) computed astronomically: the instant the Sun's apparent geocentric longitude
// reaches a multiple of 15°, dated in Beijing time (UTC+8), as the Chinese calendar does.
// Solar position: J. Meeus, Astronomical Algorithms, ch. 25 (low-accuracy theory, ~0.01°), with
// nutation (ch. 22, main terms) and aberration; ΔT from the Espenak–Meeus polynomials.
// An error of 0.01° is ~15 minutes of time: a term closer than that to Beijing midnight could fall
// on the wrong day. qingmingMarginMinutes() exposes that distance so tests can watch it.
import { CalendarError, dayNumberOf, fromDayNumber } from './dates';

const DEG = Math.PI / 180;
const JD_UNIX_EPOCH = 2440587.5; // 1970-01-01T00:00:00Z
const TROPICAL_YEAR = 365.242189;

function norm360(x: number): number {
  return ((x % 360) + 360) % 360;
}

/** ΔT = TT − UT in seconds (Espenak & Meeus 2006 polynomials; ~1 minute matters little here). */
function deltaT(year: number): number {
  if (year >= 2005 && year < 2050) {
    const t = year - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t * t;
  }
  if (year >= 2050 && year <= 2150) {
    const u = (year - 1820) / 100;
    return -20 + 32 * u * u - 0.5628 * (2150 - year);
  }
  if (year >= 1986 && year < 2005) {
    const t = year - 2000;
    return 63.86 + 0.3345 * t - 0.060374 * t ** 2 + 0.0017275 * t ** 3 + 0.000651814 * t ** 4 + 0.00002373599 * t ** 5;
  }
  if (year >= 1961 && year < 1986) {
    const t = year - 1975;
    return 45.45 + 1.067 * t - t * t / 260 - t ** 3 / 718;
  }
  if (year >= 1900 && year < 1961) {
    const t = year - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t ** 2 + 0.0061966 * t ** 3 - 0.000197 * t ** 4;
  }
  throw new CalendarError('YEAR_NOT_SUPPORTED', `solar terms computed for 1900–2150 only, not ${year}`);
}

/** Apparent geocentric ecliptic longitude of the Sun, degrees, at Julian Ephemeris Day `jde`. */
export function sunApparentLongitude(jde: number): number {
  const T = (jde - 2451545.0) / 36525;
  const L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
  const M = (357.52911 + 35999.05029 * T - 0.0001537 * T * T) * DEG;
  const C =
    (1.914602 - 0.004817 * T - 0.000014 * T * T) * Math.sin(M) +
    (0.019993 - 0.000101 * T) * Math.sin(2 * M) +
    0.000289 * Math.sin(3 * M);
  const e = 0.016708634 - 0.000042037 * T - 0.0000001267 * T * T;
  const v = M + C * DEG; // true anomaly
  const R = (1.000001018 * (1 - e * e)) / (1 + e * Math.cos(v)); // AU
  const omega = (125.04452 - 1934.136261 * T) * DEG;
  const Lmoon = (218.3165 + 481267.8813 * T) * DEG;
  // Nutation in longitude (arcseconds), main terms.
  const dPsi = -17.2 * Math.sin(omega) - 1.32 * Math.sin(2 * L0 * DEG) - 0.23 * Math.sin(2 * Lmoon) + 0.21 * Math.sin(2 * omega);
  const aberration = -20.4898 / R; // arcseconds
  return norm360(L0 + C + (dPsi + aberration) / 3600);
}

/** Instant (Julian Day, UT) at which the Sun's apparent longitude reaches `longitude` in `year`. */
export function solarTermJulianDay(year: number, longitude: number): number {
  // Longitude 0° is near 20 March; start from there and step by the mean motion.
  const guessDays = norm360(longitude) / 360 * TROPICAL_YEAR;
  let jd = dayNumberOf(year, 3, 20) + JD_UNIX_EPOCH + guessDays;
  const dt = deltaT(year) / 86400;
  for (let i = 0; i < 50; i++) {
    const diff = norm360(longitude - sunApparentLongitude(jd + dt) + 180) - 180;
    jd += (diff / 360) * TROPICAL_YEAR;
    if (Math.abs(diff) < 1e-9) break;
  }
  return jd;
}

function beijingDayNumber(jdUT: number): number {
  return Math.floor(jdUT - JD_UNIX_EPOCH + 8 / 24);
}

/** Date (Beijing time) of the solar term at `longitude` degrees in `year`. */
export function solarTermDate(year: number, longitude: number): string {
  return fromDayNumber(beijingDayNumber(solarTermJulianDay(year, longitude)));
}

/** 清明: the Sun reaches apparent longitude 15° (4 or 5 April, Beijing time). */
export function qingmingDate(year: number): string {
  return solarTermDate(year, 15);
}

/** Minutes between the computed 清明 instant and the nearest Beijing midnight. */
export function qingmingMarginMinutes(year: number): number {
  const local = solarTermJulianDay(year, 15) - JD_UNIX_EPOCH + 8 / 24;
  const frac = local - Math.floor(local);
  return Math.min(frac, 1 - frac) * 1440;
}
