// The flusso pipeline: ingest, per-sink lanes, watermark.
