"""Kompas: the digital Krachtkompas, kept on the client's own device."""

__version__ = "0.1.0"
