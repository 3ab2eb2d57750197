// Times as the original writes them: local, naive (no zone), Python's formats.

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** `datetime.isoformat(timespec="seconds")` of a local time: `2024-05-01T13:04:05`. */
export function isoSeconds(time: Date): string {
  return (
    `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}` +
    `T${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`
  );
}

/** `strftime("%Y%m%d%H%M%S")`: the stamp in log file names. */
export function compactStamp(time: Date): string {
  return isoSeconds(time).replace(/[-T:]/g, "");
}

/** Python logging's `asctime`: `2024-05-01 13:04:05,123`. */
export function logTime(time: Date): string {
  return `${isoSeconds(time).replace("T", " ")},${pad(time.getMilliseconds(), 3)}`;
}

const MICROS_PER_DAY = 86_400_000_000;

/**
 * `format_timedelta`: `{days}-{HH}:{MM}:{SS}` of a duration in microseconds, normalised the
 * way Python's `timedelta` is (0 <= seconds < 86400, negative durations borrow a day) and with
 * the microseconds dropped.
 */
export function formatDuration(micros: number): string {
  const whole = Math.round(micros);
  const days = Math.floor(whole / MICROS_PER_DAY);
  const seconds = Math.floor((whole - days * MICROS_PER_DAY) / 1_000_000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return `${days}-${pad(hours)}:${pad(minutes)}:${pad(seconds % 60)}`;
}
