"""The app's colours, shared by the screens and the poster: dark ink on light, warm tints."""

from __future__ import annotations

from kompas.domain.model import Condition

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

# Four tints that stay four when printed in grey: 244, 232, 220 and 208 (Pillow's "L"), 12 apart, all light enough
# for ink at 9:1 or more. The two cells side by side in each row of the compass differ by 24.
CONDITION_COLOURS: dict[Condition, str] = {
    Condition.JEZELF_ZIJN: "#FFF4D6",
    Condition.ERTOE_DOEN: "#F9D2C4",
    Condition.MEEDOEN: "#DAF1E0",
    Condition.ERBIJ_HOREN: "#C0D2EC",
}
