// An in-memory OpenSearch emulator speaking the REST wire protocol, for tests and the demo.
