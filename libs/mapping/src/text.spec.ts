import { describe, expect, it } from 'vitest';
import { foldForSearch, foldPhrase, nfc, readInt, textOrNull, toBool, toIntOrNull } from './text';

const NFC_NAME = 'Nguyễn Thị Ánh';
const NFD_NAME = NFC_NAME.normalize('NFD');

describe('nfc', () => {
  it('normalises every string of a nested value, keys included', () => {
    const input = {
      ChuHoSo: NFD_NAME,
      [NFD_NAME]: [NFD_NAME, 1, true, null, { TenGiayTo: 'Đơn đề nghị'.normalize('NFD') }],
    };
    const out = nfc(input);
    expect(NFD_NAME).not.toBe(NFC_NAME);
    expect(out).toEqual({
      ChuHoSo: NFC_NAME,
      [NFC_NAME]: [NFC_NAME, 1, true, null, { TenGiayTo: 'Đơn đề nghị' }],
    });
    expect(JSON.stringify(out)).toBe(JSON.stringify(out).normalize('NFC'));
  });

  it('leaves the input untouched', () => {
    const input = { a: NFD_NAME };
    nfc(input);
    expect(input.a).toBe(NFD_NAME);
  });
});

describe('foldForSearch', () => {
  it.each([
    ['Đăng ký khai sinh', 'dang ky khai sinh'],
    ['ẮNG Ố Ứ ệ', 'ang o u e'],
    ['Sở Tư pháp tỉnh Thanh Hóa', 'so tu phap tinh thanh hoa'],
    [NFD_NAME, 'nguyen thi anh'],
    ['đường Đội Cấn', 'duong doi can'],
  ])('%j -> %j', (input, expected) => {
    expect(foldForSearch(input)).toBe(expected);
  });

  it('folds NFC and NFD spellings to the same key', () => {
    expect(foldForSearch(NFC_NAME)).toBe(foldForSearch(NFD_NAME));
  });

  it('foldPhrase also collapses whitespace', () => {
    expect(foldPhrase('  Hoàn   thành bổ sung\thồ sơ ')).toBe('hoan thanh bo sung ho so');
  });
});

describe('numbers and booleans sent as strings', () => {
  it.each([
    ['2', 2],
    [' 9 ', 9],
    [9, 9],
    ['', null],
    ['  ', null],
    [null, null],
    [undefined, null],
    ['9a', null],
    [9.5, null],
    ['1e3', null],
  ])('toIntOrNull(%j) = %j', (input, expected) => {
    expect(toIntOrNull(input)).toBe(expected);
  });

  it('readInt tells garbage from absence', () => {
    expect(readInt('')).toEqual({ ok: true, value: null });
    expect(readInt('abc')).toEqual({ ok: false });
    expect(readInt({})).toEqual({ ok: false });
  });

  it.each([
    ['True', true],
    ['true', true],
    [true, true],
    [1, true],
    ['1', true],
    ['False', false],
    [false, false],
    [0, false],
    ['0', false],
    ['', null],
    ['maybe', null],
    [null, null],
    [2, null],
  ])('toBool(%j) = %j', (input, expected) => {
    expect(toBool(input)).toBe(expected);
  });

  it('textOrNull trims, normalises and treats blank as absent', () => {
    expect(textOrNull(`  ${NFD_NAME} `)).toBe(NFC_NAME);
    expect(textOrNull('   ')).toBeNull();
    expect(textOrNull(38)).toBe('38');
    expect(textOrNull({})).toBeNull();
  });
});
