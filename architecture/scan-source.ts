// Lexical scanning of TypeScript source for the architecture check: comments out,
// module specifiers (static and dynamic) found. No parser: specifiers are literals.

/** `code` without `//` and `/* *\/` comments; string and template contents kept. */
export function stripComments(code: string): string {
  let out = '';
  let i = 0;
  while (i < code.length) {
    const c = code[i]!;
    const next = code[i + 1];
    if (c === '/' && next === '/') {
      while (i < code.length && code[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = code.indexOf('*/', i + 2);
      i = end < 0 ? code.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      const start = i;
      i++;
      while (i < code.length && code[i] !== c) i += code[i] === '\\' ? 2 : 1;
      i++;
      out += code.slice(start, i);
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const staticImport =
  /(?:^|[;\n}])\s*(?:import|export)\s+(?:type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?(['"])([^'"\n]+)\1/g;
const dynamicImport = /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/** Every module specifier in `code` (comments already stripped). */
export function extractImports(code: string): { specifier: string; dynamic: boolean }[] {
  const found: { specifier: string; dynamic: boolean }[] = [];
  for (const m of code.matchAll(staticImport)) found.push({ specifier: m[2]!, dynamic: false });
  for (const m of code.matchAll(dynamicImport)) found.push({ specifier: m[2]!, dynamic: true });
  return found;
}
