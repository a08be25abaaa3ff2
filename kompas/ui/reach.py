"""Where a phone on the same network reaches this server, found from the routes, and what a card says when it cannot."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

from kompas.i18n import _

__all__ = ["HAND_OVER_PATH", "PAIRING_PATH", "Reach", "lan_address", "reach_of", "unreachable_words"]

# The addresses a second device opens: a pairing code's, and a hand-over's page and files.
PAIRING_PATH = "koppel"
HAND_OVER_PATH = "meegeven"

# Private addresses to ask the routing table about. A UDP socket "connected" to one is given the source address the
# route to it would use: this machine's address on its network. No packet is sent.
_PROBES = ("10.254.254.254", "192.168.254.254", "172.16.254.254")
_EVERYWHERE = ("0.0.0.0", "::", "")


@dataclass(frozen=True)
class Reach:
    """How this server is reached: `url`, where a phone beside the laptop opens it (None: it cannot), `on_network`,
    whether it listens beyond this device, and `hosts`, the only Host names a browser may use for it."""

    url: str | None
    on_network: bool
    hosts: frozenset[str]


def lan_address() -> str | None:
    """This machine's IPv4 address on its local network; None without one (no network, loopback only).

    Not from the host name: on Debian that resolves to 127.0.1.1, which no phone can reach.
    """
    for probe in _PROBES:
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                udp.connect((probe, 9))
                address = ipaddress.ip_address(udp.getsockname()[0])
        except (OSError, ValueError):
            continue
        if not (address.is_loopback or address.is_unspecified or address.is_link_local):
            return str(address)
    return None


def reach_of(host: str, port: int, lan: str | None = None) -> Reach:
    """How a server listening on `host` is reached. On every address (0.0.0.0) only the LAN address found from the
    routes and this device's own names are accepted as Host: another name would be DNS rebinding."""
    if host in _EVERYWHERE:
        names = {"127.0.0.1", "localhost", *({"[::1]"} if host == "::" else set()), *({lan} if lan else set())}
        return Reach(f"http://{lan}:{port}" if lan else None, True, _with_port(names, port))
    if host in ("127.0.0.1", "localhost"):
        return Reach(f"http://127.0.0.1:{port}", False, _with_port({host, "localhost", "127.0.0.1"}, port))
    shown = f"[{host}]" if ":" in host else host
    loopback = _is_loopback(host)
    return Reach(None if loopback else f"http://{shown}:{port}", not loopback, _with_port({shown}, port))


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _with_port(names: set[str], port: int) -> frozenset[str]:
    return frozenset(f"{name}:{port}" for name in names)


def unreachable_words(reach: Reach | None, pairing: bool) -> str:
    """Why a phone cannot reach this server now, and what to do: start it on the network, or, when it was started
    so, connect this computer to the network first. `reach` None: no server at all (a phone build)."""
    if reach is not None and reach.on_network:
        return _("Deze computer zit niet in een netwerk. Verbind hem met de wifi en start Kompas opnieuw.")
    if pairing:
        return _("Om een telefoon te koppelen moet Kompas zo starten: kompas --host 0.0.0.0")
    return _("Om mee te geven moet Kompas zo starten: kompas --host 0.0.0.0")
