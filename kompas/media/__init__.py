"""Photos, speech and recordings: Pillow, espeak-ng and Opus, without any screen."""
