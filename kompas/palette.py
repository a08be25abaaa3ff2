"""The app's colours, shared by the screens and the poster: dark ink on light, warm tints."""

from __future__ import annotations

from kompas.model import Condition

__all__ = ["CARD", "CONDITION_COLOURS", "INK", "INK_SOFT", "LINE", "PAPER", "ACCENT", "STAR", "WRITE_LINE"]

# Every tint below keeps dark ink above 7:1 (WCAG AAA), and stays light when printed in grey.
INK = "#1B2A41"
INK_SOFT = "#3D4A5C"
PAPER = "#FBF8F3"
CARD = "#FFFFFF"
ACCENT = "#1E5B8C"
STAR = "#8A5A00"
LINE = "#C9CED6"
# Lines to write on by hand: visible on paper, quiet next to printed words.
WRITE_LINE = "#8C96A3"

CONDITION_COLOURS: dict[Condition, str] = {
    Condition.JEZELF_ZIJN: "#FCE6B8",
    Condition.ERTOE_DOEN: "#FAD4C8",
    Condition.MEEDOEN: "#D2ECD9",
    Condition.ERBIJ_HOREN: "#D6E4F5",
}
