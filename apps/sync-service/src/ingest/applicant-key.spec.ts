import { describe, expect, it } from 'vitest';
import { applicantNameKey } from '@isohub/mapping';
import { applicantKey, nameIn } from './applicant-key';

const SECRET = 'a-test-applicant-key-secret';
const CODE = '000.00.01.H56-260401-0001';

describe('applicantKey', () => {
  it('is the same for the spellings the mapper treats as one name (NFD, case, spacing)', () => {
    const key = applicantKey(SECRET, CODE, 'Nguyễn Văn An');
    expect(key).toHaveLength(32);
    expect(applicantKey(SECRET, CODE, '  NGUYỄN   văn an '.normalize('NFD'))).toEqual(key);
    expect(applicantNameKey('  NGUYỄN   văn an '.normalize('NFD'))).toBe(applicantNameKey('Nguyễn Văn An'));
  });

  it('differs for another name (accents count), another dossier and another secret', () => {
    const key = applicantKey(SECRET, CODE, 'Nguyễn Văn An');
    expect(applicantKey(SECRET, CODE, 'Nguyen Van An')).not.toEqual(key);
    expect(applicantKey(SECRET, `${CODE}9`, 'Nguyễn Văn An')).not.toEqual(key);
    expect(applicantKey(`${SECRET}-2`, CODE, 'Nguyễn Văn An')).not.toEqual(key);
  });

  it('is null when there is no name', () => {
    expect(applicantKey(SECRET, CODE, null)).toBeNull();
    expect(applicantKey(SECRET, CODE, '   ')).toBeNull();
  });
});

describe('nameIn', () => {
  it('reads a name field as the mappers do (trimmed NFC), or null', () => {
    expect(nameIn({ ChuHoSo: ' Lê Thị Cúc '.normalize('NFD') }, 'ChuHoSo')).toBe('Lê Thị Cúc');
    expect(nameIn({ ChuHoSo: '' }, 'ChuHoSo')).toBeNull();
    expect(nameIn({}, 'ChuHoSo')).toBeNull();
    expect(nameIn(['ChuHoSo'], 'ChuHoSo')).toBeNull();
  });
});
