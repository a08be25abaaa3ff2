"""Writers in other processes: killed with SIGKILL at random moments, or a second copy of the app on the same folder."""

import random
import signal
import subprocess
import sys
import time

import pytest

from kompas.store.lock import LOCK_FILE, FolderInUse
from kompas.store.storage import Store

# The writer reports each write only after it returned, so the parent knows what must survive.
WRITER = """
import sys
from kompas.domain.model import Condition, Step
from kompas.store.storage import Store
from kompas.workbook.workbook import Outcome, Workbook

workbook = Workbook(Store.open(sys.argv[1]))
i = int(sys.argv[2])
while True:
    # Spread over the steps: one step holds at most MAX_NOTES_PER_STEP notes.
    assert workbook.add_note(list(Condition)[i % 4], list(Step)[i // 4 % 5], f"notitie {i}") is Outcome.SAVED
    assert workbook.set_wish(f"wens {i}") is Outcome.SAVED
    print(i, flush=True)
    i += 1
"""

ROUNDS = 25


def test_sigkill_during_writes_never_loses_a_returned_write(tmp_path):
    rng = random.Random(20261121)
    confirmed: list[int] = []
    next_i = 0
    for _ in range(ROUNDS):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path), str(next_i)],
            stdout=subprocess.PIPE, text=True,
        )
        # Wait until it writes, then kill it at a random moment in its stream of writes.
        first = proc.stdout.readline()
        assert first.strip(), "the writer never wrote"
        confirmed.append(int(first))
        time.sleep(rng.uniform(0.0, 0.15))
        proc.send_signal(signal.SIGKILL)
        out, _err = proc.communicate()
        confirmed.extend(int(line) for line in out.split())
        proc.wait()

        leftovers = list(tmp_path.glob(".*.tmp"))
        store = Store.open(tmp_path)
        assert store.problem is None, "a killed writer left a file that could not be read"
        kompas = store.load()
        texts = {n.text for n in kompas.notes}
        missing = [i for i in confirmed if f"notitie {i}" not in texts]
        assert missing == []
        assert int(kompas.wish.split()[1]) >= confirmed[-1], "the last confirmed wish was lost"
        store.close()
        assert all(not p.exists() for p in leftovers), "opening must clear what a killed write left behind"
        next_i = confirmed[-1] + 1
        # Notes written after the last confirmation may or may not be there; start past them.
        next_i = max(next_i, max(int(t.split()[1]) for t in texts) + 1)

    assert len(confirmed) > ROUNDS
    assert not list(tmp_path.glob("kompas.unreadable-*"))


# One copy of the app on a data folder: it says when it has the folder, then waits for a line
# on stdin before writing its notes, each reported only after it returned.
COPY = """
import sys
from kompas.domain.model import Condition, Step
from kompas.store.lock import FolderInUse
from kompas.store.storage import Store
from kompas.workbook.workbook import Outcome, Workbook

try:
    store = Store.open(sys.argv[1])
except FolderInUse:
    print("in gebruik", flush=True)
    sys.exit(3)
print("open", flush=True)
sys.stdin.readline()
workbook = Workbook(store)
for i in range(int(sys.argv[3])):
    assert workbook.add_note(Condition.MEEDOEN, list(Step)[i % 5], f"{sys.argv[2]} {i}") is Outcome.SAVED
    print(i, flush=True)
"""


def start_copy(folder, name: str, notes: int = 150) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", COPY, str(folder), name, str(notes)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_second_copy_of_the_app_refuses_the_folder_and_nothing_acknowledged_is_lost(tmp_path):
    first = start_copy(tmp_path, "eerste")
    assert first.stdout.readline() == "open\n"
    second = start_copy(tmp_path, "tweede")
    out, err = second.communicate("\n", timeout=30)
    assert (second.returncode, out, err) == (3, "in gebruik\n", ""), "the second copy stops cleanly, writing nothing"
    out, err = first.communicate("\n", timeout=60)
    assert first.returncode == 0, err
    acknowledged = [f"eerste {i}" for i in out.split()]
    # Once the first copy has gone, the folder is free again.
    third = start_copy(tmp_path, "derde")
    assert third.stdout.readline() == "open\n"
    out, err = third.communicate("\n", timeout=60)
    assert third.returncode == 0, err
    acknowledged += [f"derde {i}" for i in out.split()]

    with Store.open(tmp_path) as store:
        texts = [n.text for n in store.load().notes]
    assert len(acknowledged) == 300
    assert texts == acknowledged


HOLDER = """
import sys, time
from kompas.store.storage import Store

store = Store.open(sys.argv[1])
store.put_wish("van de vorige keer")
print("open", flush=True)
time.sleep(60)
"""


def test_a_copy_that_was_killed_does_not_keep_the_folder_locked(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "open\n"
        with pytest.raises(FolderInUse):
            Store.open(tmp_path)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.communicate()
    assert (tmp_path / LOCK_FILE).exists(), "the lock file stays; only the OS lock on it went with the process"
    with Store.open(tmp_path) as store:
        assert store.problem is None
        assert store.load().wish == "van de vorige keer"
        store.put_wish("weer verder")
