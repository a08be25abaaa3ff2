"""Everything Flet: the screens and the server; the only package that imports flet."""
