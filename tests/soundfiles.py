"""Real sound for the tests: a voice (espeak-ng's) as a browser's microphone streams it, chunk by chunk, in time."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from kompas.media.recording import Take
from kompas.media.speech import Pace, pcm

# The record_web worklet sends 8 KiB at a time, as the server's on_stream receives them.
CHUNK = 8192


def spoken(text: str, folder: Path, language: str = "nl") -> tuple[np.ndarray, int]:
    """`text` said by espeak-ng: its samples (16-bit) and rate. (`folder` is no longer needed: nothing is kept.)"""
    samples, rate = pcm(text, language, Pace.NORMAL)
    return np.frombuffer(samples, "<i2"), rate


def as_microphone(samples: np.ndarray, rate: int, to_rate: int = 48000, channels: int = 1) -> bytes:
    """The sound as raw PCM16 at the microphone's own rate, mono or (a mono microphone given as) stereo."""
    count = int(samples.size * to_rate / rate)
    out = np.interp(np.arange(count) * rate / to_rate, np.arange(samples.size), samples).astype("<i2")
    return (np.repeat(out, 2) if channels == 2 else out).tobytes()


class Clock:
    """The time as the server sees it: set forward by the test, as chunks arrive."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def streamed(pcm: bytes, bytes_per_second: int, seed: int = 1, jitter: float = 0.03) -> Take:
    """A Take fed as the recorder's stream feeds it: 8 KiB chunks, each arriving when it was spoken, give or take
    `jitter` seconds of network; the stop tap comes a little after the last."""
    clock = Clock()
    take = Take(clock=clock)
    shuffle = random.Random(seed)
    spoken_until = clock.now + 0.08  # the first chunk comes a moment after the tap
    for at in range(0, len(pcm), CHUNK):
        chunk = pcm[at:at + CHUNK]
        spoken_until += len(chunk) / bytes_per_second
        clock.now = max(clock.now, spoken_until + shuffle.uniform(0, jitter))
        take.add(chunk)
    clock.now += 0.4
    return take


def take_of(text: str, folder: Path, language: str = "nl", rate: int = 48000, channels: int = 1) -> Take:
    """`text` said into a browser's microphone of `rate` and `channels`, as the server received it."""
    samples, own_rate = spoken(text, folder, language)
    return streamed(as_microphone(samples, own_rate, rate, channels), rate * channels * 2)
