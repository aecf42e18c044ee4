import type { Duration } from './processing-time';

/** Vietnamese text of a duration, in the catalogue's own wording, that `parseProcessingTime` reads back. */
export function formatDuration(d: Pick<Duration, 'value' | 'unit' | 'cutoff'>): string {
  switch (d.unit) {
    case 'working_days':
      return `${d.value} ngày làm việc`;
    case 'calendar_days':
      return `${d.value} ngày`;
    case 'months':
      return `${d.value} tháng`;
    case 'years':
      return `${d.value} năm`;
    case 'working_hours':
      return `${d.value} giờ làm việc`;
    case 'same_day': {
      if (!d.cutoff) {
        return 'Trong ngày';
      }
      const [h = '15', mm = '00'] = d.cutoff.split(':');
      const at = mm === '00' ? `${Number(h)} giờ` : `${Number(h)}h${mm}`;
      return `Trong ngày; nhận sau ${at} thì trả trong ngày làm việc tiếp theo`;
    }
  }
}
