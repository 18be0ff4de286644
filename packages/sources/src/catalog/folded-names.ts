// Schema files name tables and columns as unquoted SQL does: folded to lower case.
// A table or column created with quotes ("OrderItems") keeps its case and is then a
// different name, so "does not exist" alone misleads; say why, and the fix.

/** A quoted mixed-case name in `present` that `missing` (already folded) would have meant. */
function caseTwin(missing: string, present: Iterable<string>): string | undefined {
  for (const name of present) if (name !== missing && name.toLowerCase() === missing) return name;
  return undefined;
}

const FOLDING =
  'flusso folds schema names to lower case, as unquoted SQL does, and reads only lower-case names';

/** The message and fix for a missing table, when a mixed-case twin explains it. */
export function missingTableHint(
  table: string,
  present: Iterable<string>,
): { message: string; fix?: string } {
  const twin = caseTwin(table, present);
  if (twin === undefined) return { message: `table ${table} does not exist` };
  const [schema, name] = twin.split('.') as [string, string];
  return {
    message: `table ${table} does not exist, but "${name}" does (created quoted, with upper-case letters): ${FOLDING}`,
    fix: `ALTER TABLE ${schema}."${name}" RENAME TO ${table.split('.')[1]};  -- or CREATE VIEW ${table} AS SELECT ... with lower-case columns`,
  };
}

/** The message and fix for a missing column of `table`, when a mixed-case twin explains it. */
export function missingColumnHint(
  table: string,
  column: string,
  present: Iterable<string>,
): { message: string; fix?: string } {
  const twin = caseTwin(column, present);
  if (twin === undefined) return { message: `column ${table}.${column} does not exist` };
  return {
    message: `column ${table}.${column} does not exist, but "${twin}" does (created quoted, with upper-case letters): ${FOLDING}`,
    fix: `ALTER TABLE ${table} RENAME COLUMN "${twin}" TO ${column};`,
  };
}
