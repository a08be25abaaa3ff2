"""Finding text that a screen cuts off, words broken in two, and controls pushed off the screen, in a real Chromium.

Flutter draws on a canvas, so there is no DOM text to measure. Two things together tell where each text is and
what it needs:
- Flutter's accessibility tree (`flt-semantics`) gives each text, switch, field and button its box on screen;
- the controls the server sends over the websocket give each text its size and weight.
The room a text needs is measured with CanvasKit, Flutter's own text engine, loaded into the page with the app's
own fonts, so a line breaks where Flutter breaks it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import msgpack

# What Flutter draws around a text inside a control, in logical pixels (Material 3's own sizes, as Flet uses them).
SWITCH = 60  # the switch itself, with its gap to the label
FIELD_PADDING = 2 * 12  # an outlined text field's label sits 12 px in from each side
FIELD_EYE = 48  # the show-password button at the end of a passphrase field
BUTTON_PADDING = 2 * 16  # the app's buttons: 16 px on either side (theme.app_theme)
BUTTON_ICON = 18  # a button's icon
BUTTON_VERTICAL = 2 * 14
# Text sizes the theme gives where a control sets none (kompas/ui/theme.py): body text, and the buttons' words.
BODY = 18
# Line height and letter spacing, as Material 3's text theme (which the app's theme keeps) gives them: a Text is
# "body medium" (20/14, 0.25 px), a field's label "body large" (1.5, 0.5 px); the app's buttons set their own style,
# which has neither. Lines are spread evenly above and below (Material 3's even leading).
TEXT = (20 / 14, 0.25)
LABEL = (1.5, 0.5)
BUTTON = (0, 0)
# Every text size the app uses (kompas/ui/theme.py, and Flutter's own 14 and 16).
SIZES = (14, 16, 18, 22, 24)
# A few pixels for rounding: Flutter places boxes on fractional pixels.
SLACK = 2.0

_FONTS = {
    "Noto Sans": "fonts/NotoSans-Regular.ttf",
    "Noto Sans Arabic": "fonts/NotoSansArabic-Regular.ttf",
    "Noto Sans Ethiopic": "fonts/NotoSansEthiopic-Regular.ttf",
    "Noto Stars": "fonts/NotoSansSymbols2-Stars.ttf",
}

# Loads CanvasKit (shipped with Flet's web client) and the app's fonts once per page; then measures paragraphs.
_MEASURE = r"""
async ([fonts, items]) => {
  if (!window.kompasText) {
    const {default: init} = await import('/canvaskit/canvaskit.js');
    const ck = await init({locateFile: file => '/canvaskit/' + file});
    const provider = ck.TypefaceFontProvider.Make();
    for (const [family, file] of Object.entries(fonts)) {
      provider.registerFont(await (await fetch('/' + file)).arrayBuffer(), family);
    }
    const collection = ck.FontCollection.Make();
    collection.setDefaultFontManager(provider);
    window.kompasText = {ck, collection, families: Object.keys(fonts)};
  }
  const {ck, collection, families} = window.kompasText;
  return items.map(([text, size, bold, width, rtl, lineHeight, spacing]) => {
    const style = new ck.ParagraphStyle({
      textStyle: {fontFamilies: families, fontSize: size, heightMultiplier: lineHeight, halfLeading: true,
                  letterSpacing: spacing, fontStyle: {weight: bold ? ck.FontWeight.Bold : ck.FontWeight.Normal}},
      textDirection: rtl ? ck.TextDirection.RTL : ck.TextDirection.LTR,
      applyRoundingHack: false,
    });
    const layout = (words, room) => {
      const builder = ck.ParagraphBuilder.MakeFromFontCollection(style, collection);
      builder.addText(words);
      const paragraph = builder.build();
      paragraph.layout(room);
      const result = [paragraph.getHeight(), paragraph.getMaxIntrinsicWidth(), paragraph.getLineMetrics().length];
      paragraph.delete();
      builder.delete();
      return result;
    };
    const [height, oneLine, lines] = layout(text, Math.max(width, 1));
    // Each word on a line of its own (a word ends at a space or a zero-width space): the widest must fit the box.
    const longestWord = Math.max(0, ...text.split(/[\s\u200b]+/).filter(Boolean).map(word => layout(word, 1e6)[1]));
    return [height, longestWord, lines, oneLine];
  });
}
"""

# Every node of Flutter's accessibility tree: its box, role, name, shown text, and the node it sits in.
_NODES = """
() => Array.from(document.querySelectorAll('flt-semantics')).map(node => {
  const box = node.getBoundingClientRect();
  const parent = node.parentElement && node.parentElement.closest('flt-semantics');
  const span = node.querySelector(':scope > span');
  const input = node.querySelector(':scope > input, :scope > textarea');
  return {
    id: node.id, parent: parent ? parent.id : null,
    left: box.left, top: box.top, width: box.width, height: box.height,
    role: node.getAttribute('role') || (input ? 'textbox' : ''),
    label: (input ? input.getAttribute('aria-label') : node.getAttribute('aria-label')) || '',
    text: span ? span.textContent : (node.getAttribute('role') === 'button' ? node.textContent : ''),
    scrolls: getComputedStyle(node).overflowY === 'scroll',
    password: !!(input && input.type === 'password'),
  };
})
"""


@dataclass
class Shown:
    """What the server asked the browser to draw: each text's size and weight, and what each named tile holds."""

    # Each text's size and weight; a text shown at two sizes (a title in the header and on the page) is measured
    # at the smaller, so that no text is called cut off that is not.
    sizes: dict[str, tuple[float, bool]] = field(default_factory=dict)
    # A tile read out by one name ("Meedoen: openen"): the texts drawn inside it, and its padding left and right.
    tiles: dict[str, tuple[list[tuple[str, float, bool]], float]] = field(default_factory=dict)
    buttons: dict[str, bool] = field(default_factory=dict)  # a button's word, and whether it has an icon
    switches: set[str] = field(default_factory=set)
    floating: set[str] = field(default_factory=set)  # labels drawn on a text field's border
    passphrases: set[str] = field(default_factory=set)  # ...with the show-password eye inside the field

    def frame(self, payload: bytes | str) -> None:
        """One websocket message from the server (a type byte, then msgpack)."""
        if isinstance(payload, str) or not payload or payload[0] != 0:
            return
        try:
            message = msgpack.unpackb(payload[1:], raw=False, strict_map_key=False, ext_hook=lambda _code, _data: None)
        except (ValueError, msgpack.UnpackException):
            return
        self._walk(message, padding=0.0)

    def _walk(self, value, padding: float) -> None:
        if isinstance(value, list):
            for item in value:
                self._walk(item, padding)
            return
        if not isinstance(value, dict):
            return
        kind = value.get("_c")
        if kind == "Container":
            padding = _horizontal(value.get("padding")) + _border(value.get("border"))
        elif kind == "Text" and isinstance(value.get("value"), str):
            size = (float(value.get("size") or BODY), _bold(value.get("weight")))
            self.sizes[value["value"]] = min(self.sizes.get(value["value"], size), size)
        elif kind == "Semantics" and value.get("exclude_semantics") and isinstance(value.get("label"), str):
            texts: list[tuple[str, float, bool]] = []
            _texts(value.get("content"), texts)
            self.tiles[value["label"]] = (texts, padding)
        elif kind == "Switch" and isinstance(value.get("label"), str):
            self.switches.add(value["label"])
        elif kind == "TextField" and isinstance(value.get("label"), str):
            self.floating.add(value["label"])
            if value.get("can_reveal_password"):
                self.passphrases.add(value["label"])
        elif kind in ("FilledButton", "OutlinedButton", "TextButton", "Button") and isinstance(value.get("content"), str):
            self.buttons[value["content"]] = value.get("icon") is not None
        for key, item in value.items():
            if key != "_c":
                self._walk(item, padding)


def _texts(value, found: list[tuple[str, float, bool]]) -> None:
    if isinstance(value, list):
        for item in value:
            _texts(item, found)
    elif isinstance(value, dict):
        if value.get("_c") == "Text" and isinstance(value.get("value"), str):
            found.append((value["value"], float(value.get("size") or BODY), _bold(value.get("weight"))))
        for item in value.values():
            _texts(item, found)


def _bold(weight) -> bool:
    return weight in ("bold", "w600", "w700", "w800", "w900")


def _horizontal(padding) -> float:
    if isinstance(padding, (int, float)):
        return 2.0 * padding
    if isinstance(padding, dict):
        return float(padding.get("left") or 0) + float(padding.get("right") or 0)
    return 0.0


def _border(border) -> float:
    """The width a container's border takes from its content, left and right."""
    if not isinstance(border, dict):
        return 0.0
    sides = [border.get(side) for side in ("left", "right")]
    return sum(float(side.get("width", 1.0)) if isinstance(side, dict) and side.get("style") != "none" else 0.0
               for side in sides)


def watch(page) -> Shown:
    """Start noting what the server sends this page; call before it opens the app."""
    shown = Shown()
    page.on("websocket", lambda socket: socket.on("framereceived", shown.frame))
    return shown


def problems(page, shown: Shown, scale: float = 1.0, rtl: bool = False) -> list[str]:
    """Everything on the screen now that is cut off, broken mid-word, or outside the screen's width."""
    width = page.viewport_size["width"]
    nodes = page.evaluate(_NODES)
    by_id = {node["id"]: node for node in nodes}
    found: list[str] = []
    wanted: list[tuple] = []  # (rule, text, size, bold, (line height, letter spacing), width, height)

    for node in nodes:
        name = node["text"] or node["label"]
        if not node["width"] or not node["height"] or _cut_by_scrolling(node, by_id):
            continue
        right, left = node["left"] + node["width"], node["left"]
        if node["role"] and (left < -SLACK or right > width + SLACK):
            found.append(f"{_say(name)} ({node['role']}) lies outside the screen: {left:.0f}..{right:.0f} of {width}")
        parent = by_id.get(node["parent"])
        if parent and parent["width"] and not parent["scrolls"] and (
                left < parent["left"] - SLACK or right > parent["left"] + parent["width"] + SLACK):
            found.append(f"{_say(name)} sticks out of the box it is in")
        if node["role"] == "switch" and node["label"] in shown.switches:
            # Flet's own label: on one line beside the switch.
            wanted.append(("fits", node["label"], BODY, False, TEXT, node["width"] - SWITCH, node["height"]))
        elif node["role"] == "switch" and node["label"]:
            wanted.append(("words", node["label"], BODY, False, TEXT, node["width"], 0))
        elif node["role"] == "textbox" and node["label"] in shown.floating:
            room = node["width"] - FIELD_PADDING - (FIELD_EYE if node["label"] in shown.passphrases else 0)
            wanted.append(("one line", node["label"], BODY, False, LABEL, room, 0))
        elif node["role"] == "textbox" and node["label"]:
            # A label above its field, one node with it: it may take lines, but every word must fit.
            wanted.append(("words", node["label"], BODY, False, TEXT, node["width"], 0))
        elif node["role"] == "button" and name in shown.tiles:
            texts, padding = shown.tiles[name]
            for text, size, bold in texts:
                wanted.append(("words", text, size, bold, TEXT, node["width"] - padding, 0))
        elif node["role"] == "button" and node["text"] in shown.buttons:
            # Flutter narrows the gap between a button's icon and its word from 8 px to 4 as text grows to 200%.
            gap = 8 - 4 * min(max(scale - 1, 0), 1)
            room = node["width"] - BUTTON_PADDING - (BUTTON_ICON + gap if shown.buttons[node["text"]] else 0)
            wanted.append(("fits", node["text"], BODY, True, BUTTON, room, node["height"] - BUTTON_VERTICAL))
        elif not node["role"] and node["text"] in shown.sizes:
            size, bold = shown.sizes[node["text"]]
            wanted.append(("fits", node["text"], size, bold, TEXT, node["width"], node["height"]))

    measured = _measure(page, [(text, size * scale, bold, room, rtl, style)
                               for _rule, text, size, bold, style, room, _height in wanted])
    cut = []
    for item, (needs, longest_word, lines, one_line) in zip(wanted, measured):
        rule, text, _size, _bold, _style, room, height = item
        if longest_word > room + SLACK:
            found.append(f"{_say(text)}: a word needs {longest_word:.0f} px, the box has {room:.0f} (broken or cut)")
        elif rule == "fits" and needs > height + SLACK:
            cut.append((item, f"{_say(text)}: needs {lines} lines, {needs:.0f} px high; the box is {height:.0f} "
                              f"(cut off)"))
        elif rule == "one line" and one_line > room + SLACK:
            found.append(f"{_say(text)}: a field's label needs {one_line:.0f} px, the field has {room:.0f} "
                         f"(it wraps onto the border)")
    # A text the server showed at two sizes, or changed in place (a header's title), may not be the size it was
    # measured at: it is cut off only if at no size the app uses it would fill its box exactly.
    found += [finding for item, finding in cut if not _fills_at_some_size(page, item, scale, rtl)]
    return found


def _measure(page, items: list[tuple]) -> list[list[float]]:
    return page.evaluate(_MEASURE, [_FONTS, [[text, size, bold, room + SLACK, rtl, *style]
                                             for text, size, bold, room, rtl, style in items]])


def _fills_at_some_size(page, item: tuple, scale: float, rtl: bool) -> bool:
    _rule, text, _size, bold, style, room, height = item
    measured = _measure(page, [(text, size * scale, bold, room, rtl, style) for size in SIZES])
    return any(abs(needs - height) <= SLACK * 2 and longest <= room + SLACK for needs, longest, _l, _o in measured)


def _cut_by_scrolling(node: dict, by_id: dict[str, dict]) -> bool:
    """Whether the node lies half inside a scrolling view: Flutter then gives only its visible part as its box."""
    parent = by_id.get(node["parent"])
    while parent is not None and not parent["scrolls"]:
        parent = by_id.get(parent["parent"])
    if parent is None:
        return False
    top, bottom = node["top"], node["top"] + node["height"]
    edges = (parent["top"], parent["top"] + parent["height"])
    return any(abs(edge - top) < 1 or abs(edge - bottom) < 1 for edge in edges)


def _say(text: str) -> str:
    return json.dumps(text[:60], ensure_ascii=False)
