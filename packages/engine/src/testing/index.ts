// Test doubles for the engine's own roles (the dead-letter store); doubles of the
// capture, builder and sink contracts live in `@flusso/core/testing`.
export { MemoryDeadLetterStore } from './memory-dead-letter-store.js';
