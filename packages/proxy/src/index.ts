// The osproxy pipeline: tenancy, placement, rewrite, response shaping, cursors.
export { type ClassifyOptions, classify } from './classify/classify.js';
export { CursorSealer, type OpenedCursor } from './cursor/cursor-seal.js';
export { type CursorMac, hmacSha256 } from './cursor/mac.js';
export {
  parseTimeValue,
  SearchContexts,
  type SearchContextsOptions,
} from './cursor/search-contexts.js';
export type { EndpointKind, Route } from './endpoints/endpoint-kind.js';
export { endpoints } from './endpoints/table.js';
export type { CursorAction } from './handlers/cursor.js';
export {
  checkPassthrough,
  type PassthroughPolicy,
  type PassthroughRequest,
  type PassthroughRoute,
} from './handlers/passthrough.js';
export type { PipelineDeps } from './pipeline/context.js';
export {
  type ExplainDraft,
  ExplainLog,
  type ExplainObserver,
  type ExplainRecord,
} from './pipeline/explain.js';
export { forwardHeaders, headerAllowlist } from './pipeline/forward-headers.js';
export { type PipelineOptions, ProxyPipeline } from './pipeline/pipeline.js';
export {
  InMemoryPlacementTable,
  type InMemoryPlacementTableOptions,
} from './placement/in-memory-placement-table.js';
export {
  type ExtraReservation,
  type Reservation,
  type ReservedKind,
  ReservedNames,
} from './placement/reserved-names.js';
export { decodeJsonResponse, errorResponse, jsonResponse } from './request/json-body.js';
export {
  isProxyError,
  isRequestErrorCode,
  ProxyError,
  type RequestErrorCode,
  requestErrorCodes,
} from './request/proxy-error.js';
export type { ProxyMethod, ProxyRequest, ProxyResponse } from './request/proxy-request.js';
export {
  type AnswerableError,
  type AnswerCode,
  answerError,
  isAnswerable,
  requestStatus,
  upstreamAnswers,
  writeQueueAnswers,
} from './request/request-status.js';
export { type DocIdCodec, docIdCodec } from './rewrite/doc-id.js';
export { isSuccess } from './shape/upstream-reply.js';
export { ReferenceTenancy, type ReferenceTenancyOptions } from './tenancy/reference-tenancy.js';
