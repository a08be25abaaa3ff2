"""Lets `python -m kompas` do what the `kompas` command does."""

from kompas.cli import main

raise SystemExit(main())
