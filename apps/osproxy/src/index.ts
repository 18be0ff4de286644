// The osproxy server.
