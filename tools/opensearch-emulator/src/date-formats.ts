// Date `format`s of a date mapping, as OpenSearch reads text with them: named
// formats (strict_date_optional_time, basic_date, epoch_millis, ...) and Java
// patterns (`yyyy-MM-dd HH:mm:ss.SSS`), several joined by `||` (the first that
// reads the text wins). Text without a zone is UTC.

const NAMED: Readonly<Record<string, string>> = {
  basic_date: 'yyyyMMdd',
  basic_date_time: "yyyyMMdd'T'HHmmss.SSSZ",
  basic_date_time_no_millis: "yyyyMMdd'T'HHmmssZ",
  basic_time: 'HHmmss.SSSZ',
  basic_time_no_millis: 'HHmmssZ',
  date: 'yyyy-MM-dd',
  date_hour: "yyyy-MM-dd'T'HH",
  date_hour_minute: "yyyy-MM-dd'T'HH:mm",
  date_hour_minute_second: "yyyy-MM-dd'T'HH:mm:ss",
  date_hour_minute_second_millis: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  date_hour_minute_second_fraction: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  date_time: "yyyy-MM-dd'T'HH:mm:ss.SSSZ",
  date_time_no_millis: "yyyy-MM-dd'T'HH:mm:ssZ",
  year_month_day: 'yyyy-MM-dd',
  year_month: 'yyyy-MM',
  year: 'yyyy',
};

const FIELDS: Readonly<Record<string, string>> = {
  y: '(?<y>[+-]?\\d{4,9})',
  u: '(?<y>[+-]?\\d{4,9})',
  M: '(?<M>\\d{1,2})',
  d: '(?<d>\\d{1,2})',
  H: '(?<H>\\d{1,2})',
  m: '(?<m>\\d{1,2})',
  s: '(?<s>\\d{1,2})',
  S: '(?<S>\\d{1,9})',
  Z: '(?<Z>Z|[+-]\\d{2}:?\\d{2})?',
  X: '(?<Z>Z|[+-]\\d{2}:?\\d{2})?',
};

function patternRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i] as string;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      const literal = pattern.slice(i + 1, end < 0 ? undefined : end);
      re += literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    let j = i;
    while (pattern[j] === c) j++;
    const field = FIELDS[c];
    if (field && c === 'y' && j - i === 4 && /[a-zA-Z]/.test(pattern[j] ?? '')) re += '(?<y>\\d{4})';
    else if (field && (c === 'M' || c === 'd' || c === 'H' || c === 'm' || c === 's') && j - i === 2)
      re += `(?<${c}>\\d{2})`;
    else re += field ?? c.repeat(j - i).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    i = j;
  }
  return new RegExp(`^${re}$`);
}

function fromPattern(text: string, pattern: string): number | undefined {
  const g = patternRegExp(pattern).exec(text)?.groups;
  if (!g || g.y === undefined) return undefined;
  const n = (k: string, d = 0) => (g[k] === undefined ? d : Number(g[k]));
  const millis = g.S === undefined ? 0 : Number(g.S.padEnd(3, '0').slice(0, 3));
  const [month, day, hour, minute, second] = [n('M', 1), n('d', 1), n('H'), n('m'), n('s')];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  const date = new Date(0);
  date.setUTCFullYear(n('y'), month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  if (date.getUTCDate() !== day) return undefined;
  const zone = g.Z === undefined || g.Z === 'Z' ? undefined : /([+-])(\d{2}):?(\d{2})/.exec(g.Z);
  const offset = zone ? (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) : 0;
  return date.getTime() - offset * 60_000;
}

function isoLike(text: string): number | undefined {
  let t = text.trim().replace(/^(\d{4}-\d{2}-\d{2})[ T]/, '$1T');
  if (/T/.test(t) && !/(Z|[+-]\d{2}:?\d{2})$/.test(t)) t += 'Z';
  // Java's fields have ranges even where its patterns are lenient: hour 24 is refused.
  if (/T24/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

const STRICT_ISO =
  /^(?<y>[+-]?\d{4,9})(?:-(?<M>\d{2})(?:-(?<d>\d{2})(?:T(?<H>\d{2})(?::(?<m>\d{2})(?::(?<s>\d{2})(?:[.,](?<S>\d{1,9}))?)?)?(?<Z>Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;

/**
 * `strict_date_optional_time` as Java reads it: `yyyy[-MM[-dd['T'HH[:mm[:ss[.S]]][zone]]]]`,
 * two-digit fields in range (no hour 24), and a year of more than four digits only
 * with its sign (`+10000`; a `+` on four digits is refused, a `-` is not).
 */
function strictIso(text: string): number | undefined {
  const g = STRICT_ISO.exec(text)?.groups;
  if (!g || g.y === undefined) return undefined;
  const digits = g.y.replace(/^[+-]/, '').length;
  if ((g.y.startsWith('+') && digits <= 4) || (!/^[+-]/.test(g.y) && digits > 4)) return undefined;
  const n = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));
  const [year, month, day] = [Number(g.y), n(g.M, 1), n(g.d, 1)];
  const [hour, minute, second] = [n(g.H, 0), n(g.m, 0), n(g.s, 0)];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, g.S === undefined ? 0 : Number(g.S.padEnd(3, '0').slice(0, 3)));
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== day) return undefined;
  const zone = g.Z === undefined || g.Z === 'Z' ? undefined : /([+-])(\d{2}):?(\d{2})?/.exec(g.Z);
  if (zone && (Number(zone[2]) > 18 || Number(zone[3] ?? 0) > 59)) return undefined;
  const offset = zone ? (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3] ?? 0)) : 0;
  return date.getTime() - offset * 60_000;
}

function one(text: string, format: string): number | undefined {
  if (format.trim() === 'strict_date_optional_time') return strictIso(text);
  const f = format.trim().replace(/^strict_/, '');
  if (f === 'epoch_millis') return /^-?\d+(\.\d+)?$/.test(text) ? Math.trunc(Number(text)) : undefined;
  if (f === 'epoch_second') return /^-?\d+(\.\d+)?$/.test(text) ? Math.trunc(Number(text) * 1000) : undefined;
  if (f === 'date_optional_time' || f === 'date_time' || f === 'iso8601') return isoLike(text);
  const pattern = NAMED[f] ?? format;
  return fromPattern(text, pattern);
}

/** Epoch millis of a date text under a mapping `format` (default `strict_date_optional_time||epoch_millis`). */
export function parseDate(text: string, format?: string): number | undefined {
  const formats = (format ?? 'strict_date_optional_time||epoch_millis').split('||');
  for (const f of formats) {
    const ms = one(text, f);
    if (ms !== undefined) return ms;
  }
  return undefined;
}
