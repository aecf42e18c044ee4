import { APPLICANT_WIRE_FIELDS, ATTACHMENT_FIELDS } from '@isohub/mapping';

/**
 * A dead letter's original payload as the console shows it: applicant fields (Decree 13/2023/NĐ-CP),
 * attachments and secrets replaced by a mark, whatever the payload's shape (JSON, XML, or bytes that are
 * neither, where the same names are looked for as `"Name": "value"` or `<Name>value</Name>`).
 */
export const MASK = '••• (đã che / masked)';

/** Personal fields besides the one-stop wire names: the LGSP SOAP sources' and generic ones. */
const PERSONAL = [
  ...APPLICANT_WIRE_FIELDS,
  'CitizenName',
  'CitizenInfo',
  'ApplicantsId',
  'HoTen',
  'NgaySinh',
  'CCCD',
  'CMND',
];
/** Names that hold credentials, whatever their case or prefix (`passwordEnv` is a name, not a secret, but masked too). */
const SECRET = /pass(word)?|secret|token|session|api[-_]?key|path[-_]?key|authori[sz]ation|cookie/i;

function isPersonal(key: string): boolean {
  return PERSONAL.some((name) => (name.endsWith('*') ? key.startsWith(name.slice(0, -1)) : key === name));
}

export function isMaskedKey(key: string): boolean {
  return isPersonal(key) || ATTACHMENT_FIELDS.has(key) || SECRET.test(key);
}

export interface MaskedPayload {
  format: 'json' | 'xml' | 'text';
  text: string;
  /** How many values were replaced. */
  masked: number;
}

function maskValue(value: unknown, counter: { n: number }): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => maskValue(v, counter));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => {
        if (isMaskedKey(k) && v !== null && v !== '') {
          counter.n += 1;
          return [k, MASK];
        }
        return [k, maskValue(v, counter)];
      }),
    );
  }
  return value;
}

/** An opening tag `<ns:Name attr="…">` (not self-closing). */
const OPEN_TAG = /<((?:[\w-]+:)?([\w-]+))(\s[^>]*)?(?<!\/)>/g;

/** Every masked element's content (leaf or not) replaced, its tags kept. */
function maskXml(text: string, counter: { n: number }): string {
  let out = '';
  let from = 0;
  OPEN_TAG.lastIndex = 0;
  for (let m = OPEN_TAG.exec(text); m !== null; m = OPEN_TAG.exec(text)) {
    const [open, tag = '', name = ''] = m;
    if (!isMaskedKey(name)) {
      continue;
    }
    const bodyAt = m.index + open.length;
    const close = text.indexOf(`</${tag}>`, bodyAt);
    if (close < 0 || text.slice(bodyAt, close).trim() === '') {
      continue;
    }
    counter.n += 1;
    out += `${text.slice(from, bodyAt)}${MASK}`;
    from = close;
    OPEN_TAG.lastIndex = close;
  }
  return out + text.slice(from);
}

/** `"Name": "value"` (also in JSON too broken to parse). */
const JSON_PAIR = /"([^"\\]{1,100})"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

function maskText(text: string, counter: { n: number }): string {
  return maskXml(text, counter).replace(JSON_PAIR, (whole: string, key: string, value: string) => {
    if (!isMaskedKey(key) || value === '') {
      return whole;
    }
    counter.n += 1;
    return `"${key}": "${MASK}"`;
  });
}

export function maskPayload(raw: string): MaskedPayload {
  const text = raw.replace(/^\uFEFF/, '');
  const counter = { n: 0 };
  try {
    const value: unknown = JSON.parse(text);
    return { format: 'json', text: JSON.stringify(maskValue(value, counter), null, 2), masked: counter.n };
  } catch {
    // not JSON: XML or bytes that are neither
  }
  const format = /^\s*</.test(text) ? 'xml' : 'text';
  return { format, text: maskText(text, counter), masked: counter.n };
}
