// Validated names. Each is a branded string made only by its parse function, so a
// bad name is rejected once at the edge with an error saying which rule it broke.
import { FlussoError } from '../errors/flusso-error.js';

export type IndexName = string & { readonly __brand: 'IndexName' };
export type TableName = string & { readonly __brand: 'TableName' };
export type ColumnName = string & { readonly __brand: 'ColumnName' };
export type SchemaName = string & { readonly __brand: 'SchemaName' };
export type FieldName = string & { readonly __brand: 'FieldName' };
export type ClusterId = string & { readonly __brand: 'ClusterId' };
export type PartitionId = string & { readonly __brand: 'PartitionId' };

export type NameKind = 'index' | 'table' | 'column' | 'schema' | 'field' | 'cluster' | 'partition';

const PG_IDENT = /^[a-z_][a-z0-9_]*$/;
const FIELD = /^[a-zA-Z_]\w*$/;
const CLUSTER = /^[a-z0-9][a-z0-9_-]*$/;
const PARTITION = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
// OpenSearch: lowercase, none of \ / * ? " < > | space , # : and no leading - _ +
const INDEX_FORBIDDEN = /[\\/*?"<>| ,#:A-Z]/;

function fail(kind: NameKind, input: string, rule: string): never {
  throw new FlussoError('invalid_name', `invalid ${kind} name ${JSON.stringify(input)}: ${rule}`, {
    context: { kind, rule },
  });
}

function checkLength(kind: NameKind, input: string, max: number): void {
  if (input.length === 0) fail(kind, input, 'must not be empty');
  if (Buffer.byteLength(input) > max) fail(kind, input, `must be at most ${max} bytes`);
}

/** Postgres identifiers: lower-cased, `^[a-z_][a-z0-9_]*$`, at most 63 bytes. */
function parsePgIdentifier(kind: 'table' | 'column' | 'schema', input: string): string {
  const lowered = input.toLowerCase();
  checkLength(kind, lowered, 63);
  if (!PG_IDENT.test(lowered)) fail(kind, input, 'must match ^[a-z_][a-z0-9_]*$');
  return lowered;
}

export function parseTableName(input: string): TableName {
  return parsePgIdentifier('table', input) as TableName;
}

export function parseColumnName(input: string): ColumnName {
  return parsePgIdentifier('column', input) as ColumnName;
}

export function parseSchemaName(input: string): SchemaName {
  return parsePgIdentifier('schema', input) as SchemaName;
}

/** Document field names: `^[a-zA-Z_]\w*$`, at most 63 characters. */
export function parseFieldName(input: string): FieldName {
  checkLength('field', input, 63);
  if (!FIELD.test(input)) fail('field', input, 'must match ^[a-zA-Z_]\\w*$');
  return input as FieldName;
}

/** OpenSearch index names: lowercase, no reserved characters, at most 255 bytes. */
export function parseIndexName(input: string): IndexName {
  checkLength('index', input, 255);
  if (INDEX_FORBIDDEN.test(input))
    fail('index', input, 'must be lowercase without \\ / * ? " < > | , # : or spaces');
  if (/^[-_+]/.test(input)) fail('index', input, 'must not start with -, _ or +');
  if (input === '.' || input === '..') fail('index', input, 'must not be . or ..');
  return input as IndexName;
}

export function parseClusterId(input: string): ClusterId {
  checkLength('cluster', input, 64);
  if (!CLUSTER.test(input)) fail('cluster', input, 'must match ^[a-z0-9][a-z0-9_-]*$');
  return input as ClusterId;
}

/** Tenant ids: letters, digits, `_` and `-`; never `:` (it separates id parts). */
export function parsePartitionId(input: string): PartitionId {
  checkLength('partition', input, 128);
  if (!PARTITION.test(input)) fail('partition', input, 'must match ^[A-Za-z0-9][A-Za-z0-9_-]*$');
  return input as PartitionId;
}

/** Quote a validated Postgres identifier for SQL text. */
export function quoteIdent(name: TableName | ColumnName | SchemaName | string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
