// Postgres date/time JSON text to what an OpenSearch `date` field (default
// format strict_date_optional_time||epoch_millis) accepts:
// - BC years become astronomical ISO years: 44 BC → -0043, 1 BC → 0000;
//   years beyond 9999 get a sign (+10000), as ISO 8601 expanded years do.
// - `infinity` / `-infinity` become null (counted as a value note).
// - a `time` (or `timetz`) under a `timestamp` field is that time on 1970-01-01;
//   Postgres's end of day `24:00:00` is 1970-01-02's midnight (a date field's
//   parser takes hours 0-23 only, and it is the same instant).
// - a timestamp without zone is UTC (`Z`); `+02` offsets become `+02:00`.

const DATE = /^(\d{4,})-(\d\d)-(\d\d)(.*?)( BC)?$/;
const TIME = /^(\d\d:\d\d:\d\d(?:\.\d+)?)(.*)$/;

export type TemporalNote = 'infinite_date';

function isoYear(digits: string, bc: boolean): string {
  const ce = Number(digits);
  const astro = bc ? 1 - ce : ce;
  const abs = String(Math.abs(astro)).padStart(4, '0');
  if (astro < 0) return `-${abs}`;
  return astro > 9999 ? `+${abs}` : abs;
}

function zone(rest: string): string {
  if (rest === '') return 'Z';
  // Postgres prints whole-hour offsets as `+02`; ISO 8601 date parsers want `+02:00`.
  return rest.replace(/^([+-]\d\d)$/, '$1:00').replace(/^([+-]\d\d)(\d\d)$/, '$1:$2');
}

/** A date, timestamp or time text as an ISO 8601 instant; null for infinities. */
export function isoTimestamp(text: string, note: (n: TemporalNote) => void): string | null {
  if (text === 'infinity' || text === '-infinity') {
    note('infinite_date');
    return null;
  }
  const time = TIME.exec(text);
  if (time && time[1] === '24:00:00') return `1970-01-02T00:00:00${zone(time[2] ?? '')}`;
  if (time) return `1970-01-01T${time[1]}${zone(time[2] ?? '')}`;
  const d = DATE.exec(text);
  if (!d) return text;
  const [, y = '', m, day, rest = '', bc] = d;
  const date = `${isoYear(y, bc !== undefined)}-${m}-${day}`;
  const clock = rest.replace(/^[T ]/, '');
  if (clock === '') return date;
  const t = TIME.exec(clock);
  return t ? `${date}T${t[1]}${zone(t[2] ?? '')}` : `${date}T${clock}`;
}

/** A date text (or the date part of a timestamp) as an ISO 8601 date; null for infinities. */
export function isoDate(text: string, note: (n: TemporalNote) => void): string | null {
  if (text === 'infinity' || text === '-infinity') {
    note('infinite_date');
    return null;
  }
  const d = DATE.exec(text);
  if (!d) return text;
  const [, y = '', m, day, , bc] = d;
  return `${isoYear(y, bc !== undefined)}-${m}-${day}`;
}
