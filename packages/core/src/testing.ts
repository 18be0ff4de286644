// Test doubles for core services, on their own entry so production code never imports them.
export { ManualClock } from './clock/manual-clock.js';
export { MapDocumentBuilder, usersIndex } from './contracts/map-document-builder.js';
export { MemorySink, type MemorySinkOptions } from './contracts/memory-sink.js';
export {
  type AckLog,
  intKey,
  ScriptedCapture,
  type ScriptedCaptureOptions,
  userChange,
  usersTable,
} from './contracts/scripted-capture.js';
