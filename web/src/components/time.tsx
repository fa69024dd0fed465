import dayjs from 'dayjs';

// Unix seconds, shown in the viewer's time zone.
export function formatTime(unixSeconds: number | null | undefined): string {
  return unixSeconds ? dayjs.unix(unixSeconds).format('YYYY-MM-DD HH:mm:ss') : '—';
}

export function Time({ value }: { value: number | null | undefined }) {
  return <span style={{ whiteSpace: 'nowrap' }}>{formatTime(value)}</span>;
}
