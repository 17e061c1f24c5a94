/** The server's time when it runs a manual clock (relative times count from it), else the browser's. */
let offset = 0;

export function setServerNow(t: number | undefined): void {
  offset = t === undefined ? 0 : t - Date.now();
}

export const now = () => Date.now() + offset;

/** "2 min ago", "in 5 min", "just now". */
export function relative(d: Date | undefined, from = now()): string {
  if (!d) return '—';
  const s = Math.round((from - d.getTime()) / 1000);
  const a = Math.abs(s);
  const text =
    a < 5 ? 'just now' : a < 60 ? `${a} s` : a < 3600 ? `${Math.round(a / 60)} min` : a < 86_400 ? `${Math.round(a / 3600)} h` : `${Math.round(a / 86_400)} d`;
  if (text === 'just now') return text;
  return s >= 0 ? `${text} ago` : `in ${text}`;
}
