/**
 * The statutory skeleton of a year nobody has published (DOMAIN.md §7.1): the eleven public holidays of
 * the Labour Code 2019 (Bộ luật Lao động 2019, Điều 112 khoản 1) and, for a holiday on a weekly rest day,
 * the compensatory day off on the next working day (khoản 3). The government's swaps and make-up
 * Saturdays cannot be derived, so every day here is provisional. Tết and Giỗ Tổ follow the lunar calendar:
 * their dates come as data (`config/calendars/lunar-dates.json`); without them the year lacks those days
 * and says so in `missing`.
 */
import { DateTime } from 'luxon';
import { type CalendarDay, type CalendarYear, isLocalDate, VN_ZONE } from './calendar-model';
import type { LocalDate } from './working-calendar';

export interface LunarDates {
  /** Mùng 1 Tết Nguyên đán. */
  tet: LocalDate;
  /** 10/3 âm lịch. */
  hungKings: LocalDate;
}

export interface SkeletonYear extends CalendarYear {
  /** Holidays that could not be placed (no lunar dates for the year). */
  missing: string[];
}

const ART_112 = 'Bộ luật Lao động 2019, Điều 112 khoản 1';
const ART_112_3 = 'Bộ luật Lao động 2019, Điều 112 khoản 3 (nghỉ bù khi trùng ngày nghỉ hằng tuần)';
const NOTE = 'Khung luật định: chưa có thông báo nghỉ lễ của Chính phủ cho năm này.';

const day = (date: string) => DateTime.fromISO(date, { zone: VN_ZONE });
const iso = (d: DateTime) => d.toISODate() as string;
const ddmm = (date: LocalDate) => `${date.slice(8, 10)}/${date.slice(5, 7)}`;

/** Parses `config/calendars/lunar-dates.json` (`{ years: { "2027": { tet, hungKings } } }`). */
export function parseLunarDates(value: unknown): Map<number, LunarDates> {
  const years = (value as { years?: Record<string, Partial<LunarDates>> } | null)?.years;
  if (!years || typeof years !== 'object') {
    throw new Error('lunar dates: expected { years: { "<year>": { tet, hungKings } } }');
  }
  const out = new Map<number, LunarDates>();
  for (const [year, dates] of Object.entries(years)) {
    if (!isLocalDate(dates.tet) || !isLocalDate(dates.hungKings)) {
      throw new Error(`lunar dates: ${year} needs tet and hungKings as yyyy-mm-dd`);
    }
    out.set(Number(year), { tet: dates.tet, hungKings: dates.hungKings });
  }
  return out;
}

/** Labour Code holidays of `year` plus compensatory days; all provisional. */
export function statutorySkeleton(year: number, lunar?: LunarDates): SkeletonYear {
  const holidays: { date: LocalDate; name: string }[] = [{ date: `${year}-01-01`, name: 'Tết Dương lịch' }];
  const missing: string[] = [];
  if (lunar) {
    const tet = day(lunar.tet);
    holidays.push({ date: iso(tet.minus({ days: 1 })), name: 'Tết Nguyên đán (ngày cuối năm âm lịch)' });
    for (let i = 0; i < 4; i += 1) {
      holidays.push({ date: iso(tet.plus({ days: i })), name: `Tết Nguyên đán (mùng ${i + 1})` });
    }
    holidays.push({ date: lunar.hungKings, name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)' });
  } else {
    missing.push('Tết Nguyên đán', 'Giỗ Tổ Hùng Vương');
  }
  holidays.push(
    { date: `${year}-04-30`, name: 'Ngày Chiến thắng (30/4)' },
    { date: `${year}-05-01`, name: 'Ngày Quốc tế lao động (1/5)' },
    { date: `${year}-09-02`, name: 'Quốc khánh (2/9)' },
  );
  // The adjacent National Day holiday: the day after, or Monday 1/9 when 2/9 is a Tuesday (a long weekend).
  const national = day(`${year}-09-02`);
  const adjacent = national.weekday === 2 ? national.minus({ days: 1 }) : national.plus({ days: 1 });
  holidays.push({ date: iso(adjacent), name: 'Quốc khánh (ngày liền kề)' });
  holidays.sort((a, b) => a.date.localeCompare(b.date));

  const taken = new Set(holidays.map((h) => h.date));
  const days: CalendarDay[] = holidays.map((h) => ({
    date: h.date,
    kind: 'day_off',
    name: h.name,
    source: ART_112,
    status: 'provisional',
  }));
  for (const h of holidays) {
    if (day(h.date).weekday < 6) {
      continue;
    }
    let next = day(h.date).plus({ days: 1 });
    while (next.weekday >= 6 || taken.has(iso(next))) {
      next = next.plus({ days: 1 });
    }
    taken.add(iso(next));
    days.push({
      date: iso(next),
      kind: 'day_off',
      name: `Nghỉ bù ${h.name} (${ddmm(h.date)})`,
      source: ART_112_3,
      status: 'provisional',
      replaces: h.date,
    });
  }
  days.sort((a, b) => a.date.localeCompare(b.date));
  return {
    year,
    status: 'provisional',
    sources: [ART_112],
    note: missing.length > 0 ? `${NOTE} Thiếu ngày âm lịch: ${missing.join(', ')}.` : NOTE,
    days: days.filter((d) => d.date.startsWith(`${year}-`)),
    missing,
  };
}
