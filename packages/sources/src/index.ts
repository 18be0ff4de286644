// Change capture and document building for Postgres: implementations of core's
// `ChangeCapture` and `DocumentBuilder` contracts.

export { type ChangeColumns, changeColumns } from './builder/change-columns.js';
export { coerceDocument } from './builder/coerce.js';
export {
  defaultMappingOptions,
  type MappingOptions,
  type TextAnalysis,
} from './builder/index-analysis.js';
export { indexMapping, schemaHash } from './builder/index-mapping.js';
export {
  type BuilderIndex,
  type NamedQueryable,
  PgDocumentBuilder,
  type PgDocumentBuilderOptions,
  type Queryable,
} from './builder/pg-document-builder.js';
export { textToValue } from './capture/cell-values.js';
export { PgChangeCapture, type PgChangeCaptureOptions } from './capture/pg-change-capture.js';
export { sourceSessionOptions } from './capture/session-options.js';
export { checkCatalog, type Finding } from './catalog/check-catalog.js';
export { checkFieldTypes } from './catalog/check-field-types.js';
export { checkKeys } from './catalog/check-keys.js';
export { checkTenant } from './catalog/check-tenant.js';
export { verifyKeys } from './catalog/verify-keys.js';
export { asSourceFailure, isTransientPgError } from './errors/pg-transient.js';
export { PgOutputDecoder } from './pgoutput/decoder.js';
export type { PgOutputMessage, Tuple, TupleCell } from './pgoutput/messages.js';
export { type ColumnTypes, loadColumnTypes, type PgColumnType } from './types/pg-column-type.js';
export {
  acceptsColumn,
  coerceTyped,
  projectColumn,
  type ScalarDescriptor,
  scalarDescriptors,
} from './types/scalar-descriptors.js';
export type { ValueNote, ValueNoteCounts } from './types/value-notes.js';
