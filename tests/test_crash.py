"""A writer killed with SIGKILL at random moments never leaves a file that loses a write that had returned."""

import random
import signal
import subprocess
import sys
import time

from kompas.storage import Store

# The writer reports each write only after it returned, so the parent knows what must survive.
WRITER = """
import sys
from kompas.model import Condition, Step
from kompas.storage import Store
from kompas.workbook import Outcome, Workbook

workbook = Workbook(Store.open(sys.argv[1]))
i = int(sys.argv[2])
while True:
    assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, f"notitie {i}") is Outcome.SAVED
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
