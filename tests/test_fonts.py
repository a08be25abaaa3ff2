"""Every letter and emoji a client writes has a glyph in the fonts the screens carry (offline, there are no others)."""

import unicodedata

from fontTools.ttLib import TTFont
from test_words import SCRIPTS

from kompas.resources import ASSETS_DIR
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
