// The flusso CLI.
