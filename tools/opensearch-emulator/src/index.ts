// An in-memory OpenSearch emulator speaking the REST wire protocol, for tests and the demo.
export { type DispatchRequest, type DispatchResponse, dispatch } from './dispatch.js';
export { OsError } from './errors.js';
export { Faults, type ItemRejection, type LoggedRequest } from './faults.js';
export { type Emulator, type EmulatorOptions, startEmulator } from './server.js';
export { Store } from './store.js';
