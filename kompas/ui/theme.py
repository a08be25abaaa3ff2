"""Every colour, size and spacing of the app in one place: large text, strong contrast, 48 px taps."""

from __future__ import annotations

import flet as ft

# Colours live in kompas.domain.palette, shared with the poster; the screens take them from here.
from kompas.domain.palette import ACCENT, CARD, CONDITION_COLOURS, INK, INK_SOFT, LINE, PAPER, STAR  # noqa: F401

# Text and icons on the accent colour, as on Material's filled buttons.
ON_ACCENT = "#FFFFFF"
# For the one button that erases a whole kompas: a dark red that keeps 7:1 on white.
DANGER = "#8B1A1A"
# The dot and frame of a recording that is running: the red every phone uses for it, 6:1 on white.
RECORDING = "#B3261E"

# Smallest tap target, for thumbs on a cracked screen (WCAG 2.5.5, Material).
TAP = 48
PICTOGRAM = 48
PICTOGRAM_LARGE = 72
PICTOGRAM_SMALL = 32
PICTOGRAM_CHIP = 40
ROSE = 52
# Three compass tiles and the rose fit side by side on a 360 px phone.
COMPASS_TILE = 116
PHONE_EDGE = 12
GAP = 8
PAD = 16
RADIUS = 16

TEXT_SMALL = 16
TEXT_BODY = 18
TEXT_LARGE = 22
# 24, not more: with the text at 200% a title's longest word ("холодильник") must still fit a phone's width.
TEXT_TITLE = 24

# Offline web mode has no system fonts to fall back on: without these, a note
# typed in Arabic or Tigrinya, or with an emoji, shows as empty boxes.
FONT = "Noto Sans"
# Emoji too: clients write 🎂 and 👩‍👧 in their notes, and offline there is no system emoji font either.
FONT_FALLBACK = ["Noto Sans Arabic", "Noto Sans Ethiopic", "Noto Stars", "Noto Emoji"]
FONTS = {
    "Noto Sans": "fonts/NotoSans-Regular.ttf",
    "Noto Sans Arabic": "fonts/NotoSansArabic-Regular.ttf",
    "Noto Sans Ethiopic": "fonts/NotoSansEthiopic-Regular.ttf",
    # The poster's two stars (★ ☆), which no other font here has; a client may type them too.
    "Noto Stars": "fonts/NotoSansSymbols2-Stars.ttf",
}
# Loaded just after the first screen is drawn: its 870 kB held the first screen back by a third, and an emoji
# shows as a box for that moment only.
LATE_FONTS = {"Noto Emoji": "fonts/NotoEmoji-Regular.ttf"}

# The wide layout keeps the compass at a phone's width beside the open page.
SIDE_PANEL = 440
CONTENT_MAX = 720


def app_theme() -> ft.Theme:
    button_style = ft.ButtonStyle(
        # 16 px beside a button's words, not Material's 24: with the text at 200% a long word ("Belemmeringen") must
        # still fit on a phone's width.
        padding=ft.Padding.symmetric(horizontal=16, vertical=14),
        # A button's words are drawn with this style alone: without the fallbacks, Tigrinya and Arabic were boxes.
        text_style=ft.TextStyle(size=TEXT_BODY, weight=ft.FontWeight.W_600, font_family=FONT,
                                font_family_fallback=FONT_FALLBACK),
        shape=ft.RoundedRectangleBorder(radius=RADIUS),
    )
    return ft.Theme(
        color_scheme_seed=ACCENT,
        color_scheme=ft.ColorScheme(primary=ACCENT, on_surface=INK, surface=PAPER),
        scaffold_bgcolor=PAPER,
        visual_density=ft.VisualDensity.STANDARD,
        button_theme=ft.ButtonTheme(style=button_style),
        filled_button_theme=ft.FilledButtonTheme(style=button_style),
        outlined_button_theme=ft.OutlinedButtonTheme(style=button_style),
        text_button_theme=ft.TextButtonTheme(style=button_style),
        font_family=FONT,
        text_theme=ft.TextTheme(**{slot: _style(slot) for slot in _TEXT_SLOTS}),
    )


_TEXT_SLOTS = [
    f"{kind}_{size}"
    for kind in ("display", "headline", "title", "body", "label")
    for size in ("large", "medium", "small")
]


def text_style(size: int = TEXT_BODY, color: str = INK, weight: ft.FontWeight | None = None) -> ft.TextStyle:
    """A text style for a control that takes one (a switch's label): it carries the script fallbacks too, or a
    Tigrinya or Arabic label is drawn as boxes (a style given to a control replaces the theme's)."""
    return ft.TextStyle(size=size, color=color, weight=weight, font_family=FONT, font_family_fallback=FONT_FALLBACK)


def _style(slot: str) -> ft.TextStyle:
    """Every text style carries the script fallbacks, so the client's words render in any script."""
    sizes = {"body_large": TEXT_BODY, "body_medium": TEXT_BODY, "body_small": TEXT_SMALL, "title_large": TEXT_TITLE}
    return ft.TextStyle(size=sizes.get(slot), color=INK, font_family=FONT, font_family_fallback=FONT_FALLBACK)
