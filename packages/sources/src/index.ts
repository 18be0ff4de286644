// Change capture and document building for Postgres.
export type { BuiltDocument, DocumentBuilder, IndexSpec, Resolution } from './builder/document-builder.js';
export type { Change, ChangeEvent, QualifiedTable, Row, RowKey } from './capture/change.js';
export { tableKey } from './capture/change.js';
export type { ChangeCapture, Continuity, SnapshotPage, SnapshotScope } from './capture/change-capture.js';
