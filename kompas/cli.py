"""The `kompas` command: serve the app, fill a demo kompas, make a poster, take a kompas along, or make speech."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from kompas.base import clock
from kompas.datadir import resolve_data_dir
from kompas.domain.model import Paper
from kompas.i18n import LANGUAGES, SOURCE_LANGUAGE, _, set_language, use_language
from kompas.store.lock import FolderInUse
from kompas.store.shelf import Card, KompasFolder, Shelf
from kompas.store.storage import Store, StoreProblem
from kompas.workbook.workbook import Outcome, Workbook

__all__ = ["main"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8550
# The sample kompas's nickname on the shelf.
DEMO_NAME = "Demo"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kompas",
        description=_("Het Krachtkompas op je eigen apparaat. Zonder opdracht start de app in de browser."),
    )
    data_help = _("map voor de gegevens (anders KOMPAS_DATA, FLET_APP_STORAGE_DATA of de gewone map)")
    parser.add_argument("--data", metavar="MAP", help=data_help)
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=_("adres van de server (standaard {host}: alleen dit apparaat)", host=DEFAULT_HOST))
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=_("poort van de server (standaard {port})", port=DEFAULT_PORT))
    parser.add_argument("--no-browser", action="store_true", help=_("geen browser openen"))
    parser.add_argument("--apk", metavar="APK",
                        help=_("de app voor Android, om mee te geven aan de telefoon van de client (anders kompas.apk "
                               "in de map voor de gegevens)"))
    commands = parser.add_subparsers(dest="command", metavar="OPDRACHT")
    demo = commands.add_parser("demo", help=_("zet een voorbeeldkompas \"Demo\" erbij, voor demo's en training"))
    demo.add_argument("--data", metavar="MAP", help=data_help, default=argparse.SUPPRESS)
    demo.add_argument("--force", action="store_true", help=_("maak Demo opnieuw, ook als het er al is"))
    poster = commands.add_parser("poster", help=_("maak de poster voor de koelkast, als PDF en PNG"))
    poster.add_argument("--data", metavar="MAP", help=data_help, default=argparse.SUPPRESS)
    poster.add_argument("--out", metavar="BESTAND.pdf", required=True, help=_("waar de PDF komt"))
    poster.add_argument("--png", metavar="BESTAND.png", help=_("waar een PNG komt (mag weg)"))
    poster.add_argument("--size", choices=[p.value for p in Paper], help=_("papier: A4 of A3 (anders wat in de app gekozen is)"))
    poster.add_argument("--kompas", metavar="NAAM", help=_("welk kompas (nodig als er meer dan één is)"))
    poster.add_argument("--lang", choices=LANGUAGES,
                        help=_("taal van de poster (anders de taal van het kompas, of {lang})", lang=SOURCE_LANGUAGE))
    export = commands.add_parser("export", help=_("bewaar een kompas als .kompas-bestand, om mee te nemen"))
    export.add_argument("--data", metavar="MAP", help=data_help, default=argparse.SUPPRESS)
    export.add_argument("--kompas", metavar="NAAM", help=_("welk kompas (nodig als er meer dan één is)"))
    export.add_argument("--out", metavar="BESTAND.kompas", required=True, help=_("waar het bestand komt"))
    export.add_argument("--passphrase-file", metavar="BESTAND",
                        help=_("zet het bestand op slot met het wachtwoord in dit bestand"))
    take_in = commands.add_parser("import", help=_("zet een kompas uit een .kompas-bestand op dit apparaat"))
    take_in.add_argument("--data", metavar="MAP", help=data_help, default=argparse.SUPPRESS)
    take_in.add_argument("file", metavar="BESTAND.kompas", help=_("het bestand"))
    take_in.add_argument("--passphrase-file", metavar="BESTAND",
                         help=_("het wachtwoord van het bestand staat in dit bestand"))
    same = take_in.add_mutually_exclusive_group()
    same.add_argument("--replace", action="store_true",
                      help=_("staat dit kompas er al, vervang het dan door dat uit het bestand"))
    same.add_argument("--keep-both", action="store_true",
                      help=_("staat dit kompas er al, houd dan allebei"))
    pack = commands.add_parser("speech-pack",
                               help=_("spreek alle woorden van de app vooraf in, voor een telefoon zonder espeak-ng"))
    pack.add_argument("--out", metavar="MAP", required=True, help=_("waar het spraakpakket komt"))
    pack.add_argument("--lang", choices=LANGUAGES, action="append",
                      help=_("alleen deze taal (mag vaker; anders alle talen)"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _log_to_stderr(os.environ.get("KOMPAS_LOG_LEVEL", "WARNING"))
    if os.name == "posix":
        # Every file and folder the app makes is this user's only, also where a part of it makes its own (a photo's
        # folder, a poster): a kompas is nothing for the other accounts on a shared laptop.
        os.umask(0o077)
    if args.command == "speech-pack":
        return _speech_pack(Path(args.out), tuple(args.lang or LANGUAGES))
    data_dir = resolve_data_dir(args.data)
    try:
        shelf = Shelf.open(data_dir)
    except KompasFolder as wrong:
        print(_("Dit is de map van één kompas. Gebruik de map erboven: --data {folder}", folder=wrong.data_dir),
              file=sys.stderr)
        return 1
    except FolderInUse:
        # Two copies on one folder would overwrite each other's changes.
        print(_("Kompas is al open met de gegevens in {folder}. Ga daar verder, of sluit het eerst.",
                folder=data_dir), file=sys.stderr)
        return 1
    if args.command == "demo":
        with shelf:
            return _demo(shelf, args.force)
    if args.command == "poster":
        with shelf:
            return _poster(shelf, args)
    if args.command in ("export", "import"):
        passphrase = _passphrase(args.passphrase_file)
        if passphrase == "":
            return 1
        with shelf:
            return _export(shelf, args, passphrase) if args.command == "export" else _import(shelf, args, passphrase)

    from kompas.ui import phone  # Flet loads only when the app is served.
    from kompas.workbook.session import Library

    # KOMPAS_PAIRING_SECONDS makes pairing codes die sooner than ten minutes, KOMPAS_LOCK_SECONDS every kompas lock
    # sooner than its own lock time (never later): for stricter use, and for the tests that check an old code is
    # refused and a kompas left alone locks.
    library = Library(shelf, **{name: seconds for name, seconds in (
        ("pairing_seconds", _seconds("KOMPAS_PAIRING_SECONDS")), ("lock_seconds", _seconds("KOMPAS_LOCK_SECONDS")))
        if seconds is not None})
    if phone.is_embedded():
        # Inside a phone build the app runs natively: no server, no link, no web stack.
        phone.run(library)
        return 0
    from kompas.ui.server import serve
    from kompas.ui.web.apk import find_apk

    try:
        apk = find_apk(data_dir, args.apk)
    except FileNotFoundError:
        print(_("Het bestand {file} is er niet. Kompas start zonder app om mee te geven.", file=args.apk),
              file=sys.stderr)
        apk = None
    serve(library, data_dir, args.host, args.port, open_browser=not args.no_browser, apk=apk)
    return 0


def _seconds(variable: str) -> int | None:
    """A number of seconds from the environment; None when it is not set, or not a number (then it says so)."""
    seconds = os.environ.get(variable, "").strip()
    if not seconds:
        return None
    if not (seconds.isascii() and seconds.isdecimal()):
        logging.getLogger(__name__).warning("%s is not a number of seconds; it is not used", variable)
        return None
    return int(seconds)


# Libraries that log what passes through them below WARNING: Flet's transport every message, with the words a
# client types and the PIN; websockets every frame; Pillow a photo's metadata (place, time, camera). Held at WARNING.
_QUIET_LIBRARIES = ("flet", "flet_transport", "flet_controls", "flet_components", "flet_object_patch", "flet_web",
                    "websockets", "uvicorn", "starlette", "fastapi", "PIL", "asyncio", "httpx", "httpcore")


def _log_to_stderr(level_name: str) -> None:
    """Warnings and errors go to stderr; KOMPAS_LOG_LEVEL=INFO or DEBUG shows more of the app's own lines.

    No level lets a client's words or PIN through: below WARNING only the app's own loggers speak (they log kinds
    and counts, never content), whatever library a line comes from, now or after an upgrade.
    """
    level = getattr(logging, level_name.strip().upper(), None)
    logging.basicConfig(level=level if isinstance(level, int) else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in _QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_only_ours_below_warning)


def _only_ours_below_warning(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING or record.name == "kompas" or record.name.startswith("kompas.")


def _tell_problem(store: Store) -> None:
    if store.problem is StoreProblem.UNREADABLE:
        print(_("Let op: het oude bestand kon niet worden gebruikt en is bewaard als {file}.",
                file=store.kept_aside), file=sys.stderr)
    elif store.problem is StoreProblem.TOO_NEW:
        print(_("Let op: dit kompas is gemaakt met een nieuwere versie van de app. Er verandert niets aan."),
              file=sys.stderr)
    elif store.problem is StoreProblem.READ_ONLY:
        print(_("Let op: in {folder} kan niets worden bewaard. Je kunt je kompas bekijken, maar niet veranderen.",
                folder=store.folder), file=sys.stderr)


def _chosen(shelf: Shelf, nickname: str | None) -> Card | None:
    """The kompas named with --kompas; without it, the only one on the shelf."""
    if nickname:
        found = shelf.find(nickname)
        if len(found) == 1:
            return found[0]
        print(_("Er is geen kompas met de naam {name}.", name=nickname), file=sys.stderr)
    elif shelf.only():
        return shelf.only()
    names = ", ".join(card.nickname for card in shelf.cards())
    if names:
        print(_("Kies een kompas met --kompas NAAM. Op dit apparaat staan: {names}", names=names), file=sys.stderr)
    elif not nickname:
        print(_("Er staat nog geen kompas op dit apparaat."), file=sys.stderr)
    return None


def _demo(shelf: Shelf, force: bool) -> int:
    from kompas.workbook.demo import fill_demo

    existing = shelf.find(DEMO_NAME)
    if existing and not force:
        print(_("Er staat al een kompas met de naam {name}. Er is niets veranderd. Gebruik --force om het "
                "opnieuw te maken.", name=DEMO_NAME), file=sys.stderr)
        return 1
    for card in existing:
        shelf.erase(card.id)
    card = shelf.create(DEMO_NAME, "groen")
    if not isinstance(card, Card):
        print(_("Het voorbeeld kon niet worden opgeslagen."), file=sys.stderr)
        return 1
    with shelf.open_store(card.id) as store:
        outcome = fill_demo(Workbook(store), clock.today())
    if outcome is not Outcome.SAVED:
        print(_("Het voorbeeld kon niet worden opgeslagen."), file=sys.stderr)
        return 1
    print(_("Voorbeeldkompas {name} staat in {folder}", name=DEMO_NAME, folder=shelf.folder(card.id)))
    return 0


def _poster(shelf: Shelf, args: argparse.Namespace) -> int:
    from dataclasses import replace

    from kompas.poster.output import make_files
    from kompas.poster.render import poster_images

    card = _chosen(shelf, args.kompas)
    if card is None:
        return 1
    # The poster speaks the kompas's language, as in the app, unless asked for another.
    set_language(args.lang or card.language or SOURCE_LANGUAGE)
    with shelf.open_store(card.id) as store:
        _tell_problem(store)
        kompas = store.load()
        folder = store.folder
    choice = replace(kompas.poster, paper=Paper(args.size)) if args.size else kompas.poster
    out = Path(args.out)
    png = Path(args.png) if args.png else None
    try:
        make_files(kompas, choice, clock.today(), out, png, poster_images(kompas, folder))
    except OSError as error:
        print(_("De poster kon niet worden bewaard: {reason}", reason=error.strerror or error), file=sys.stderr)
        return 1
    print(_("Poster ({paper}) bewaard in {file}", paper=choice.paper.value, file=", ".join(str(p) for p in (out, png) if p)))
    return 0


def _speech_pack(out: Path, languages: tuple[str, ...]) -> int:
    """Speak every word the app says aloud, in `languages`, into a speech pack in `out` (a build step for a phone)."""
    from kompas.media.speech import can_speak
    from kompas.media.speechpack import make_pack
    from kompas.screens.registry import app_words
    from kompas.workbook.session import LOCK_MINUTES, PAIRING_SECONDS

    if not can_speak():
        print(_("Hier is geen espeak-ng om mee te spreken. Installeer de app met espeakng-loader."), file=sys.stderr)
        return 1
    texts: dict[str, set[str]] = {}
    for language in languages:
        with use_language(language):
            for piece in app_words(clock.today(), LOCK_MINUTES, -(-PAIRING_SECONDS // 60)):
                said = piece.language or language
                if said in languages:
                    texts.setdefault(said, set()).add(piece.text)
    try:
        sizes = make_pack(texts, out)
    except OSError as error:
        print(_("Het spraakpakket kon niet worden bewaard: {reason}", reason=error.strerror or error), file=sys.stderr)
        return 1
    for language, size in sizes.items():
        print(_("{language}: {size} MB", language=language, size=f"{size / 1e6:.1f}"))
    print(_("Spraakpakket bewaard in {folder}: {size} MB", folder=out, size=f"{sum(sizes.values()) / 1e6:.1f}"))
    return 0


def _passphrase(path: str | None) -> str | None:
    """The passphrase in the file (its last line end is not part of it); "" after a message when there is none."""
    if path is None:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8-sig").rstrip("\r\n")
    except (OSError, UnicodeDecodeError):
        print(_("Het wachtwoord kon niet worden gelezen uit {file}.", file=path), file=sys.stderr)
        return ""
    if not text:
        print(_("In {file} staat geen wachtwoord.", file=path), file=sys.stderr)
    return text


def _export(shelf: Shelf, args: argparse.Namespace, passphrase: str | None) -> int:
    from kompas.base.files import write_atomically
    from kompas.store.kompasfile import Refused, pack
    from kompas.store.pin import PinLock
    from kompas.store.shelf import card_fields
    from kompas.ui.filewords import sealing_message

    card = _chosen(shelf, args.kompas)
    if card is None:
        return 1
    with shelf.open_store(card.id) as store:
        _tell_problem(store)
        if store.problem is StoreProblem.TOO_NEW:
            return 1  # this app cannot read it, so a copy would hold nothing; the newer app can make one
        try:
            data = pack(store.snapshot(), store.folder, card_fields(card), passphrase,
                        had_pin=PinLock(shelf.folder(card.id)).is_set)
        except Refused:
            print(sealing_message(), file=sys.stderr)
            return 1
    out = Path(args.out)
    try:
        write_atomically(out, data, private=True)
    except OSError as error:
        print(_("Het bestand kon niet worden bewaard: {reason}", reason=error.strerror or error), file=sys.stderr)
        return 1
    print(_("Kompas {name} bewaard in {file}", name=card.nickname, file=out))
    return 0


def _import(shelf: Shelf, args: argparse.Namespace, passphrase: str | None) -> int:
    from kompas.store.kompasfile import MAX_FILE, FileProblem
    from kompas.ui.filewords import file_problem_message

    path = Path(args.file)
    try:
        # A file too big for a kompas is not read into memory at all.
        raw = None if path.stat().st_size > MAX_FILE else path.read_bytes()
    except OSError as error:
        print(_("Het bestand {file} kon niet worden gelezen: {reason}", file=path, reason=error.strerror or error),
              file=sys.stderr)
        return 1
    arrival = FileProblem.TOO_LARGE if raw is None else shelf.receive(raw, passphrase)
    if isinstance(arrival, FileProblem):
        print(file_problem_message(arrival), file=sys.stderr)
        return 1
    if arrival.same is not None and not (args.replace or args.keep_both):
        shelf.discard(arrival)
        print(_("Dit kompas staat al op dit apparaat als {name}. Kies --replace om het te vervangen, of "
                "--keep-both om allebei te houden. Er is niets veranderd.", name=arrival.same.nickname),
              file=sys.stderr)
        return 1
    try:
        card = shelf.take_in(arrival, keep_both=args.keep_both)
    except FolderInUse:
        print(_("Dit kompas is nu open in de app. Sluit het eerst. Er is niets veranderd."), file=sys.stderr)
        return 1
    except OSError as error:
        print(_("Het kompas kon niet worden bewaard: {reason}", reason=error.strerror or error), file=sys.stderr)
        return 1
    print(_("Kompas {name} staat nu op dit apparaat.", name=card.nickname))
    return 0
