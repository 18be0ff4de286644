// Benchmarks for flusso and osproxy.
