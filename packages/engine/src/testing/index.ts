// Test doubles for the engine's roles, for this package's and the daemon's tests.
export { MapDocumentBuilder, usersIndex } from './map-document-builder.js';
export { MemoryDeadLetterStore } from './memory-dead-letter-store.js';
export { MemorySink, type MemorySinkOptions } from './memory-sink.js';
export {
  type AckLog,
  intKey,
  ScriptedCapture,
  type ScriptedCaptureOptions,
  userChange,
  usersTable,
} from './scripted-capture.js';
