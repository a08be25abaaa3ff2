"""Brings a kompas written by an older app up to today's schema, one version at a time."""

from __future__ import annotations

from typing import Any, Callable

__all__ = ["SCHEMA_VERSION", "STEPS", "app_version", "migrate"]

# The schema of the kompas file this app writes. Raise it with every change to what a stored kompas looks like, and
# add the step from the version before: STEPS[n] turns a kompas of schema n into one of schema n + 1.
SCHEMA_VERSION = 2


def _voice_notes(tables: dict[str, Any]) -> dict[str, Any]:
    """1 to 2: voice notes came in. A note, the action, a check-in and a look-back may now hold a "voice", and the
    kompas the voice notes still "waiting" for their form. A kompas of schema 1 has none, and needs no change; the
    number itself is what matters, since an app of schema 1 would drop the voice notes when it wrote the file."""
    return tables


# Version 1 is the first schema the app ever wrote; tests/fixtures/schema-<n> holds a kompas of each. A step takes the
# file's tables (plain JSON) and returns them changed; it must not fail on anything that schema allowed, and it never
# needs to set the schema number, which migrate() does.
STEPS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _voice_notes}


def migrate(tables: dict[str, Any]) -> dict[str, Any]:
    """The tables at SCHEMA_VERSION; KeyError when a step is missing (a file from no app that ever was)."""
    version = tables["meta"]["1"]["schema"]
    while version < SCHEMA_VERSION:
        tables = STEPS[version](tables)
        version += 1
        tables["meta"]["1"]["schema"] = version
    return tables


def app_version() -> str:
    """This app's version, as written into a .kompas file's manifest for whoever reads it later."""
    from importlib import metadata  # only when a file is made: it costs the app's start several milliseconds

    try:
        return metadata.version("kompas")
    except metadata.PackageNotFoundError:  # a phone build carries the code without its package metadata
        return "unknown"
