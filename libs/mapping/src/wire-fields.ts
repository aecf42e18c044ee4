import type { FieldError, MappingContext } from './mapping.contract';
import { isNationalStatus } from './status-transition';
import { readInt, textOrNull } from './text';
import { parsePortalDate } from './vn-date';

/** Largest MaHoSo isohub accepts (generated codes are ~30 characters; DVCQG column sizes are unpublished). */
export const MAX_DOSSIER_CODE_LENGTH = 100;

/** RFC 6901 pointer to `path` inside the inbound item. */
export function pointer(...path: (string | number)[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** National status as sent: `raw` verbatim (null when absent or blank), `national` when 1..10. */
export interface WireStatus {
  raw: string | null;
  national: number | null;
}

/**
 * Reads typed fields out of one (already NFC) wire object and collects every problem instead of stopping
 * at the first, so a dead letter names all bad fields at once.
 */
export class WireReader {
  readonly errors: FieldError[] = [];

  constructor(
    private readonly obj: Record<string, unknown>,
    private readonly ctx: Pick<MappingContext, 'literalZ'>,
    private readonly base: (string | number)[] = [],
  ) {}

  private fail(name: string, code: FieldError['code'], message: string): null {
    this.errors.push({ field: pointer(...this.base, name), code, message });
    return null;
  }

  /** Free text; numbers are accepted as their decimal text, objects and booleans are not. */
  text(name: string): string | null {
    const v = this.obj[name];
    if (v !== null && v !== undefined && typeof v !== 'string' && typeof v !== 'number') {
      return this.fail(name, 'type', `${name} must be text, got ${Array.isArray(v) ? 'array' : typeof v}`);
    }
    return textOrNull(v);
  }

  dossierCode(name = 'MaHoSo'): string | null {
    const v = this.obj[name];
    if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) {
      return this.fail(name, 'required', `${name} is required`);
    }
    if (typeof v !== 'string') {
      return this.fail(name, 'type', `${name} must be a string`);
    }
    const code = v.normalize('NFC').trim();
    if ([...code].length > MAX_DOSSIER_CODE_LENGTH) {
      return this.fail(name, 'range', `${name} is longer than ${MAX_DOSSIER_CODE_LENGTH} characters`);
    }
    return code;
  }

  date(name: string, required = false): string | null {
    const parsed = parsePortalDate(this.obj[name], { literalZ: this.ctx.literalZ });
    if (!parsed.ok) {
      return this.fail(name, 'format', `${name}: ${parsed.reason}`);
    }
    if (required && parsed.value === null) {
      return this.fail(name, 'required', `${name} is required`);
    }
    return parsed.value;
  }

  /** TrangThaiHoSo / TrangThai: blank means "no usable status" (OpenCPS without a mapping row), not an error. */
  status(name: string): WireStatus {
    const v = this.obj[name];
    const raw = textOrNull(v);
    const n = readInt(v);
    if (!n.ok) {
      this.fail(name, 'format', `${name} must be an integer 1..10, got ${JSON.stringify(v)}`);
      return { raw, national: null };
    }
    if (n.value !== null && !isNationalStatus(n.value)) {
      this.fail(name, 'range', `${name} must be 1..10, got ${n.value}`);
      return { raw, national: null };
    }
    return { raw, national: n.value };
  }

  /** An integer code from a closed list (e.g. KenhThucHien 1..3); blank is null. */
  code(name: string, allowed: readonly number[]): number | null {
    const n = readInt(this.obj[name]);
    if (!n.ok) {
      return this.fail(name, 'format', `${name} must be an integer, got ${JSON.stringify(this.obj[name])}`);
    }
    if (n.value !== null && !allowed.includes(n.value)) {
      return this.fail(name, 'range', `${name} must be one of ${allowed.join(', ')}, got ${n.value}`);
    }
    return n.value;
  }

  /** An optional array of objects; each element gets its own reader so errors point inside it. */
  list(name: string): WireReader[] {
    const v = this.obj[name];
    if (v === null || v === undefined || v === '') {
      return [];
    }
    if (!Array.isArray(v)) {
      this.fail(name, 'type', `${name} must be an array`);
      return [];
    }
    const readers: WireReader[] = [];
    v.forEach((el, i) => {
      if (el === null || typeof el !== 'object' || Array.isArray(el)) {
        this.errors.push({
          field: pointer(...this.base, name, i),
          code: 'type',
          message: `${name}[${i}] must be an object`,
        });
        return;
      }
      readers.push(new WireReader(el as Record<string, unknown>, this.ctx, [...this.base, name, i]));
    });
    return readers;
  }

  /** Errors of this reader and of the element readers it handed out. */
  collect(children: readonly WireReader[]): FieldError[] {
    return [...this.errors, ...children.flatMap((c) => c.errors)];
  }
}
