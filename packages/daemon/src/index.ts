// Assembles and runs flusso from a Config: config and schema loading, status, lag.
