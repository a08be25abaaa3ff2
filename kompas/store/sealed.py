"""The sealed stream: a .kompas file's zip encrypted with AES-256-GCM in chunks, behind a small clear header."""

from __future__ import annotations

import enum
import hashlib
import json
import secrets
import unicodedata
from base64 import b64decode, b64encode
from typing import Any

__all__ = ["SealProblem", "Unsealable", "is_sealed", "seal", "unseal"]

# The sealed file: magic, then a 4-byte header length, the header (JSON), then the chunks.
_MAGIC = b"KOMPAS-SEALED\n"
_CHUNK = 2**20
_TAG = 16
_NONCE_PREFIX = 7  # + 4 bytes chunk counter + 1 byte "last chunk" flag = the 12-byte GCM nonce
# scrypt as the PIN uses it (OWASP): 128 MiB, about half a second. A sealed file names its cost in its header, and
# only these are taken: r and p as this app writes them, and n as it writes it, one step dearer (a later version that
# raised it) or up to three steps cheaper (16 MiB). Anything else is a damaged file, refused before any key is made: a
# crafted cost could take gigabytes or minutes before the passphrase is ever checked.
_SCRYPT = {"n": 2**17, "r": 8, "p": 1}
_SCRYPT_N_STEPS = (-3, 1)
_SCRYPT_MAX_MEMORY = 1024 * 2**20
# The chunk sizes a file may have: a power of two from 1 KiB to 64 MiB (this app writes 1 MiB). A file of 512 MiB
# in chunks of one byte would take half a billion decryptions.
_CHUNKS = frozenset(2**k for k in range(10, 27))
_MAX_HEADER = 4096


class SealProblem(enum.Enum):
    """Why a sealed stream was not made or opened; the .kompas file names each as its own FileProblem."""

    DAMAGED = "damaged"
    NEEDS_PASSPHRASE = "needs_passphrase"
    WRONG_PASSPHRASE = "wrong_passphrase"
    CANNOT_SEAL = "cannot_seal"  # no cryptography on this device


class Unsealable(Exception):
    def __init__(self, problem: SealProblem):
        super().__init__(problem.value)
        self.problem = problem


def is_sealed(raw: bytes) -> bool:
    return raw.startswith(_MAGIC)


def _aes_gcm():
    """cryptography's AES-GCM and its InvalidTag; Unsealable(CANNOT_SEAL) on a device without the library (a build
    that left it out), so that both the app and the command say so instead of stopping."""
    try:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    except ImportError:
        raise Unsealable(SealProblem.CANNOT_SEAL) from None
    return AESGCM, InvalidTag


def seal(plain: bytes, passphrase: str) -> bytes:
    AESGCM, _invalid = _aes_gcm()
    salt, prefix = secrets.token_bytes(16), secrets.token_bytes(_NONCE_PREFIX)
    key = _key(passphrase, salt, _SCRYPT)
    header = json.dumps({"kdf": "scrypt", **_SCRYPT, "salt": b64encode(salt).decode(), "cipher": "AES-256-GCM",
                         "chunk": _CHUNK, "nonce": b64encode(prefix).decode(),
                         # Opens only with the right key, so a wrong passphrase is told apart from a damaged file.
                         "check": b64encode(AESGCM(key).encrypt(_nonce(prefix, 2**32 - 1, True), b"", b"check"))
                         .decode()}, separators=(",", ":")).encode()
    aead = AESGCM(key)
    out = [_MAGIC, len(header).to_bytes(4, "big"), header]
    chunks = [plain[i:i + _CHUNK] for i in range(0, len(plain), _CHUNK)] or [b""]
    for n, chunk in enumerate(chunks):
        # The header is bound to every chunk, and the last one says it is last: nothing can be swapped or cut off.
        out.append(aead.encrypt(_nonce(prefix, n, n == len(chunks) - 1), chunk, header))
    return b"".join(out)


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def _key(passphrase: str, salt: bytes, cost: dict[str, int]) -> bytes:
    # The same passphrase typed on a phone and on a laptop may have its accents composed differently.
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return hashlib.scrypt(secret, salt=salt, n=cost["n"], r=cost["r"], p=cost["p"], maxmem=_SCRYPT_MAX_MEMORY + 2**20,
                          dklen=32)


def _accepted_cost(cost: dict[str, Any]) -> bool:
    """Whether a sealed file's scrypt cost is one this app writes, or within the small range around it it takes."""
    if not all(type(v) is int for v in cost.values()) or (cost["r"], cost["p"]) != (_SCRYPT["r"], _SCRYPT["p"]):
        return False
    low, high = (_SCRYPT["n"].bit_length() - 1 + step for step in _SCRYPT_N_STEPS)
    return cost["n"] in {2**k for k in range(max(1, low), high + 1)} and 128 * cost["n"] * cost["r"] <= _SCRYPT_MAX_MEMORY


def unseal(raw: bytes, passphrase: str | None) -> bytes:
    AESGCM, InvalidTag = _aes_gcm()
    start = len(_MAGIC) + 4
    size = int.from_bytes(raw[len(_MAGIC):start], "big")
    if len(raw) < start or not 0 < size <= _MAX_HEADER or len(raw) < start + size:
        raise Unsealable(SealProblem.DAMAGED)
    header = raw[start:start + size]
    try:
        head = json.loads(header)
        cost = {name: head[name] for name in ("n", "r", "p")}
        salt, prefix, check = (b64decode(head[name], validate=True) for name in ("salt", "nonce", "check"))
        chunk = head["chunk"]
        if head["kdf"] != "scrypt" or head["cipher"] != "AES-256-GCM" or len(prefix) != _NONCE_PREFIX:
            raise ValueError("not a header this app writes")
        if not _accepted_cost(cost) or type(chunk) is not int or chunk not in _CHUNKS:
            raise ValueError("not a cost this app uses")
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        raise Unsealable(SealProblem.DAMAGED) from None
    if not passphrase:
        raise Unsealable(SealProblem.NEEDS_PASSPHRASE)
    try:
        aead = AESGCM(_key(passphrase, salt, cost))
    except (ValueError, TypeError, OverflowError, MemoryError):
        # Whatever the header made the derivation do, it is a damaged file, never a crash.
        raise Unsealable(SealProblem.DAMAGED) from None
    try:
        aead.decrypt(_nonce(prefix, 2**32 - 1, True), check, b"check")
    except InvalidTag:
        raise Unsealable(SealProblem.WRONG_PASSPHRASE) from None
    body = memoryview(raw)[start + size:]
    step = chunk + _TAG
    count = max(1, -(-len(body) // step))
    parts = []
    try:
        for n in range(count):
            parts.append(aead.decrypt(_nonce(prefix, n, n == count - 1), bytes(body[n * step:(n + 1) * step]), header))
    except InvalidTag:
        raise Unsealable(SealProblem.DAMAGED) from None
    return b"".join(parts)
