// Shared vocabulary for every flusso and osproxy package.
export { type BackoffPolicy, backoffDelay, defaultBackoff } from './backoff/backoff.js';
export { type Clock, systemClock } from './clock/clock.js';
export { DeadlineQueue, Due } from './clock/deadline-queue.js';
export {
  type Change,
  type ChangeEvent,
  type QualifiedTable,
  type Row,
  type RowKey,
  tableKey,
} from './contracts/change.js';
export type { ChangeCapture, Continuity, SnapshotPage, SnapshotScope } from './contracts/change-capture.js';
export type { BuiltDocument, DocumentBuilder, IndexSpec, Resolution } from './contracts/document-builder.js';
export type { FlushReport, ItemRejection, Sink } from './contracts/sink.js';
export { withVersion } from './contracts/versioned.js';
export {
  CodedError,
  type CodedErrorOptions,
  describeError,
  type ErrorContext,
} from './errors/coded-error.js';
export {
  isPipelineErrorCode,
  isRetryable,
  type PipelineErrorCode,
  pipelineErrorCodes,
} from './errors/error-code.js';
export { FlussoError, isFlussoError } from './errors/flusso-error.js';
export {
  type ExactJson,
  type ExactObject,
  exactNumber,
  isExactObject,
  isJsonNumberText,
  isRawNumber,
  RawNumber,
} from './json/exact-json.js';
export {
  rememberDocumentText,
  rememberExactText,
  rememberedDocumentText,
} from './json/exact-text.js';
export { parseExactJson } from './json/parse-exact.js';
export { stringifyExact } from './json/stringify-exact.js';
export { formatLsn, type Lsn, lsnFromBigInt, maxLsn, minLsn, parseLsn, zeroLsn } from './lsn/lsn.js';
export {
  type ClusterId,
  type ColumnName,
  type FieldName,
  type IndexName,
  type NameKind,
  type PartitionId,
  parseClusterId,
  parseColumnName,
  parseFieldName,
  parseIndexName,
  parsePartitionId,
  parseSchemaName,
  parseTableName,
  quoteIdent,
  type SchemaName,
  type TableName,
} from './names/names.js';
export {
  defaultIndexField,
  defaultOsproxyIndex,
  defaultTenantField,
  layoutDocumentId,
  layoutIdPrefix,
  layoutInjectedFields,
  layoutLogicalId,
  layoutPhysicalIndex,
  layoutRouting,
  type OsproxyLayout,
  type OsproxyLayoutOptions,
  osproxyLayout,
  renderLayoutTemplate,
} from './osproxy-layout/osproxy-layout.js';
export {
  type FailurePolicies,
  type FailurePolicy,
  policyFor,
  stopOnFailure,
} from './policy/failure-policy.js';
export {
  type AggregateField,
  type AggregateFn,
  type ConstantField,
  type Field,
  type Filter,
  type FilterOp,
  filterOps,
  type GeoField,
  type IndexSchema,
  type JoinField,
  type JoinVerb,
  type KeyColumns,
  keyColumns,
  type MapField,
  type ObjectField,
  type OrderBy,
  type ScalarField,
  type ScalarType,
  type SoftDelete,
  scalarTypes,
  type Through,
} from './schema/index-schema.js';
export { type TenantSpec, tenantDocumentField, tenantField, tenantOfDocument } from './schema/tenant.js';
export { type Epoch, nextEpoch, parseEpoch } from './tenancy/epoch.js';
export type { Phase, Placement, PlacementMode, PlacementState } from './tenancy/placement.js';
export type { Target, UpstreamEndpoint } from './tenancy/target.js';
export type { DocIdRule, PartitionSource, Principal, TenancySpi } from './tenancy/tenancy-spi.js';
export {
  childSpan,
  formatTraceparent,
  newTraceContext,
  parseB3,
  parseTraceparent,
  type TraceContext,
  traceHeaders,
} from './trace/trace-context.js';
export { type DocumentId, documentIdFromTexts, documentIdFromValues } from './values/document-id.js';
export { isJsonObject, type JsonObject, type JsonPrimitive, type JsonValue } from './values/json.js';
export { nullValue, type Value, type ValueKind, valueToJson, valueToText } from './values/value.js';
