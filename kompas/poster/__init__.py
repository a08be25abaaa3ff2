"""The printable poster: pure renderers from a kompas to pixels, PDF and PNG."""
