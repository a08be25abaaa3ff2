"""The phone build's entry point: `flet build` runs a main.py at the app's root; it starts what `kompas` starts."""

import os

from kompas.cli import main

# Not behind `if __name__ == "__main__"`: the phone's embedded Python runs this file, and however it names the module,
# the app must start (nothing imports it). On a phone, whatever the embedder leaves in sys.argv is no kompas option.
raise SystemExit(main([] if os.environ.get("FLET_PLATFORM") else None))
