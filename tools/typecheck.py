"""mypy on kompas/, held to a baseline: the errors the code had when the check came in may stay (each is a to-do),
but no change may add one. Run by .ci/run; `--update` writes the baseline anew after errors were fixed."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "tools" / "mypy-baseline.txt"
# "kompas/store/shelf.py:12: error: Item "None" of ... has no attribute "x"  [union-attr]"; the line number is left
# out of the key, so that an edit above an old error does not make it new.
ERROR = re.compile(r"^(?P<path>[^:]+):\d+(?::\d+)?: error: (?P<message>.*?)\s+\[(?P<code>[a-z-]+)\]$")


def errors() -> Counter[str]:
    result = subprocess.run([sys.executable, "-m", "mypy", "kompas"], cwd=ROOT, capture_output=True, text=True)
    if result.returncode not in (0, 1) or "error: " not in result.stdout and result.returncode:
        sys.exit(f"mypy did not run:\n{result.stdout}{result.stderr}")
    found: Counter[str] = Counter()
    for line in result.stdout.splitlines():
        match = ERROR.match(line)
        if match:
            found[f"{match['path']}: {match['message']}  [{match['code']}]"] += 1
    return found


def read_baseline() -> Counter[str]:
    kept: Counter[str] = Counter()
    for line in BASELINE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            count, _, key = line.partition(" ")
            kept[key] += int(count)
    return kept


def main(argv: list[str]) -> int:
    found = errors()
    if "--update" in argv:
        lines = [f"{count} {key}" for key, count in sorted(found.items())]
        BASELINE.write_text("# mypy's errors on kompas/ that may stay for now (tools/typecheck.py): count, file, error.\n"
                            + "\n".join(lines) + "\n", encoding="utf-8")
        print(f"baseline: {sum(found.values())} errors")
        return 0
    kept = read_baseline()
    new = found - kept
    gone = kept - found
    if new:
        print(f"mypy: {sum(new.values())} new errors (not in {BASELINE.relative_to(ROOT)}):")
        for key, count in sorted(new.items()):
            print(f"  {count}× {key}")
        return 1
    print(f"mypy: {sum(found.values())} errors, none new (baseline {sum(kept.values())})"
          + (f"; {sum(gone.values())} fixed: run tools/typecheck.py --update" if gone else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
