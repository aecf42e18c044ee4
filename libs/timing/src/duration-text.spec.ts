import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration-text';
import { type Duration, makeDuration, parseProcessingTime } from './processing-time';

describe('formatDuration', () => {
  it.each<Duration>([
    makeDuration(5, 'working_days'),
    makeDuration(7.5, 'working_days'),
    makeDuration(30, 'calendar_days'),
    makeDuration(3, 'months'),
    makeDuration(1, 'years'),
    makeDuration(4, 'working_hours'),
    { value: 0, unit: 'same_day' },
    { value: 0, unit: 'same_day', cutoff: '15:00' },
    { value: 0, unit: 'same_day', cutoff: '15:30' },
  ])('writes %j as text that reads back the same', (d) => {
    const text = formatDuration(d);
    expect(parseProcessingTime(text)).toMatchObject({ ok: true, duration: d });
  });

  it('uses the catalogue wording', () => {
    expect(formatDuration(makeDuration(5, 'working_days'))).toBe('5 ngày làm việc');
    expect(formatDuration(makeDuration(30, 'calendar_days'))).toBe('30 ngày');
  });
});
