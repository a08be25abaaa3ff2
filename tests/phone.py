"""A fake Flutter client: the app started as a phone build starts it, and driven over Flet's own socket protocol.

A phone build runs the app's Python with FLET_PLATFORM set and talks to it in frames of msgpack (`[action, body]`, each
behind a 4-byte little-endian length and a type byte; see flet/messaging/flet_socket_server.py). In a build the frames
go over Flet's in-process dart_bridge; here over FLET_SERVER_UDS_PATH, the same protocol on a Unix socket.

The phone has only what a phone build installs: the packages flet build's pip step would ask for on that platform
(markers evaluated as there, see phonebuild.py), the standard library and the app. Every other module is missing in the
app's process, as on a phone, and every attempt to import one is written down.
"""

from __future__ import annotations

import argparse
import functools
import importlib.metadata as metadata
import io
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

import msgpack
import numpy as np
import soundfile
from flet.messaging.protocol import decode_ext_from_msgpack
from phonebuild import ROOT, asked_for, has_phone_build, phone_environment

REGISTER, PATCH, EVENT, UPDATE_PROPS, INVOKE, CRASHED = 1, 2, 3, 4, 5, 6
# Never on a phone, whatever the markers say: the list.
NEVER = ("uvicorn", "starlette", "fastapi", "flet_web", "soundfile", "espeakng_loader", "pillow_heif")
WAIT = 30.0

_BLOCKER = '''
"""The phone's site-packages: only what a phone build installs can be imported; every other attempt is written down."""
import json, os, sys
_allowed = frozenset(json.load(open(os.environ["KOMPAS_PHONE_MODULES"], encoding="utf-8")))
_tried = open(os.environ["KOMPAS_PHONE_TRIED"], "a", encoding="utf-8")


class NotOnThisPhone:
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in _allowed or top in sys.stdlib_module_names or top in sys.builtin_module_names \\
                or top.startswith("_sysconfigdata"):
            return None
        _tried.write(name + "\\n")
        _tried.flush()
        raise ModuleNotFoundError(f"No module named {name!r} on this phone", name=name)


sys.meta_path.insert(0, NotOnThisPhone())
'''


class PhoneError(AssertionError):
    pass


def entry_point(app: Path = ROOT) -> Path:
    """The file `flet build` runs, found by flet-cli 1.0.5's own code from pyproject.toml."""
    from flet_cli.commands import build
    from flet_cli.utils.pyproject_toml import load_pyproject_toml

    parser = argparse.ArgumentParser()
    command = build.Command(parser)
    command.options = parser.parse_args(["apk", str(app)])
    command.python_app_path = app
    command.get_pyproject = load_pyproject_toml(app)

    def refuse(exit_code, message=None, no_border=False):
        raise PhoneError(f"flet build refuses the app: {message}")

    command.cleanup = refuse
    command.validate_entry_point()
    return command.package_app_path / command.python_module_filename


def installed_modules(platform: str, also_missing: tuple[str, ...] = ()) -> set[str]:
    """The top-level modules of what a phone build of `platform` installs; refuses, as the build's pip step would,
    when a requirement has no phone build."""
    from flet_cli.utils.project_dependencies import get_project_dependencies
    from flet_cli.utils.pyproject_toml import load_pyproject_toml

    requirements = get_project_dependencies(load_pyproject_toml(ROOT)("project.dependencies"))
    build_machine = "linux" if platform == "Android" else "darwin"
    packages = asked_for(requirements, phone_environment(platform, build_machine, "3.12"))
    without = sorted(name for name in packages if not has_phone_build(name))
    if without:
        raise PhoneError(f"a phone build cannot install {without}: no phone wheel and no mobile-forge recipe")
    modules = {"kompas"}
    for name in packages:
        if name in also_missing:
            continue
        for file in metadata.distribution(name).files or []:
            first = file.parts[0]
            if first.endswith((".dist-info", ".data")) or first in ("..", "__pycache__"):
                continue
            modules.add(first.split(".")[0])
    blocked = {m for m in NEVER if m in modules}
    if blocked:
        raise PhoneError(f"a phone build would carry {sorted(blocked)}")
    return modules


class Phone:
    """One phone: the app's process, and the Flutter side of the conversation with it.

    `answers`: what the phone's own services do when the app calls them, by (control type, method); each gets the
    call's arguments and returns the result (or raises to send an error back).
    """

    def __init__(self, workdir: Path, platform: str = "android", missing: tuple[str, ...] = ()):
        self.workdir = workdir
        self.platform = platform
        self.missing = missing
        self.data = workdir / "data"
        self.data.mkdir(parents=True, exist_ok=True)
        self.socket_path = workdir / "flet.sock"
        self.tried = workdir / "tried-imports.txt"
        self.log = workdir / "app.log"
        self.answers: dict[tuple[str, str], Callable[[dict], Any]] = {}
        self.calls: list[tuple[str, str, dict]] = []
        self.crashes: list[str] = []
        self.page: dict | None = None
        self.controls: dict[int, dict] = {}
        self._parents: dict[int, dict] = {}
        self._changed = threading.Condition()
        self._version = 0
        self._sock: socket.socket | None = None
        self._send_lock = threading.Lock()
        self._reader: threading.Thread | None = None
        self.process: subprocess.Popen | None = None

    # The app's process

    def start(self) -> Phone:
        site = self.workdir / "site"
        site.mkdir(exist_ok=True)
        (site / "sitecustomize.py").write_text(_BLOCKER, encoding="utf-8")
        modules = self.workdir / "modules.json"
        platform = "Android" if self.platform == "android" else "iOS"
        modules.write_text(json.dumps(sorted(installed_modules(platform, self.missing) - set(self.missing))))
        entry = entry_point()
        for folder in ("cache", "temp"):
            (self.workdir / folder).mkdir(exist_ok=True)
        # A phone passes the app none of our settings, but the app's clock runs as the tests' does (CI moves it a
        # year ahead with KOMPAS_DAYS_AHEAD).
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("KOMPAS_", "FLET_", "PYTHON")) or k == "KOMPAS_DAYS_AHEAD"}
        env.update(
            FLET_PLATFORM=self.platform,
            FLET_SERVER_UDS_PATH=str(self.socket_path),
            FLET_APP_STORAGE_DATA=str(self.data),
            FLET_APP_STORAGE_CACHE=str(self.workdir / "cache"),
            FLET_APP_STORAGE_TEMP=str(self.workdir / "temp"),
            FLET_ASSETS_DIR=str(ROOT / "assets"),
            PYTHONPATH=str(site),
            PYTHONDONTWRITEBYTECODE="1",
            KOMPAS_PHONE_MODULES=str(modules),
            KOMPAS_PHONE_TRIED=str(self.tried),
        )
        self.socket_path.unlink(missing_ok=True)
        with open(self.log, "ab") as log:
            # The working folder a phone build gives the app: its data folder.
            self.process = subprocess.Popen([sys.executable, str(entry)], cwd=self.data, env=env, stdout=log,
                                            stderr=subprocess.STDOUT)
        self._connect()
        self._register()
        return self

    def _connect(self) -> None:
        deadline = time.monotonic() + WAIT
        while True:
            if self.process.poll() is not None:
                raise PhoneError(f"the app ended at start ({self.process.returncode}):\n{self.log_text()}")
            if self.socket_path.exists():
                try:
                    self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    self._sock.connect(str(self.socket_path))
                    break
                except OSError:
                    self._sock.close()
            if time.monotonic() > deadline:
                raise PhoneError(f"the app did not listen on its socket:\n{self.log_text()}")
            time.sleep(0.05)
        self._reader = threading.Thread(target=self._read, name="phone-reader", daemon=True)
        self._reader.start()

    def _register(self) -> None:
        self.send(REGISTER, {"session_id": "", "page_name": "", "page": {
            "route": "/", "pwa": False, "web": False, "debug": False, "wasm": False, "test": False,
            "multi_view": False, "pyodide": False, "platform_brightness": "light", "width": 390.0, "height": 844.0,
            "platform": self.platform,
        }})
        self.wait(lambda: self.page is not None, "the app's first page")

    def stop(self) -> None:
        """The phone ends the app: its process goes, as when the system closes an app in the background."""
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
            self._sock = None
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self._reader is not None:
            self._reader.join(5)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:] if self.log.exists() else ""

    def tried_imports(self) -> set[str]:
        return set(self.tried.read_text(encoding="utf-8").split()) if self.tried.exists() else set()

    # The protocol

    def send(self, action: int, body: Any) -> None:
        payload = b"\x00" + msgpack.packb([action, body], use_bin_type=True)
        with self._send_lock:
            if self._sock is None:
                raise PhoneError("the phone is not connected")
            self._sock.sendall(struct.pack("<I", len(payload)) + payload)

    def _read(self) -> None:
        stream = self._sock.makefile("rb")
        try:
            while True:
                header = stream.read(4)
                if len(header) < 4:
                    return
                packet = stream.read(struct.unpack("<I", header)[0])
                if packet[:1] != b"\x00":
                    continue  # a data-channel frame: nothing this app sends
                action, body = msgpack.unpackb(packet[1:], ext_hook=decode_ext_from_msgpack, strict_map_key=False,
                                               raw=False)
                self._receive(action, body)
        except (OSError, ValueError):
            return
        finally:
            with self._changed:
                self._version += 1
                self._changed.notify_all()

    def _receive(self, action: int, body: Any) -> None:
        if action == REGISTER:
            if body.get("error"):
                self.crashes.append(body["error"])
            with self._changed:
                self.page = body["page_patch"]
                self._index()
        elif action == PATCH:
            with self._changed:
                self._apply(body["id"], body["patch"])
                self._index()
        elif action == INVOKE:
            threading.Thread(target=self._answer, args=(body,), daemon=True).start()
            return
        elif action == CRASHED:
            self.crashes.append(body.get("message", ""))
        with self._changed:
            self._version += 1
            self._changed.notify_all()
        self._after_change()

    def _apply(self, control_id: int, patch: list) -> None:
        """A patch as Flutter's Control.applyPatch applies it: a table of paths, then replace/add/remove/move."""
        root = self.controls[control_id]
        paths: dict[int, list] = {}

        def index(node: list, path: list) -> None:
            paths[node[0]] = path
            if len(node) > 1 and isinstance(node[1], dict):
                for key, child in node[1].items():
                    index(child, [*path, key])

        index(patch[0], [])

        def target(i: int):
            obj = root
            for part in paths[i]:
                obj = obj[part]
            return obj

        for op in patch[1:]:
            kind = op[0]
            if kind == 0:
                target(op[1])[op[2]] = op[3]
            elif kind == 1:
                obj = target(op[1])
                if isinstance(obj, list):
                    obj.insert(op[2], op[3])
                else:
                    obj[op[2]] = op[3]
            elif kind == 2:
                obj = target(op[1])
                if isinstance(obj, list):
                    del obj[op[2]]
                else:
                    obj.pop(op[2], None)
            elif kind == 3:
                source, into = target(op[1]), target(op[3])
                value = source.pop(op[2])
                if isinstance(into, list):
                    into.insert(op[4], value)
                else:
                    into[op[4]] = value

    def _index(self) -> None:
        found: dict[int, dict] = {}
        parents: dict[int, dict] = {}

        def walk(value, parent: dict | None) -> None:
            if isinstance(value, dict):
                if "_c" in value and "_i" in value:
                    found[value["_i"]] = value
                    if parent is not None:
                        parents[value["_i"]] = parent
                    parent = value
                for v in value.values():
                    walk(v, parent)
            elif isinstance(value, list):
                for v in value:
                    walk(v, parent)

        walk(self.page, None)
        self.controls, self._parents = found, parents

    def _answer(self, body: dict) -> None:
        control = self.controls.get(body["control_id"], {})
        kind, name = control.get("_c", "?"), body["name"]
        self.calls.append((kind, name, body.get("args") or {}))
        answer = self.answers.get((kind, name))
        result, error = None, None
        if answer is None:
            error = f"{kind}.{name} is not something this fake phone does"
        else:
            try:
                result = answer(body.get("args") or {})
            except Exception as problem:  # noqa: BLE001 - the phone's own failure, sent back as Flutter would
                error = str(problem)
        try:
            self.send(INVOKE, {"control_id": body["control_id"], "call_id": body["call_id"], "result": result,
                               "error": error})
        except (OSError, PhoneError):
            pass
        with self._changed:
            self._version += 1
            self._changed.notify_all()

    def _after_change(self) -> None:
        """What Flutter does on its own once controls change: an audio player reports its new sound loaded."""
        for control in list(self.controls.values()):
            if control.get("_c") == "Audio" and control.get("on_loaded") and control.get("src") is not None:
                marker = id(control.get("src"))
                if control.get("__loaded") != marker:
                    control["__loaded"] = marker
                    self.event(control, "loaded")

    # What a person does

    def event(self, control: dict, name: str, data: Any = None) -> None:
        self.send(EVENT, {"target": control["_i"], "name": name, "data": data})

    def tap(self, control: dict) -> None:
        self._alive()
        tappable = self._tappable(control)
        if tappable is None:
            raise PhoneError(f"nothing to tap in {describe(control)}")
        self.event(tappable, "click")

    def type(self, field: dict, text: str) -> None:
        """Type into a text field as Flutter reports it: focus, the new value with its change event, leave it."""
        self._alive()
        self.event(field, "focus")
        self.send(UPDATE_PROPS, {"id": field["_i"], "props": {"value": text}})
        if field.get("on_change"):
            self.event(field, "change", text)

    def leave(self, field: dict) -> None:
        self.event(field, "blur")

    def lifecycle(self, state: str) -> None:
        """The phone moves the app: "inactive", "hide", "pause" going away; "show", "resume" coming back."""
        self.event(self.page, "app_lifecycle_state_change", {"state": state})

    def _alive(self) -> None:
        if self.crashes:
            raise PhoneError(f"the app crashed: {self.crashes[-1][:3000]}")
        if self.process.poll() is not None:
            raise PhoneError(f"the app ended ({self.process.returncode}):\n{self.log_text()}")

    def _tappable(self, control: dict) -> dict | None:
        """What a finger on `control` taps: itself, a button inside it, or the tile it is part of."""
        inside = self._inside(control)
        if inside is not None:
            return inside
        parent = self._parents.get(control.get("_i"))
        while parent is not None:
            if parent.get("on_click"):
                return parent
            parent = self._parents.get(parent.get("_i"))
        return None

    def _inside(self, control: dict) -> dict | None:
        if control.get("on_click"):
            return control
        for child in children(control):
            found = self._inside(child)
            if found is not None:
                return found
        return None

    # Reading the screen

    def wait(self, condition: Callable[[], Any], what: str, timeout: float = WAIT):
        """Wait until `condition` holds (returns something truthy) on the screen as the app last sent it."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                if self.crashes:
                    raise PhoneError(f"the app crashed while waiting for {what}: {self.crashes[-1][:3000]}")
                result = condition() if self.page is not None or what == "the app's first page" else None
                if result:
                    return result
                if self.process is not None and self.process.poll() is not None:
                    raise PhoneError(f"the app ended while waiting for {what}:\n{self.log_text()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PhoneError(f"waited {timeout:.0f} s for {what}; the screen shows: {self.texts()[:60]}"
                                     f"\n{self.log_text()}")
                self._changed.wait(min(left, 0.5))

    def texts(self) -> list[str]:
        """Every word on the screen: texts, button words, field labels, screen-reader names, snack bars."""
        out = []
        for control in self.visible():
            for key in ("value", "content", "label", "text", "tooltip", "semantics_label", "hint_text", "action"):
                value = control.get(key)
                if isinstance(value, str) and value:
                    out.append(value)
        return out

    def visible(self) -> list[dict]:
        """The controls drawn now: the page's views and its open dialogs (snack bars), not its hidden services."""
        found = []

        def walk(value) -> None:
            if isinstance(value, dict):
                if "_c" in value:
                    # Hidden, or a dialog or snack bar that was closed (Flutter keeps it until it is gone).
                    if value.get("visible") is False or ("open" in value and not value["open"]):
                        return
                    found.append(value)
                for key, v in value.items():
                    if key != "_services":
                        walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)

        walk(self.page)
        return found

    def shows(self, text: str) -> bool:
        return any(text in t for t in self.texts())

    def find(self, text: str, kind: str | None = None) -> dict | None:
        """The control that shows or is named `text` (exactly), of `kind` ("TextField", "FilledButton"…)."""
        for control in self.visible():
            if kind == "TextField" and control.get("_c") == "MergeSemantics":
                # A field with its label above it: one merged node, named by the label, as a screen reader hears it.
                inside = (control.get("content") or {}).get("controls") or []
                words = [c.get("value") for c in inside if c.get("_c") == "Text"]
                fields = [c for c in inside if c.get("_c") == "TextField"]
                if text in words and fields:
                    return fields[0]
            if kind is not None and control.get("_c") != kind:
                continue
            for key in ("content", "label", "value", "text", "tooltip", "semantics_label", "action"):
                if control.get(key) == text:
                    return control
            if kind is None and control.get("_c") in ("Semantics",) and control.get("label") == text:
                return control
        return None

    def button(self, text: str) -> dict:
        return self.wait(lambda: self.find(text) if self.find(text) and self._tappable(self.find(text)) else None,
                         f"a button {text!r}")

    def field(self, label: str) -> dict:
        return self.wait(lambda: self.find(label, "TextField"), f"a field {label!r}")

    def services(self, kind: str) -> list[dict]:
        return [c for c in self.controls.values() if c.get("_c") == kind]


class AsAPhone:
    """What the phone's own services do when the app calls them: the file picker hands over paths, the share sheet
    takes files, the recorder writes Ogg Opus with its encoder, the player plays."""

    def __init__(self, phone: Phone, recording_seconds: float = 4.0):
        self.phone = phone
        self.picks: list[list[Path]] = []  # what the client will pick, one list per time the picker opens
        self.shared: list[dict] = []  # each file handed to the share sheet: name, and its bytes
        self.recording_seconds = recording_seconds
        self.recording: dict | None = None
        self.played: list[str] = []
        answers = {
            ("FilePicker", "pick_files"): self.pick_files,
            ("Share", "share_files"): self.share_files,
            ("AudioRecorder", "has_permission"): lambda args: True,
            ("AudioRecorder", "is_supported_encoder"): lambda args: args.get("encoder") in ("opus", "wav", "aacLc"),
            ("AudioRecorder", "start_recording"): self.start_recording,
            ("AudioRecorder", "stop_recording"): self.stop_recording,
            ("AudioRecorder", "cancel_recording"): self.cancel_recording,
            ("AudioRecorder", "is_recording"): lambda args: self.recording is not None,
        }
        answers[("Page", "push_route")] = self.push_route
        for method in ("play", "pause", "resume", "release", "seek", "get_duration", "get_current_position"):
            answers[("Audio", method)] = lambda args, m=method: self.played.append(m)
        phone.answers.update(answers)

    def push_route(self, args: dict) -> None:
        """Flutter's router takes the new route and tells the app, as a phone's back stack does."""
        page, route = self.phone.page, args["route"]
        if page.get("route") != route:
            page["route"] = route
            self.phone.send(UPDATE_PROPS, {"id": page["_i"], "props": {"route": route}})
            self.phone.event(page, "route_change", {"route": route})

    def pick_files(self, args: dict) -> list[dict]:
        chosen = self.picks.pop(0) if self.picks else []
        # A phone gives a path to its own copy of each file; bytes only when the app asked for them.
        return [{"id": n, "name": path.name, "size": path.stat().st_size, "path": str(path),
                 **({"bytes": path.read_bytes()} if args.get("with_data") else {})} for n, path in enumerate(chosen)]

    def share_files(self, args: dict) -> dict:
        for file in args["files"]:
            data = file.get("data")
            if data is None:
                data = Path(file["path"]).read_bytes()
            self.shared.append({"name": file.get("name") or Path(file.get("path") or "").name, "data": bytes(data),
                                "path": file.get("path")})
        return {"status": "success", "raw": "shared"}

    def start_recording(self, args: dict) -> bool:
        if not args.get("output_path"):
            raise RuntimeError("output_path must be provided on a phone")
        self.recording = args
        return True

    def stop_recording(self, args: dict) -> str | None:
        recording, self.recording = self.recording, None
        if recording is None:
            return None
        path = Path(recording["output_path"])
        encoder = (recording.get("configuration") or {}).get("encoder")
        if encoder != "opus":
            raise RuntimeError(f"this fake phone writes Opus, not {encoder}")
        # As an encoder writes it: with its own tags (a title, a place), which the app must not keep.
        path.write_bytes(ogg_opus(self.recording_seconds, {"title": "Opname 12 mei", "comment": "52.09, 5.12"}))
        return str(path)

    def cancel_recording(self, args: dict) -> None:
        recording, self.recording = self.recording, None
        if recording is not None:
            Path(recording["output_path"]).unlink(missing_ok=True)


def children(control: dict) -> list[dict]:
    out = []
    for key, value in control.items():
        if key.startswith("_") and key != "_services":
            continue
        if isinstance(value, dict) and "_c" in value:
            out.append(value)
        elif isinstance(value, list):
            out.extend(v for v in value if isinstance(v, dict) and "_c" in v)
    return out


def describe(control: dict) -> str:
    return f"{control.get('_c')}({control.get('_i')}) {[k for k in control if not k.startswith('_')]}"


def ogg_opus(seconds: float, tags: dict[str, str] | None = None) -> bytes:
    """A real Ogg Opus file as a phone's encoder writes one (16 kHz, one channel), with tags if asked for."""
    return _ogg_opus(seconds, tuple(sorted((tags or {}).items())))


@functools.cache
def _ogg_opus(seconds: float, tags: tuple[tuple[str, str], ...]) -> bytes:
    rate = 16000
    t = np.arange(int(seconds * rate)) / rate
    voice = (0.3 * np.sin(2 * np.pi * 220 * t) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t))).astype("float32")
    out = io.BytesIO()
    with soundfile.SoundFile(out, "w", rate, 1, format="OGG", subtype="OPUS") as sound:
        for key, value in tags:
            setattr(sound, key, value)
        sound.write(voice)
    return out.getvalue()
