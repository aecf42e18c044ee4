/**
 * Applicant data is personal data (Decree 13/2023/NĐ-CP, DOMAIN.md §10). Events are built from an
 * allow-list of non-personal fields, so applicant fields reach an event only through this function, and
 * only the wire names configuration lists (`ctx.applicantFields`; a trailing `*` matches a prefix, e.g.
 * `DiaChi*`). Attachment lists never do, even when named: they carry file links and Base64 bodies.
 */
export const ATTACHMENT_FIELDS: ReadonlySet<string> = new Set([
  'TaiLieuNop',
  'DanhSachGiayToKetQua',
  'DanhSachTepDinhKemKhac',
  'Attachments',
]);

/** The wire fields §4.3 and §4.7 name as personal (OpenCPS puts the phone number in `Fax`). */
export const APPLICANT_WIRE_FIELDS: readonly string[] = [
  'ChuHoSo',
  'SoGiayToChuHoSo',
  'DinhDanhCHS',
  'MaDoiTuong',
  'SoDienThoai',
  'Email',
  'Fax',
  'DiaChi*',
];

export function pickApplicant(
  item: Record<string, unknown>,
  allowed: readonly string[],
): Record<string, unknown> | undefined {
  if (allowed.length === 0) {
    return undefined;
  }
  const matches = (key: string): boolean => allowsApplicantField(allowed, key);
  const picked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (
      !ATTACHMENT_FIELDS.has(key) &&
      matches(key) &&
      value !== null &&
      value !== undefined &&
      value !== ''
    ) {
      picked[key] = stripBase64(value);
    }
  }
  return Object.keys(picked).length > 0 ? picked : undefined;
}

/** Whether configuration names this applicant wire field (exactly, or by a `Prefix*` entry). */
export function allowsApplicantField(allowed: readonly string[], field: string): boolean {
  return allowed.some((name) => (name.endsWith('*') ? field.startsWith(name.slice(0, -1)) : field === name));
}

/**
 * The form in which an actor's name is compared with the dossier's applicant name: NFC, lower case,
 * whitespace collapsed. Accents stay: "Lê Văn Bình" and "Lê Văn Binh" are different people.
 */
export function applicantNameKey(name: string): string {
  return name.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

function stripBase64(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(stripBase64);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => k !== 'Base64')
        .map(([k, v]) => [k, stripBase64(v)]),
    );
  }
  return value;
}
