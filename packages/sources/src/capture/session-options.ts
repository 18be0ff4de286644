// The session every source connection opens with. Keys and link values reach
// flusso as text (pgoutput cells, snapshot pages) and are matched against the
// document SQL's `::text`, and a timestamptz prints in the session's TimeZone: a
// connection left on the server's zone would name another id than the builder.
// bytea prints as hex whatever the database's bytea_output (the binary coercion
// reads an array's elements in that form).

/** libpq `options` for every connection to the source (builder pool, snapshot, walsender). */
export const sourceSessionOptions = '-c TimeZone=UTC -c bytea_output=hex';
