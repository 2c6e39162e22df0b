// Capture timestamps in reports: UTC ISO 8601 with microseconds, durations in seconds.

export function formatTime(ts: number | undefined): string {
  if (ts === undefined || !Number.isFinite(ts)) return '-';
  const sec = Math.floor(ts);
  const micros = Math.min(999999, Math.round((ts - sec) * 1e6));
  const iso = new Date(sec * 1000).toISOString();
  return `${iso.slice(0, 19)}.${String(micros).padStart(6, '0')}Z`;
}

/** Time of day only (HH:MM:SS.mmm), for ladder diagrams and tables. */
export function formatClock(ts: number): string {
  const t = formatTime(ts);
  return t === '-' ? t : t.slice(11, 23);
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '-';
  return `${seconds.toFixed(3)} s`;
}
