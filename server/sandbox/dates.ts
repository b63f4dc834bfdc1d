// The sandbox's date engine: ship date after the warehouse cut-off, business days, US federal holidays, transit by zone.
import type {Destination} from './locations.ts';

/** A calendar day, as a Date at 00:00 UTC (so adding days never meets a DST change). */
export type CivilDate = Date;

/** TWO_DAY: Prime's free delivery; ONE_DAY: the paid faster one; STANDARD: delivery without Prime. */
export type Speed = 'ONE_DAY' | 'TWO_DAY' | 'STANDARD';

export interface Warehouse {
  /** IANA zone of the warehouse clock the cut-off is read on. */
  timeZone: string;
  /** Orders placed before this hour (warehouse time) on a business day ship that day. */
  cutoffHour: number;
  /** Transit zone (first ZIP digit) the warehouse sits in. */
  zone: number;
}

/** Hebron, Kentucky (ZIP 41048): Eastern time, 2 pm cut-off, national area 4. */
export const DEFAULT_WAREHOUSE: Warehouse = {timeZone: 'America/New_York', cutoffHour: 14, zone: 4};

const DAY = 86_400_000;
const civil = (year: number, month: number, day: number): CivilDate =>
  new Date(Date.UTC(year, month - 1, day));
const addDays = (date: CivilDate, days: number): CivilDate => new Date(date.getTime() + days * DAY);
const key = (date: CivilDate) => date.toISOString().slice(0, 10);

/** The nth (1-based) weekday of a month; n = -1 for the last one. */
function nthWeekday(year: number, month: number, weekday: number, n: number): CivilDate {
  if (n > 0) {
    const first = civil(year, month, 1);
    return addDays(first, ((weekday - first.getUTCDay() + 7) % 7) + (n - 1) * 7);
  }
  const last = civil(year, month + 1, 0);
  return addDays(last, -((last.getUTCDay() - weekday + 7) % 7));
}

/** A fixed-date holiday on a Saturday is observed on Friday, on a Sunday on Monday (5 U.S.C. 6103). */
function observed(date: CivilDate): CivilDate {
  const weekday = date.getUTCDay();
  return weekday === 6 ? addDays(date, -1) : weekday === 0 ? addDays(date, 1) : date;
}

const holidayCache = new Map<number, Set<string>>();

/** The observed US federal holidays of a year, computed (5 U.S.C. 6103), as YYYY-MM-DD. */
export function federalHolidays(year: number): Set<string> {
  let days = holidayCache.get(year);
  if (!days) {
    const MON = 1, THU = 4; // prettier-ignore
    days = new Set(
      [
        observed(civil(year, 1, 1)), // New Year's Day
        nthWeekday(year, 1, MON, 3), // Birthday of Martin Luther King, Jr.
        nthWeekday(year, 2, MON, 3), // Washington's Birthday
        nthWeekday(year, 5, MON, -1), // Memorial Day
        observed(civil(year, 6, 19)), // Juneteenth
        observed(civil(year, 7, 4)), // Independence Day
        nthWeekday(year, 9, MON, 1), // Labor Day
        nthWeekday(year, 10, MON, 2), // Columbus Day
        observed(civil(year, 11, 11)), // Veterans Day
        nthWeekday(year, 11, THU, 4), // Thanksgiving Day
        observed(civil(year, 12, 25)), // Christmas Day
      ].map(key),
    );
    // New Year's Day of next year observed on Dec 31 of this one.
    if (civil(year + 1, 1, 1).getUTCDay() === 6) days.add(`${year}-12-31`);
    holidayCache.set(year, days);
  }
  return days;
}

/** Warehouses ship and carriers deliver Monday to Friday, except federal holidays. */
export function isBusinessDay(date: CivilDate): boolean {
  const weekday = date.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !federalHolidays(date.getUTCFullYear()).has(key(date));
}

export function addBusinessDays(date: CivilDate, days: number): CivilDate {
  let day = date;
  for (let left = days; left > 0;) {
    day = addDays(day, 1);
    if (isBusinessDay(day)) left--;
  }
  return day;
}

/** Wall-clock parts of an instant in a time zone. */
function wallClock(instant: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** The instant at which the wall clock of `timeZone` shows `hour`:00 on `date`. */
export function zonedTime(date: CivilDate, hour: number, timeZone: string): Date {
  const guess = new Date(date.getTime() + hour * 3_600_000);
  const shown = wallClock(guess, timeZone);
  const offset =
    Date.UTC(shown.year, shown.month - 1, shown.day, shown.hour, shown.minute, shown.second) -
    guess.getTime();
  const instant = new Date(guess.getTime() - offset);
  // Across a DST change the offset at the answer differs from the offset at the guess; one more step settles it.
  const again = wallClock(instant, timeZone);
  const drift =
    Date.UTC(again.year, again.month - 1, again.day, again.hour) - (date.getTime() + hour * 3_600_000);
  return new Date(instant.getTime() - drift);
}

/** The day the order leaves the warehouse: today before the cut-off on a business day, else the next business day. */
export function shipDate(now: Date, warehouse: Warehouse = DEFAULT_WAREHOUSE, handlingDays = 0): CivilDate {
  const clock = wallClock(now, warehouse.timeZone);
  const today = civil(clock.year, clock.month, clock.day);
  const ships = isBusinessDay(today) && clock.hour < warehouse.cutoffHour ? today : addBusinessDays(today, 1);
  return addBusinessDays(ships, handlingDays);
}

/** Business days in transit, [earliest, latest], by speed and destination. */
export function transitDays(
  speed: Speed,
  destination: Destination,
  warehouse: Warehouse = DEFAULT_WAREHOUSE,
): [number, number] {
  const remote = destination.transitZone === 'AK' || destination.transitZone === 'HI';
  if (speed === 'ONE_DAY') return remote ? [2, 2] : [1, 1];
  if (speed === 'TWO_DAY') return remote ? [4, 4] : [2, 2];
  if (remote) return [7, 10];
  const distance = Math.abs((destination.transitZone as number) - warehouse.zone);
  const earliest = 3 + Math.ceil(distance / 2);
  return [earliest, earliest + 2];
}

export interface DeliveryWindow {
  /** First and last delivery days (calendar days at the destination). */
  first: CivilDate;
  last: CivilDate;
  /** 8 am on the first day and 8 pm on the last, destination time, as instants. */
  earliest: Date;
  latest: Date;
}

export function deliveryWindow(
  now: Date,
  speed: Speed,
  destination: Destination,
  handlingDays = 0,
  warehouse: Warehouse = DEFAULT_WAREHOUSE,
): DeliveryWindow {
  const ships = shipDate(now, warehouse, handlingDays);
  const [from, to] = transitDays(speed, destination, warehouse);
  const first = addBusinessDays(ships, from);
  const last = addBusinessDays(ships, to);
  return {
    first,
    last,
    earliest: zonedTime(first, 8, destination.timeZone),
    latest: zonedTime(last, 20, destination.timeZone),
  };
}

const dayFormat = new Intl.DateTimeFormat('en-US', {
  weekday: 'long',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

/** "Tuesday, Nov 24". */
export const formatDay = (date: CivilDate) => dayFormat.format(date);

/**
 * Amazon's promise wording (Shopper Experience Guidelines): "Get it as soon as Tuesday, Nov 24" while the
 * shopper is not known; "Get it Tuesday, Nov 24" (or a range) once identity and a full address are.
 */
export function deliveryMessage(window: DeliveryWindow, exact: boolean): string {
  if (!exact) return `Get it as soon as ${formatDay(window.first)}`;
  if (key(window.first) === key(window.last)) return `Get it ${formatDay(window.first)}`;
  return `Get it ${formatDay(window.first)} – ${formatDay(window.last)}`;
}
