// The session every source connection opens with. A database or role may carry
// settings of its own (`ALTER DATABASE … SET`, `ALTER ROLE … SET`) and every
// session inherits them unless it names its own; these are the ones that change
// how Postgres prints a value flusso reads as text:
// - TimeZone: a timestamptz prints in the session's zone. Keys and link values
//   reach flusso as text (pgoutput cells, snapshot pages) and are matched against
//   the document SQL's `::text`, so every connection must print them alike.
// - DateStyle: a date or timestamp key's text is the document id (`SQL, DMY`
//   prints 2024-01-02 as 02/01/2024, `German` as 02.01.2024); ISO is the one form
//   the id keeps whatever the database says (the date order only reads input).
// - IntervalStyle: an interval prints as `1 day 02:00:00`, not in the SQL
//   standard's or ISO 8601's form a database may choose.
// - extra_float_digits: 0 or less rounds every real and double to 6/15 (or fewer)
//   digits; 1 prints the shortest text that reads back to the same value.
// - bytea_output: hex whatever the database's (the binary coercion reads an
//   array's elements in that form).

/** libpq `options` for every connection to the source (builder pool, snapshot, walsender, catalog). */
export const sourceSessionOptions =
  '-c TimeZone=UTC -c bytea_output=hex -c DateStyle=ISO -c IntervalStyle=postgres -c extra_float_digits=1';
