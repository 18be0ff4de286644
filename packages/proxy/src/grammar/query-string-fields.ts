// The fields a query_string query names inline (`_index:x`, `_exists_:_tenant`,
// `\_id:x`): each name before an unescaped `:` and each `_exists_` target.
// Quoted phrases and /regular expressions/ are skipped; a backslash escapes the
// next character, as Lucene's classic syntax reads it.

const SYNTAX = new Set([...' \t\r\n()[]{}"+-!^~:/&|<>=,']);

/** The field names `text` refers to, in order. */
export function queryStringFields(text: string): string[] {
  const names: string[] = [];
  let term = '';
  let existsNext = false;
  const end = (): void => {
    if (existsNext && term !== '') {
      names.push(term);
      existsNext = false;
    }
    term = '';
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (c === '\\') {
      term += text[i + 1] ?? '';
      i += 1;
    } else if (c === '"' || (c === '/' && term === '')) {
      end();
      const close = text.indexOf(c, i + 1);
      i = close < 0 ? text.length : close;
    } else if (c === ':') {
      if (term === '_exists_') existsNext = true;
      else if (term !== '') names.push(term);
      term = '';
    } else if (SYNTAX.has(c)) end();
    else term += c;
  }
  end();
  return names;
}
