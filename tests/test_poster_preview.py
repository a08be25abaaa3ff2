"""The poster preview: drawn off the event loop, only the newest of quick changes, and photos read once."""

from __future__ import annotations

import asyncio
import io
import os
import threading
import time
from datetime import date

import pytest
from PIL import Image

from kompas.domain.model import Kompas, Paper, Photo, PosterChoice
from kompas.poster.render import PREVIEW_DPI, clear_caches, photo_frames, preview_photos, preview_png
from kompas.ui.poster import Latest

TODAY = date(2026, 11, 21)
COLOURS = [(200, 40, 40), (40, 160, 60), (40, 60, 200), (220, 180, 20), (150, 40, 160), (20, 170, 170)]


def run(coroutine):
    return asyncio.run(coroutine)


def test_quick_changes_draw_one_preview_for_the_last_of_them():
    async def scenario():
        latest = Latest(settle_s=0.5)  # long beside the taps, so a busy test machine cannot split them
        drawn = []

        def draw(n):
            drawn.append(n)
            return n

        requests = []
        for n in range(5):  # five quick taps
            requests.append(asyncio.create_task(latest.run(lambda n=n: draw(n))))
            await asyncio.sleep(0.01)
        return drawn, await asyncio.gather(*requests)

    drawn, results = run(scenario())
    assert drawn == [4]
    assert results == [None, None, None, None, 4]


def test_a_slow_old_preview_never_replaces_a_newer_one():
    async def scenario():
        latest = Latest()
        landed = []

        async def show(work):
            result = await latest.run(work, wait=False)
            if result is not None:
                landed.append(result)

        def slow():
            time.sleep(0.3)
            return "old"

        older = asyncio.create_task(show(slow))
        await asyncio.sleep(0.05)  # the old one is being drawn
        await show(lambda: "new")
        await older
        return landed

    assert run(scenario()) == ["new"]


def test_the_screen_stays_responsive_while_a_preview_is_drawn():
    async def scenario():
        latest = Latest()
        loop_thread = threading.get_ident()
        ticks = 0

        async def heartbeat():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        beating = asyncio.create_task(heartbeat())

        def draw():
            time.sleep(0.3)  # as long as a slow phone takes
            return threading.get_ident()

        drawn_in = await latest.run(draw, wait=False)
        beating.cancel()
        return loop_thread, drawn_in, ticks

    loop_thread, drawn_in, ticks = run(scenario())
    assert drawn_in != loop_thread
    assert ticks >= 5, "taps and keystrokes are handled while the preview is drawn"


def test_a_preview_still_being_drawn_when_the_screen_closes_is_dropped():
    async def scenario():
        latest = Latest()
        drawing = asyncio.create_task(latest.run(lambda: time.sleep(0.1) or "late", wait=False))
        await asyncio.sleep(0.02)
        latest.forget()
        return await drawing

    assert run(scenario()) is None


@pytest.fixture
def with_photos(tmp_path):
    """A kompas with six photos on the poster, stored as the app stores them."""
    (tmp_path / "photos").mkdir()
    photos = []
    for i, colour in enumerate(COLOURS):
        Image.new("RGB", (1600, 1200), colour).save(tmp_path / "photos" / f"p{i}.jpg", "JPEG", quality=88)
        photos.append(Photo(f"photos/p{i}.jpg", f"photos/p{i}-klein.jpg", f"2026-11-0{i + 1}T10:00", on_poster=True))
    clear_caches()
    yield Kompas(photos=photos), tmp_path
    clear_caches()


def test_the_preview_shows_the_chosen_photos_in_their_frames(with_photos):
    kompas, data_dir = with_photos
    with Image.open(io.BytesIO(preview_png(kompas, PosterChoice(), TODAY, data_dir))) as preview:
        preview = preview.convert("RGB")
    assert preview.size == (round(210 / 25.4 * PREVIEW_DPI), round(297 / 25.4 * PREVIEW_DPI))
    frames = photo_frames(Paper.A4, PREVIEW_DPI)
    scale = PREVIEW_DPI / 25.4
    left = 12 * scale
    for colour, (width, height) in zip(COLOURS, frames):
        middle = preview.getpixel((round(left + width / 2), round((241 + 37 / 2) * scale)))
        assert all(abs(a - b) <= 12 for a, b in zip(middle, colour)), (middle, colour)
        left += width + 3.6 * scale


def test_the_photos_are_read_once_for_all_later_previews(with_photos, monkeypatch):
    kompas, data_dir = with_photos
    opened = []
    real_open = Image.open

    def counting_open(path, *args, **kwargs):
        if str(data_dir) in str(path):
            opened.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(Image, "open", counting_open)
    preview_png(kompas, PosterChoice(), TODAY, data_dir)
    assert len(opened) == 6
    for name in ("S", "Sa", "Sam"):  # typing a name
        preview_png(kompas, PosterChoice(name=name), TODAY, data_dir)
    assert len(opened) == 6

    # A photo written anew is read anew; the others are not.
    first = data_dir / kompas.photos[0].file
    Image.new("RGB", (1600, 1200), "black").save(first, "JPEG")
    os.utime(first, ns=(time.time_ns(), time.time_ns() + 10**9))
    preview_png(kompas, PosterChoice(), TODAY, data_dir)
    assert opened[6:] == [str(first)]


def test_each_preview_photo_fits_its_own_frame_and_a_missing_one_is_skipped(with_photos):
    kompas, data_dir = with_photos
    for paper in Paper:
        sizes = [image.size for image in preview_photos(kompas, data_dir, paper)]
        assert sizes == photo_frames(paper, PREVIEW_DPI)
    (data_dir / kompas.photos[2].file).unlink()
    shown = preview_photos(kompas, data_dir, Paper.A4)
    assert [image.getpixel((5, 5)) for image in shown] == [
        pytest.approx(c, abs=12) for i, c in enumerate(COLOURS) if i != 2
    ]
    assert [image.size for image in shown] == photo_frames(Paper.A4, PREVIEW_DPI)[:5]
