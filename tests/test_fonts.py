"""Every letter and emoji a client writes has a glyph in the fonts the screens carry (offline, there are no others)."""

import unicodedata

from fontTools.ttLib import TTFont
from test_words import SCRIPTS

from kompas.base.resources import ASSETS_DIR
from kompas.ui import theme


def test_the_screens_fonts_cover_every_script_and_emoji_a_client_writes():
    files = {**theme.FONTS, **theme.LATE_FONTS}
    chain = [theme.FONT, *theme.FONT_FALLBACK]
    assert set(chain) <= set(files), "a fallback family without a font file"
    covered: set[int] = set()
    for family in chain:
        covered |= set(TTFont(ASSETS_DIR / files[family]).getBestCmap())
    for text in [*SCRIPTS, "🎂 👩‍👧 ❤️ 🍲 ★ € … «» „“"]:
        # Joiners and variation selectors have no glyph of their own: they change the ones around them.
        missing = [c for c in text if ord(c) not in covered and unicodedata.category(c) not in ("Cf", "Mn", "Zs")
                   and not 0xFE00 <= ord(c) <= 0xFE0F]
        assert not missing, (text, missing)


def test_every_text_style_a_screen_gives_carries_the_script_fallbacks():
    # A style given to one control replaces the theme's: without the fallbacks its Arabic or Tigrinya words are boxes
    # (a switch's label, and once the floating "Voorlezen" button, were). Every style comes from theme.text_style.
    from pathlib import Path

    ui = Path(__file__).resolve().parent.parent / "kompas" / "ui"
    bare = [f"{path.name}:{n}" for path in sorted(ui.glob("*.py")) if path.name != "theme.py"
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "ft.TextStyle(" in line]
    assert bare == []
    from kompas.ui import theme

    assert theme.text_style().font_family_fallback == theme.FONT_FALLBACK
