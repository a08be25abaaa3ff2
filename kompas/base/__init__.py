"""Plain helpers every part may use: the one clock, safe file writes, where the app's own files are."""
