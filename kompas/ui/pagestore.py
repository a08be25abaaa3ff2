"""What one page keeps while it lives (its kompas session, speaker and recorder), in its Flet session's own store."""

from __future__ import annotations

from typing import Any

import flet as ft

__all__ = ["kept", "keep", "let_go"]


def _store(page: ft.Page):
    try:
        return page.session.store
    except RuntimeError:  # the page's Flet session is gone altogether, and all it kept with it
        return None


def kept(page: ft.Page, key: str) -> Any:
    """What the page keeps under `key`; None when it keeps nothing there, or is gone."""
    store = _store(page)
    return store.get(key) if store is not None else None


def keep(page: ft.Page, key: str, value: Any) -> None:
    """Keep `value` with the page: it goes when the page's Flet session ends, if not let go of before."""
    store = _store(page)
    if store is not None:
        store.set(key, value)


def let_go(page: ft.Page, key: str) -> Any:
    """Take what the page keeps under `key` away from it, and return it (None when there was nothing)."""
    store = _store(page)
    if store is None or not store.contains_key(key):
        return None
    value = store.get(key)
    store.remove(key)
    return value
