"""The `kompas` command: serve the app, or fill a demo kompas."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import date
from pathlib import Path

from kompas.datadir import resolve_data_dir
from kompas.i18n import SOURCE_LANGUAGE, _, set_language
from kompas.model import Paper
from kompas.storage import FolderInUse, Store, StoreProblem
from kompas.workbook import Outcome, Workbook

__all__ = ["main"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8550


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
    commands = parser.add_subparsers(dest="command", metavar="OPDRACHT")
    demo = commands.add_parser("demo", help=_("vul een voorbeeldkompas, voor demo's en training"))
    demo.add_argument("--data", metavar="MAP", help=data_help, default=argparse.SUPPRESS)
    demo.add_argument("--force", action="store_true", help=_("ook als er al gegevens zijn (die gaan dan weg)"))
    poster = commands.add_parser("poster", help=_("maak de poster voor de koelkast, als PDF en PNG"))
    poster.add_argument("--data", metavar="MAP", help=data_help, default=argparse.SUPPRESS)
    poster.add_argument("--out", metavar="BESTAND.pdf", required=True, help=_("waar de PDF komt"))
    poster.add_argument("--png", metavar="BESTAND.png", help=_("waar een PNG komt (mag weg)"))
    poster.add_argument("--size", choices=[p.value for p in Paper], help=_("papier: A4 of A3 (anders wat in de app gekozen is)"))
    poster.add_argument("--lang", default=SOURCE_LANGUAGE, help=_("taal van de poster (standaard {lang})", lang=SOURCE_LANGUAGE))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # Warnings and errors go to stderr; no log line ever holds what a client wrote.
    level = getattr(logging, os.environ.get("KOMPAS_LOG_LEVEL", "WARNING").upper(), None)
    logging.basicConfig(level=level if isinstance(level, int) else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Pillow's debug lines list a photo's metadata (place, time, camera): never, at any level.
    logging.getLogger("PIL").setLevel(logging.WARNING)
    data_dir = resolve_data_dir(args.data)
    try:
        store = Store.open(data_dir)
    except FolderInUse:
        # Two copies on one folder would overwrite each other's changes.
        print(_("Kompas is al open met de gegevens in {folder}. Ga daar verder, of sluit het eerst.",
                folder=data_dir), file=sys.stderr)
        return 1
    with store:
        return _run(args, store, data_dir)


def _run(args: argparse.Namespace, store: Store, data_dir: Path) -> int:
    if store.problem is StoreProblem.UNREADABLE:
        print(_("Let op: het oude bestand kon niet worden gebruikt en is bewaard als {file}.",
                file=store.kept_aside), file=sys.stderr)
    elif store.problem is StoreProblem.TOO_NEW:
        print(_("Let op: dit kompas is gemaakt met een nieuwere versie van de app. Er verandert niets aan."),
              file=sys.stderr)
    elif store.problem is StoreProblem.READ_ONLY:
        print(_("Let op: in {folder} kan niets worden bewaard. Je kunt je kompas bekijken, maar niet veranderen.",
                folder=data_dir), file=sys.stderr)
    if args.command == "demo":
        return _demo(store, data_dir, args.force)
    if args.command == "poster":
        return _poster(store, args)

    from kompas.ui.server import serve  # Flet loads only when the app is served.

    serve(Workbook(store), data_dir, args.host, args.port, open_browser=not args.no_browser)
    return 0


def _demo(store: Store, data_dir: Path, force: bool) -> int:
    from kompas.demo import fill_demo

    workbook = Workbook(store)
    kompas = workbook.kompas
    if (kompas.notes or kompas.wish or kompas.action) and not force:
        print(_("In {folder} staat al een kompas. Er is niets veranderd. "
                "Kies een lege map, of gebruik --force.", folder=data_dir), file=sys.stderr)
        return 1
    for note in list(kompas.notes):
        workbook.delete_note(note.id)
    outcome = fill_demo(workbook, date.today())
    if outcome is not Outcome.SAVED:
        print(_("Het voorbeeld kon niet worden opgeslagen."), file=sys.stderr)
        return 1
    print(_("Voorbeeldkompas staat in {folder}", folder=data_dir))
    return 0


def _poster(store: Store, args: argparse.Namespace) -> int:
    from dataclasses import replace

    from kompas.poster import make_files, poster_images

    set_language(args.lang)
    kompas = store.load()
    choice = replace(kompas.poster, paper=Paper(args.size)) if args.size else kompas.poster
    out = Path(args.out)
    png = Path(args.png) if args.png else None
    try:
        make_files(kompas, choice, date.today(), out, png, poster_images(kompas, store.folder))
    except OSError as error:
        print(_("De poster kon niet worden bewaard: {reason}", reason=error.strerror or error), file=sys.stderr)
        return 1
    print(_("Poster ({paper}) bewaard in {file}", paper=choice.paper.value, file=", ".join(str(p) for p in (out, png) if p)))
    return 0
