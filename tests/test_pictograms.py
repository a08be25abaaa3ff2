"""Our own pictograms: one for each condition and step, the compass and the action, bold, single-coloured, and with a
PNG beside each SVG."""

import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from kompas.base.resources import ASSETS_DIR, pictogram
from kompas.domain.model import Condition, Step

SUBJECTS = [*Condition, *Step, "kompas", "actie"]


@pytest.mark.parametrize("subject", SUBJECTS, ids=str)
def test_every_condition_and_step_has_an_svg_and_a_png(subject):
    svg = ASSETS_DIR / pictogram(subject)
    png = ASSETS_DIR / pictogram(subject, "png")
    root = ET.parse(svg).getroot()
    assert root.get("viewBox") == "0 0 96 96"
    with Image.open(png) as image:
        assert image.size == (192, 192)
        assert image.mode == "RGBA"


@pytest.mark.parametrize("subject", SUBJECTS, ids=str)
def test_pictograms_read_in_black_and_white(subject):
    """Dark ink on nothing: printed in grey it keeps its shape, and it fills enough of its square to read at 48 px."""
    with Image.open(ASSETS_DIR / pictogram(subject, "png")) as image:
        alpha = image.getchannel("A")
        grey = image.convert("L")
    inked = [g for g, a in zip(grey.tobytes(), alpha.tobytes()) if a > 200]
    coverage = len(inked) / (192 * 192)
    assert 0.12 < coverage < 0.75, coverage
    assert max(inked) < 80, "ink must be dark enough to print in grey"


@pytest.mark.parametrize("subject", SUBJECTS, ids=str)
def test_pictograms_use_one_colour_and_no_text(subject):
    text = (ASSETS_DIR / pictogram(subject)).read_text()
    assert "<text" not in text
    colours = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}", text)}
    assert colours <= {"#1b2a41", "#ffffff"}
