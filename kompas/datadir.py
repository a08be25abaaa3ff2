"""Which folder holds the client's data: --data, else KOMPAS_DATA, else Flet's app folder, else the user's."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

import platformdirs

__all__ = ["resolve_data_dir"]


def resolve_data_dir(option: str | None, environ: Mapping[str, str] = os.environ) -> Path:
    """The data folder, read once at start-up and handed down from there."""
    for candidate in (option, environ.get("KOMPAS_DATA"), environ.get("FLET_APP_STORAGE_DATA")):
        if candidate:
            return Path(candidate).expanduser().resolve()
    # On phones Flet sets FLET_APP_STORAGE_DATA; elsewhere use the platform's own place.
    return Path(platformdirs.user_data_dir("kompas", appauthor=False))
