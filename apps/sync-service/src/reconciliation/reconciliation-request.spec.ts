import { BadRequestException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { parseRunRequest } from './reconciliation-request';

const defaults = { windowHours: 24, maxDossiers: 3 };
const parse = (body: string) => parseRunRequest(Buffer.from(body, 'utf8'), defaults);

function fieldOf(body: string): string | undefined {
  try {
    parse(body);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    const response = (error as BadRequestException).getResponse() as { errors: { field: string }[] };
    return response.errors[0]?.field;
  }
  return undefined;
}

describe('parseRunRequest', () => {
  it('defaults to the configured window and bound', () => {
    expect(parse('')).toEqual({ mode: 'window', windowHours: 24, limit: 3 });
    expect(parse('{}')).toEqual({ mode: 'window', windowHours: 24, limit: 3 });
    expect(parse('{"windowHours": 2}')).toEqual({ mode: 'window', windowHours: 2, limit: 3 });
  });

  it('takes a list of dossier codes, NFC and trimmed, without repeats', () => {
    expect(parse(`\ufeff{"dossiers": [" A-1 ", "A-1", "B-2"]}`)).toEqual({
      mode: 'list',
      dossiers: ['A-1', 'B-2'],
    });
  });

  it('names the field at fault', () => {
    expect(fieldOf('{"windowHours": 0}')).toBe('/windowHours');
    expect(fieldOf('{"windowHours": "24"}')).toBe('/windowHours');
    expect(fieldOf('{"dossiers": []}')).toBe('/dossiers');
    expect(fieldOf('{"dossiers": ["a", "b", "c", "d"]}')).toBe('/dossiers');
    expect(fieldOf('{"dossiers": ["a", 7]}')).toBe('/dossiers/1');
    expect(fieldOf('{"dossiers": ["a"], "windowHours": 1}')).toBe('/dossiers');
    expect(fieldOf('{"dosiers": ["a"]}')).toBe('/dosiers');
    expect(fieldOf('[1]')).toBe('/');
    expect(fieldOf('{nope')).toBe('/');
  });
});
