import { describe, expect, it } from 'vitest';
import { parseCatalogueTimes, parseProcessingTime, workingDaysToHours } from './processing-time';

/** Every input below is copied from ../shared/data/procedures.csv. */
describe('parseProcessingTime', () => {
  it.each([
    ['5 ngày làm việc', { value: 5, unit: 'working_days', hours: 40 }],
    ['30 ngày', { value: 30, unit: 'calendar_days' }],
    ['7.5 ngày làm việc', { value: 7.5, unit: 'working_days', hours: 60 }],
    ['6.25 ngày làm việc', { value: 6.25, unit: 'working_days', hours: 50 }],
    ['03 Ngày làm việc', { value: 3, unit: 'working_days', hours: 24 }],
    ['01 Ngày làm việc', { value: 1, unit: 'working_days', hours: 8 }],
    ['45 Ngày', { value: 45, unit: 'calendar_days' }],
    ['0 ngày', { value: 0, unit: 'calendar_days' }],
    ['01 năm', { value: 1, unit: 'years' }],
  ])('reads the plain value %j', (text, expected) => {
    expect(parseProcessingTime(text)).toEqual({ ok: true, duration: expected, form: 'plain', text });
  });

  it('reads units the crawl has not used yet: tháng, giờ, giờ làm việc, decimal comma', () => {
    expect(parseProcessingTime('3 tháng')).toMatchObject({ duration: { value: 3, unit: 'months' } });
    expect(parseProcessingTime('4 giờ làm việc')).toMatchObject({
      duration: { value: 4, unit: 'working_hours', hours: 4 },
    });
    expect(parseProcessingTime('2 giờ')).toMatchObject({ duration: { unit: 'working_hours', hours: 2 } });
    expect(parseProcessingTime('1,5 ngày làm việc')).toMatchObject({ duration: { value: 1.5, hours: 12 } });
  });

  it('reads NFD text like NFC text', () => {
    expect(parseProcessingTime('5 ngày làm việc'.normalize('NFD'))).toMatchObject({
      ok: true,
      duration: { value: 5, unit: 'working_days' },
      text: '5 ngày làm việc',
    });
  });

  it('drops the stray " ngày" the crawl appends after a sentence', () => {
    expect(parseProcessingTime('Không quá 10 ngày làm việc ngày')).toEqual({
      ok: true,
      duration: { value: 10, unit: 'working_days', hours: 80 },
      form: 'upper_bound',
      text: 'Không quá 10 ngày làm việc ngày',
    });
    expect(parseProcessingTime('Không quá 15 ngày. ngày')).toMatchObject({
      duration: { value: 15, unit: 'calendar_days' },
      form: 'upper_bound',
    });
  });

  it('reads an upper bound at the head of a long legal sentence', () => {
    const text =
      'Không quá 15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ. Các cơ quan liên quan đến quá trình thực hiện trình tự, thủ tục không được quy định thêm thủ tục và không được thực hiện thêm bất kỳ thủ tục nào khác ngoài thủ tục quy định nêu trên. ngày';
    expect(parseProcessingTime(text)).toMatchObject({
      ok: true,
      duration: { value: 15, unit: 'calendar_days' },
      form: 'upper_bound',
    });
    expect(
      parseProcessingTime(
        'Không quá 03 ngày làm việc (không tính thời gian cơ quan có thẩm quyền xác định nghĩa vụ tài chính về đất đai, thời gian thực hiện nghĩa vụ tài chính của người sử dụng đất) ngày',
      ),
    ).toMatchObject({ ok: true, duration: { value: 3, unit: 'working_days', hours: 24 } });
  });

  it('ignores the mountain-area extra allowance and keeps the base time', () => {
    const text =
      'Không quá 10 ngày làm việc. Đối với các xã miền núi, vùng sâu, vùng xa, vùng có điều kiện kinh tế - xã hội khó khăn, vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn thì thời gian thực hiện được tăng thêm không quá 10 ngày làm việc so với tổng thời gian thực hiện thủ tục này. ngày';
    expect(parseProcessingTime(text)).toMatchObject({
      ok: true,
      duration: { value: 10, unit: 'working_days' },
      form: 'upper_bound',
    });
  });

  it('reads one duration inside a sentence as free text', () => {
    expect(
      parseProcessingTime(
        'Đăng ký đất đai, tài sản gắn liền với đất lần đầu là không quá 20 ngày làm việc. ngày',
      ),
    ).toMatchObject({ ok: true, duration: { value: 20, unit: 'working_days' }, form: 'upper_bound' });
    expect(
      parseProcessingTime(
        'Thời gian thực hiện việc thẩm định, phê duyệt phương án sử dụng đất kết hợp không quá 15 ngày. ngày',
      ),
    ).toMatchObject({ ok: true, duration: { value: 15, unit: 'calendar_days' } });
  });

  it('reads same-day procedures and their cut-off hour', () => {
    expect(parseProcessingTime('Trong ngày')).toMatchObject({
      ok: true,
      duration: { value: 0, unit: 'same_day' },
    });
    expect(
      parseProcessingTime(
        'Thực hiện trong ngày làm việc nhận được đủ hồ sơ xóa nợ; nếu thời điểm nhận đủ hồ sơ, sau 15 giờ cùng ngày thì có thể giải quyết việc xóa nợ trong ngày làm việc tiếp theo ngày',
      ),
    ).toMatchObject({ ok: true, duration: { value: 0, unit: 'same_day', cutoff: '15:00' } });
    expect(
      parseProcessingTime('Thực hiện trong ngày làm việc nhận được hồ sơ đầy đủ, chính xác ngày'),
    ).toMatchObject({ ok: true, duration: { unit: 'same_day' } });
  });

  it.each([
    ['Theo mô tả ngày', 'no_duration'],
    ['Không quy định ngày', 'no_duration'],
    ['1/12 hàng năm ngày', 'no_duration'],
    ['Không phải trả kết quả cho người nộp thuế ngày', 'no_duration'],
    ['Theo hướng dẫn tổ chức kỳ thi tốt nghiệp THPT hằng năm của Bộ Giáo dục và Đào tạo', 'no_duration'],
    [
      '- Trong thời hạn 15 ngày kể từ ngày nhận được hồ sơ hợp lệ, cơ quan có chức năng quản lý đất đai cấp xã phải có văn bản thẩm định trình cấp có thẩm quyền xem xét. - Trong thời hạn không quá 05 ngày làm việc kể từ ngày nhận được văn bản thẩm định do cơ quan có chức năng quản lý đất đai cấp xã trình, cấp có thẩm quyền xem xét và có văn bản chấp thuận hoặc không chấp thuận. ngày',
      'several_durations',
    ],
    [
      '12.5 ngày làm việc + thời gian thực hiện cấp lại Giấy chứng nhận theo quy định đối với từng trường hợp đăng ký biến động ngày',
      'open_ended',
    ],
    ['', 'empty'],
    ['   ', 'empty'],
  ])('leaves %j for a human (%s)', (text, reason) => {
    expect(parseProcessingTime(text)).toMatchObject({ ok: false, reason });
  });

  it('treats null and undefined as empty', () => {
    expect(parseProcessingTime(null)).toEqual({ ok: false, reason: 'empty', text: '' });
    expect(parseProcessingTime(undefined)).toEqual({ ok: false, reason: 'empty', text: '' });
  });
});

describe('parseCatalogueTimes', () => {
  it('parses the three channels and reports only non-empty unreadable ones', () => {
    expect(
      parseCatalogueTimes({
        time_in_person: '5 ngày làm việc',
        time_online: 'Theo mô tả ngày',
        time_postal: null,
      }),
    ).toEqual({
      parsed: { in_person: { value: 5, unit: 'working_days', hours: 40 } },
      unparsed: [{ channel: 'online', text: 'Theo mô tả ngày', reason: 'no_duration' }],
    });
  });
});

describe('workingDaysToHours', () => {
  it.each([
    [0.25, 2],
    [1.5, 12],
    [0.5, 4],
    [0, 0],
    [4.75, 38],
  ])('%d working days = %d working hours', (days, hours) => {
    expect(workingDaysToHours(days)).toBe(hours);
  });
});
