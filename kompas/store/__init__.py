"""Where a kompas is kept: its TinyDB file, the shelf of kompassen, PINs, .kompas files, backups, migrations."""
