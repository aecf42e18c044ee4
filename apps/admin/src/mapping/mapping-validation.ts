import { MILESTONES } from '@isohub/events';
import {
  ANY_SUB_STATUS,
  type IsoProcess,
  type IsoProcessStep,
  type LocalCodeMapping,
  type StatusMapping,
  type StatutoryTime,
  type StatutoryTimes,
} from '@isohub/persistence';
import { DURATION_UNITS, makeDuration, parseProcessingTime, workingDaysToHours } from '@isohub/timing';
import { FieldReader, isObject, vietnamToday } from './field-reader';
import { ProblemException } from '../http/problem';

/** Result of reading a body: the typed row, or every field error found. */
export type Read<T> = { ok: true; value: T } | { ok: false; errors: FieldReader['errors'] };

const MAX_CODE = 100;
const MAX_TEXT = 1000;
const MAX_STEPS = 100;
export const STATUTORY_CHANNELS = ['inPerson', 'online', 'postal'] as const;

function body(value: unknown): Record<string, unknown> {
  if (!isObject(value)) {
    throw ProblemException.badRequest('/', 'the body must be a JSON object');
  }
  return value;
}

const done = <T>(r: FieldReader, value: T): Read<T> =>
  r.ok ? { ok: true, value } : { ok: false, errors: r.errors };

/** PUT /api/mapping/local-codes/:sourceSystem/:localCode */
export function readLocalCode(
  params: { sourceSystem: string; localCode: string },
  input: unknown,
): Read<LocalCodeMapping> {
  const b = body(input);
  const r = new FieldReader();
  const row: LocalCodeMapping = {
    sourceSystem: r.text(params.sourceSystem, '/sourceSystem', {
      required: true,
      max: MAX_CODE,
      token: true,
    }),
    localCode: r.text(params.localCode, '/localCode', { required: true, max: MAX_CODE, token: true }),
    nationalCode: r.text(b.nationalCode, '/nationalCode', { required: true, max: MAX_CODE, token: true }),
    agencyCode: r.text(b.agencyCode, '/agencyCode', { max: MAX_CODE, token: true }),
    note: r.text(b.note, '/note', { max: MAX_TEXT }),
  };
  return done(r, row);
}

/** PUT /api/mapping/statuses */
export function readStatusMapping(input: unknown, today = vietnamToday()): Read<StatusMapping> {
  const b = body(input);
  const r = new FieldReader();
  const row: StatusMapping = {
    sourceSystem: r.text(b.sourceSystem, '/sourceSystem', { required: true, max: MAX_CODE, token: true }),
    status: r.text(b.status, '/status', { required: true, max: MAX_CODE }),
    subStatus: r.text(b.subStatus, '/subStatus', { max: MAX_CODE }) ?? ANY_SUB_STATUS,
    validFrom: r.date(b.validFrom, '/validFrom', today),
    nationalStatus:
      r.number(b.nationalStatus, '/nationalStatus', { required: true, min: 1, max: 10, integer: true }) ?? 0,
    milestone: r.oneOf(b.milestone, '/milestone', MILESTONES) ?? '',
    agencyCode: r.text(b.agencyCode, '/agencyCode', { max: MAX_CODE, token: true }),
    note: r.text(b.note, '/note', { max: MAX_TEXT }),
  };
  return done(r, row);
}

/** Key of a status row from query parameters (DELETE, resolve). */
export function readStatusKey(
  q: Record<string, unknown>,
): Read<Pick<StatusMapping, 'sourceSystem' | 'status' | 'subStatus' | 'validFrom'>> {
  const r = new FieldReader();
  return done(r, {
    sourceSystem: r.text(q.sourceSystem, '/sourceSystem', { required: true }),
    status: r.text(q.status, '/status', { required: true }),
    subStatus: r.text(q.subStatus, '/subStatus') ?? ANY_SUB_STATUS,
    validFrom: r.date(q.validFrom, '/validFrom'),
  });
}

/** GET /api/mapping/statuses/resolve: which row a (status, sub-status) on a date maps to. */
export function readStatusQuery(
  q: Record<string, unknown>,
): Read<{ sourceSystem: string; status: string; subStatus: string | null; on: string | undefined }> {
  const r = new FieldReader();
  const on = r.text(q.on, '/on');
  if (on !== null) {
    r.date(on, '/on');
  }
  return done(r, {
    sourceSystem: r.text(q.sourceSystem, '/sourceSystem', { required: true }),
    status: r.text(q.status, '/status', { required: true }),
    subStatus: r.text(q.subStatus, '/subStatus'),
    on: on ?? undefined,
  });
}

/** A statutory time given as catalogue-style text ("5 ngày làm việc") or as `{ value, unit }`. */
export function readStatutoryTime(value: unknown, field: string, r: FieldReader): StatutoryTime | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value === 'string') {
    const parsed = parseProcessingTime(value);
    if (!parsed.ok) {
      r.fail(field, 'unreadable_time', `cannot read a duration from "${parsed.text}" (${parsed.reason})`);
      return undefined;
    }
    return { ...parsed.duration, text: parsed.text };
  }
  if (!isObject(value)) {
    r.fail(field, 'type', 'must be a text such as "5 ngày làm việc" or { value, unit }');
    return undefined;
  }
  const unit = r.oneOf(value.unit, `${field}/unit`, DURATION_UNITS);
  const n = r.number(value.value, `${field}/value`, { required: unit !== 'same_day', min: 0, max: 100_000 });
  return unit === null ? undefined : makeDuration(n ?? 0, unit);
}

export function readStatutory(value: unknown, field: string, r: FieldReader): StatutoryTimes | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!isObject(value)) {
    r.fail(field, 'type', 'must be an object { inPerson, online, postal }');
    return undefined;
  }
  const out: StatutoryTimes = {};
  for (const channel of STATUTORY_CHANNELS) {
    const t = readStatutoryTime(value[channel], `${field}/${channel}`, r);
    if (t) {
      out[channel] = t;
    }
  }
  return out;
}

/** Working hours from `allowanceHours`, or from fractional `allowanceDays` × 8 (DOMAIN.md §6.1). */
export function readAllowance(
  hoursIn: unknown,
  daysIn: unknown,
  field: string,
  hoursKey: string,
  daysKey: string,
  r: FieldReader,
): number {
  const hours = r.number(hoursIn, `${field}/${hoursKey}`, { min: 0, max: 100_000 });
  const days = r.number(daysIn, `${field}/${daysKey}`, { min: 0, max: 10_000 });
  if (hours === null && days === null) {
    if (!r.errors.some((e) => e.field.startsWith(`${field}/allowance`))) {
      r.fail(`${field}/${hoursKey}`, 'required', `give ${hoursKey} or ${daysKey} (working days × 8)`);
    }
    return 0;
  }
  if (hours !== null && days !== null && Math.abs(workingDaysToHours(days) - hours) > 1e-9) {
    r.fail(`${field}/${hoursKey}`, 'inconsistent', `${hours} h does not equal ${days} working days × 8`);
  }
  return hours ?? workingDaysToHours(days ?? 0);
}

function readFormCodes(value: unknown, field: string, r: FieldReader): string[] {
  if (value === undefined || value === null || value === '') {
    return [];
  }
  const list = typeof value === 'string' ? value.split(/[;,\n]/) : Array.isArray(value) ? value : null;
  if (list === null) {
    r.fail(field, 'type', 'must be a list of form codes');
    return [];
  }
  return list
    .map((v, i) => r.text(v, `${field}/${i}`, { max: MAX_CODE }))
    .filter((v): v is string => v !== null && v !== '');
}

function readStep(value: unknown, index: number, r: FieldReader): IsoProcessStep {
  const field = `/steps/${index}`;
  if (!isObject(value)) {
    r.fail(field, 'type', 'must be an object');
    return {
      stepNo: index + 1,
      code: null,
      name: '',
      responsibleUnit: null,
      allowanceHours: 0,
      nationalStatus: null,
      formCodes: [],
    };
  }
  return {
    stepNo: index + 1,
    code: r.text(value.code, `${field}/code`, { max: MAX_CODE }),
    name: r.text(value.name, `${field}/name`, { required: true, max: MAX_TEXT }),
    responsibleUnit: r.text(value.responsibleUnit, `${field}/responsibleUnit`, { max: MAX_TEXT }),
    allowanceHours: readAllowance(
      value.allowanceHours,
      value.allowanceDays,
      field,
      'allowanceHours',
      'allowanceDays',
      r,
    ),
    nationalStatus: r.number(value.nationalStatus, `${field}/nationalStatus`, {
      min: 1,
      max: 10,
      integer: true,
    }),
    formCodes: readFormCodes(value.formCodes, `${field}/formCodes`, r),
    ...readChannelAllowances(value.channelAllowanceHours, `${field}/channelAllowanceHours`, r),
  };
}

/** Optional per-channel allowances in working hours (`{ inPerson?, online?, postal? }`), docs/iso-time.md. */
function readChannelAllowances(
  value: unknown,
  field: string,
  r: FieldReader,
): Pick<IsoProcessStep, 'channelAllowanceHours'> {
  if (value === undefined || value === null) {
    return {};
  }
  if (!isObject(value)) {
    r.fail(field, 'type', 'must be an object { inPerson?, online?, postal? } of working hours');
    return {};
  }
  const out: NonNullable<IsoProcessStep['channelAllowanceHours']> = {};
  for (const key of Object.keys(value)) {
    if (key !== 'inPerson' && key !== 'online' && key !== 'postal') {
      r.fail(`${field}/${key}`, 'unknown', 'channels are inPerson, online and postal');
      continue;
    }
    const hours = r.number(value[key], `${field}/${key}`, { min: 0, max: 100_000 });
    if (hours !== null) {
      out[key] = hours;
    }
  }
  return Object.keys(out).length > 0 ? { channelAllowanceHours: out } : {};
}

/**
 * PUT /api/mapping/processes/:agencyCode/:procedureCode. `statutory` left out means "take the
 * catalogue's times" (the caller fills them in); steps are ordered as given.
 */
export function readProcess(
  params: { agencyCode: string; procedureCode: string },
  input: unknown,
): Read<Omit<IsoProcess, 'statutory'> & { statutory: StatutoryTimes | undefined }> {
  const b = body(input);
  const r = new FieldReader();
  let steps: IsoProcessStep[] = [];
  if (!Array.isArray(b.steps) || b.steps.length === 0) {
    r.fail('/steps', 'required', 'give at least one step');
  } else if (b.steps.length > MAX_STEPS) {
    r.fail('/steps', 'max_items', `at most ${MAX_STEPS} steps`);
  } else {
    steps = b.steps.map((s, i) => readStep(s, i, r));
  }
  return done(r, {
    agencyCode: r.text(params.agencyCode, '/agencyCode', { required: true, max: MAX_CODE, token: true }),
    procedureCode: r.text(params.procedureCode, '/procedureCode', {
      required: true,
      max: MAX_CODE,
      token: true,
    }),
    caseCode: r.text(b.caseCode, '/caseCode', { max: MAX_CODE }) ?? '',
    isoCode: r.text(b.isoCode, '/isoCode', { max: MAX_CODE }),
    name: r.text(b.name, '/name', { max: MAX_TEXT }),
    statutory: readStatutory(b.statutory, '/statutory', r),
    steps,
  });
}

/** POST /api/mapping/publish */
export function readPublish(input: unknown): Read<{ effectiveFrom?: Date; note: string | null }> {
  const b = input === undefined || input === null ? {} : body(input);
  const r = new FieldReader();
  const note = r.text(b.note, '/note', { max: MAX_TEXT });
  let effectiveFrom: Date | undefined;
  const raw = r.text(b.effectiveFrom, '/effectiveFrom');
  if (raw) {
    // A bare date means the start of that day in Vietnam.
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00+07:00` : raw);
    if (Number.isNaN(d.getTime())) {
      r.fail('/effectiveFrom', 'format', 'must be an ISO 8601 date or date-time');
    } else {
      effectiveFrom = d;
    }
  }
  return done(r, { effectiveFrom, note });
}

export function orThrow<T>(read: Read<T>): T {
  if (!read.ok) {
    throw ProblemException.invalid(read.errors);
  }
  return read.value;
}
