import { describe, expect, it } from 'vitest';
import { addToTrail, holderBefore, readTrail, statusBefore, type TrailEntry } from './handover-trail';

const at = (hhmm: string) => `2026-04-01T${hhmm}:00+07:00`;
const holder = (unit: string, user: string) => ({
  unit: { code: null, name: unit },
  user: { id: null, name: user, title: null },
  step: null,
});

describe('handover trail', () => {
  const trail = [
    { at: at('09:00'), national: 2 },
    { at: at('09:00'), national: 2, holder: holder('Bộ phận một cửa', 'Phạm Thu Trang') },
    { at: at('10:00'), national: 4, holder: holder('Phòng Tư pháp', 'Trần Thị Bình') },
  ].reduce<TrailEntry[]>((t, e) => addToTrail(t, e), []);

  it('gives the holder and the status strictly before an instant', () => {
    expect(holderBefore(trail, at('10:00'))?.unit?.name).toBe('Bộ phận một cửa');
    expect(holderBefore(trail, at('10:01'))?.unit?.name).toBe('Phòng Tư pháp');
    expect(holderBefore(trail, at('09:00'))).toBeNull();
    expect(statusBefore(trail, at('09:30'))).toBe(2);
    expect(statusBefore(trail, at('08:00'))).toBeNull();
  });

  it('keeps the entry first recorded for the same action from the other channel (same instant and officer)', () => {
    const lgsp = { at: at('10:00'), national: null, holder: holder('UBND xã Quảng Phú', 'trần  thị bình') };
    const after = addToTrail(trail, lgsp);
    expect(after).toEqual(trail);
    expect(holderBefore(after, at('11:00'))?.unit?.name).toBe('Phòng Tư pháp');
    const other = addToTrail(trail, { ...lgsp, holder: holder('Lãnh đạo', 'Lê Văn Cường') });
    expect(other).toHaveLength(trail.length + 1);
  });

  it('stays in time order when a late row comes in, and reads a stored trail defensively', () => {
    const late = addToTrail(trail, { at: at('08:00'), national: 1 });
    expect(late.map((e) => e.at)).toEqual([at('08:00'), at('09:00'), at('09:00'), at('10:00')]);
    expect(readTrail('x')).toEqual([]);
    expect(readTrail([{ at: at('08:00'), national: 1 }, { at: 5 }, null])).toEqual([
      { at: at('08:00'), national: 1 },
    ]);
  });
});
