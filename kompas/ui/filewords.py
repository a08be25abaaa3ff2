"""What a .kompas file that was not taken in tells the client: the screens and the command say the same words."""

from __future__ import annotations

from kompas.i18n import _
from kompas.workbook.session import FileProblem

__all__ = ["file_problem_message", "open_elsewhere_words", "same_kompas_words", "sealing_message"]

_NOTHING_CHANGED = {
    FileProblem.EMPTY: lambda: _("Dit bestand is leeg. Er staat geen kompas in."),
    FileProblem.NOT_KOMPAS: lambda: _("Dit is geen kompas-bestand. Kies een bestand dat eindigt op .kompas."),
    FileProblem.TOO_LARGE: lambda: _("Dit bestand is te groot voor een kompas."),
    FileProblem.DAMAGED: lambda: _("Dit bestand is beschadigd of niet helemaal overgekomen. Vraag om een nieuwe "
                                   "kopie."),
    FileProblem.UNSAFE_NAME: lambda: _("In dit bestand staat iets wat buiten het kompas wil schrijven."),
    FileProblem.LINK: lambda: _("In dit bestand staat een snelkoppeling of een map. Die horen niet in een kompas."),
    FileProblem.DUPLICATE: lambda: _("In dit bestand staan twee dingen met dezelfde naam."),
    FileProblem.TOO_MANY: lambda: _("In dit bestand staan veel te veel dingen voor een kompas."),
    FileProblem.BOMB: lambda: _("Dit bestand wordt uitgepakt veel groter dan het is. Zo'n bestand maakt deze app "
                                "niet."),
    FileProblem.NO_CHECKSUM: lambda: _("In dit bestand mist de controle van een deel. Zo'n bestand maakt deze app "
                                       "niet."),
    FileProblem.CHECKSUM: lambda: _("Dit bestand is veranderd nadat het gemaakt is."),
    FileProblem.UNKNOWN_FILE: lambda: _("In dit bestand staat iets wat niet in een kompas hoort."),
    FileProblem.MISSING_FILE: lambda: _("Dit bestand is niet compleet: er mist een deel van het kompas. Vraag om "
                                        "een nieuwe kopie."),
    FileProblem.TOO_NEW: lambda: _("Dit kompas is gemaakt met een nieuwere versie van de app. Werk de app eerst "
                                   "bij."),
    FileProblem.BAD_DATA: lambda: _("De gegevens in dit bestand zijn beschadigd."),
    FileProblem.TOO_MUCH_TEXT: lambda: _("In dit bestand staat meer tekst dan een kompas kan hebben."),
    FileProblem.BAD_PHOTO: lambda: _("Een foto in dit bestand is geen gewone foto."),
    FileProblem.BAD_VOICE: lambda: _("Een opname in dit bestand is kapot."),
}


# The same, before any PIN on a device with a discreet kompas: not a word of "kompas". What is not here says only
# that this app cannot open the file.
_NEUTRAL = {
    FileProblem.EMPTY: lambda: _("Dit bestand is leeg."),
    FileProblem.TOO_LARGE: lambda: _("Dit bestand is te groot."),
    FileProblem.DAMAGED: _NOTHING_CHANGED[FileProblem.DAMAGED],
    FileProblem.CHECKSUM: _NOTHING_CHANGED[FileProblem.CHECKSUM],
    FileProblem.TOO_NEW: lambda: _("Dit bestand is gemaakt met een nieuwere versie van de app. Werk de app eerst bij."),
}


def file_problem_message(problem: FileProblem, neutral: bool = False) -> str:
    """One or two short lines: what is wrong with the file, and that nothing on this device changed.

    `neutral`: before any PIN on a device with a discreet kompas, or for a discreet kompas's file, the words never
    say "kompas".
    """
    if problem is FileProblem.NEEDS_PASSPHRASE:
        return _("Dit bestand is op slot met een wachtwoord. Typ het wachtwoord.") if neutral \
            else _("Dit kompas is op slot met een wachtwoord. Typ het wachtwoord.")
    if problem is FileProblem.WRONG_PASSPHRASE:
        return _("Dat wachtwoord klopt niet. Probeer het nog een keer.")
    if problem is FileProblem.NOT_SAVED:
        return _("Opslaan lukte niet. Is er nog ruimte op het apparaat?") if neutral \
            else _("Het kompas kon niet worden bewaard. Is er nog ruimte op het apparaat?")
    if problem is FileProblem.CANNOT_SEAL:
        return _("Dit bestand is op slot met een wachtwoord. Zo'n bestand kan de app op dit apparaat niet openen. "
                 "Vraag om een kopie zonder wachtwoord. Er is niets veranderd.")
    if neutral:
        why = _NEUTRAL.get(problem, lambda: _("Dit bestand kan deze app niet openen."))()
    else:
        why = _NOTHING_CHANGED[problem]()
    return _("{why} Het bestand is niet geopend; er is niets veranderd.", why=why)


def same_kompas_words(name: str, neutral: bool) -> str:
    """The file holds a kompas this device has already, called `name` here: the question what to do."""
    return _("Dit staat al op dit apparaat, als {name}. Wat wil je?", name=name) if neutral \
        else _("Dit kompas staat al op dit apparaat, als {name}. Wat wil je?", name=name)


def open_elsewhere_words(neutral: bool) -> str:
    """The kompas a file would replace is open on another screen: it stays as it is."""
    return _("Dit is nu open op een ander scherm. Sluit het daar eerst. Er is niets veranderd.") if neutral \
        else _("Dit kompas is nu open op een ander scherm. Sluit het daar eerst. Er is niets veranderd.")


def sealing_message() -> str:
    """Making a copy with a passphrase, on a device whose app has no way to seal one (the library is missing)."""
    return _("Op dit apparaat kan een kopie geen wachtwoord krijgen. Laat het wachtwoord leeg, of maak de kopie op "
             "een ander apparaat.")
