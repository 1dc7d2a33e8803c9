#!/usr/bin/env python3
"""Synthesise the four default soundtracks (classic, modern, cinematic, vintage).

Every sound is made here from sine waves and seeded noise — no samples, no recordings — so the
tracks are ours to license (CC0). Run from the repository root:

    .venv/bin/python scripts/make_soundtracks.py [--out DIR] [--only STYLE ...]

Each track is an exact number of bars at a tempo whose beat is a whole number of samples, and it
loops seamlessly: notes that ring past the end wrap around to the start, and every filter, echo
and reverb is applied as a *circular* FFT convolution over the loop, so the loop's end flows into
its start exactly as bar n flows into bar n+1. The loudness is measured with FFmpeg's EBU R128
meter and set to about -18 LUFS; a memoryless soft limiter keeps peaks under -1.5 dBFS.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

Audio = npt.NDArray[np.float64]

SR = 44100
TARGET_LUFS = -18.0
PEAK_CEILING_DB = -1.5  # sample peak; leaves room for AAC's overshoot under the -1 dBFS limit
ROOT = Path(__file__).resolve().parents[1]
MUSIC_DIR = ROOT / "rendering" / "pipeline" / "assets" / "music"


def midi_hz(note: float) -> float:
    return float(440.0 * 2.0 ** ((note - 69.0) / 12.0))


# ---------------------------------------------------------------------------------------------
# A loop buffer: stereo, circular.


class Loop:
    """A stereo buffer of exactly ``bars`` bars; whatever runs past the end wraps to the start."""

    def __init__(self, bpm: int, bars: int, beats_per_bar: int = 4) -> None:
        beat = SR * 60 / bpm
        if beat != int(beat):
            raise ValueError(f"{bpm} bpm is not a whole number of samples per beat")
        self.beat = int(beat)
        self.bpm = bpm
        self.bars = bars
        self.beats_per_bar = beats_per_bar
        self.length = self.beat * beats_per_bar * bars
        self.buf: Audio = np.zeros((2, self.length))

    def at(self, beats: float) -> int:
        return round(beats * self.beat)

    def add(self, sig: Audio, start: int, pan: float = 0.0, gain: float = 1.0) -> None:
        """Mix ``sig`` (mono or stereo) in at ``start`` samples; ``pan`` -1 (left) .. 1 (right)."""
        if sig.ndim == 1:
            angle = (pan + 1.0) * np.pi / 4.0  # constant-power pan
            stereo = np.stack([sig * np.cos(angle), sig * np.sin(angle)]) * np.sqrt(2.0)
        else:
            stereo = sig
        stereo = stereo * gain
        start %= self.length
        pos = 0
        n = stereo.shape[1]
        while pos < n:  # wrap as often as needed (a tail longer than the loop is unusual)
            chunk = min(n - pos, self.length - start)
            self.buf[:, start : start + chunk] += stereo[:, pos : pos + chunk]
            pos += chunk
            start = 0


# ---------------------------------------------------------------------------------------------
# Envelopes and instruments. Each returns a mono (or stereo) signal starting at its onset.


def times(n: int) -> Audio:
    return np.arange(n) / SR


def adsr(n: int, attack: float, release: float, hold_n: int) -> Audio:
    """Raised-cosine attack, flat until ``hold_n`` samples, raised-cosine release after it."""
    env = np.ones(n)
    a = max(1, int(attack * SR))
    a = min(a, n)
    env[:a] = 0.5 - 0.5 * np.cos(np.pi * np.arange(a) / a)
    r = max(1, int(release * SR))
    end = min(n, hold_n + r)
    if hold_n < n:
        fall = 0.5 + 0.5 * np.cos(np.pi * np.arange(end - hold_n) / r)
        env[hold_n:end] *= fall
        env[end:] = 0.0
    return env


def harmonic_sum(phase: Audio, weights: Sequence[float]) -> Audio:
    """sum_k weights[k-1] * sin(k * phase), by the Chebyshev recurrence (one multiply-add each)."""
    out = np.zeros_like(phase)
    s_prev = np.zeros_like(phase)
    s_k = np.sin(phase)
    two_cos = 2.0 * np.cos(phase)
    for w in weights:
        if w:
            out += w * s_k
        s_prev, s_k = s_k, two_cos * s_k - s_prev
    return out


def felt_piano(freq: float, dur: float, vel: float, rng: np.random.Generator) -> Audio:
    """Soft hammered string: few, quickly-decaying upper partials, slight inharmonicity."""
    n = int((dur + 1.2) * SR)
    t = times(n)
    out = np.zeros(n)
    stiffness = 0.0004
    for k in range(1, 13):
        fk = k * freq * np.sqrt(1.0 + stiffness * k * k)
        if fk > 5000:
            break
        amp = (1.0 / k**1.6) * np.exp(-(k - 1) / (2.0 + 2.0 * vel))  # felt: dull upper partials
        decay = 0.55 + 0.35 * k + freq / 900.0
        out += amp * np.exp(-decay * t) * np.sin(2 * np.pi * fk * t + rng.uniform(0, 2 * np.pi))
    # Damper: the note fades over 0.6 s after the key is released.
    return out * adsr(n, 0.006, 0.6, int(dur * SR)) * vel


def fm_bell(freq: float, vel: float, ratio: float = 3.5, decay: float = 1.4) -> Audio:
    """Music-box tine: FM with a quickly-falling index, so the metallic shimmer is brief."""
    n = int((decay * 4.0) * SR)
    t = times(n)
    index = 1.1 * np.exp(-t / 0.12) + 0.15
    mod = index * np.sin(2 * np.pi * freq * ratio * t)
    car = np.sin(2 * np.pi * freq * t + mod)
    body = 0.25 * np.sin(2 * np.pi * freq * 2.0 * t) * np.exp(-t / (decay * 0.4))
    env = np.exp(-t / decay) * adsr(n, 0.002, 0.05, n)
    return (car + body) * env * vel


def pluck(freq: float, dur: float, vel: float, brightness: float = 1.0) -> Audio:
    """Plucked synth: the higher a partial, the faster it decays, like a string or filter sweep."""
    n = int((dur + 0.5) * SR)
    t = times(n)
    out = np.zeros(n)
    for k in range(1, 20):
        if k * freq > 4500 * brightness:
            break
        out += (
            (1.0 / k) * np.exp(-t * (4.0 + 2.2 * k / brightness)) * np.sin(2 * np.pi * k * freq * t)
        )
    return out * adsr(n, 0.003, 0.25, int(dur * SR)) * vel


def saw_pad(
    freqs: Sequence[float],
    dur: float,
    rng: np.random.Generator,
    *,
    attack: float,
    release: float,
    cutoff: float,
    voices: int = 3,
    detune_cents: float = 7.0,
    spread: float = 0.8,
) -> Audio:
    """Detuned band-limited saws, low-passed by harmonic weighting; voices spread in stereo."""
    n = int((dur + release) * SR)
    t = times(n)
    out = np.zeros((2, n))
    for f in freqs:
        for v in range(voices):
            offset = (v - (voices - 1) / 2) / max(1, (voices - 1) / 2)  # -1 .. 1
            fv = f * 2.0 ** (offset * detune_cents / 1200.0)
            kmax = int(min(cutoff * 2.5, 8000) // fv)
            weights = [
                (1.0 / k) / np.sqrt(1.0 + (k * fv / cutoff) ** 4) for k in range(1, kmax + 1)
            ]
            phase = 2 * np.pi * fv * t + rng.uniform(0, 2 * np.pi)
            sig = harmonic_sum(phase, weights)
            angle = (offset * spread + 1.0) * np.pi / 4.0
            out[0] += sig * np.cos(angle)
            out[1] += sig * np.sin(angle)
    env = adsr(n, attack, release, int(dur * SR))
    result: Audio = out * env / (len(freqs) * voices) ** 0.5
    return result


def kick(vel: float) -> Audio:
    """Soft kick: a sine whose pitch falls from ~120 to 48 Hz, no click."""
    n = int(0.45 * SR)
    t = times(n)
    f = 48.0 + 72.0 * np.exp(-t / 0.035)
    phase = 2 * np.pi * np.cumsum(f) / SR
    return np.sin(phase) * np.exp(-t / 0.16) * adsr(n, 0.002, 0.05, n) * vel


def shaped_noise(n: int, rng: np.random.Generator, low: float, high: float) -> Audio:
    """White noise band-limited to [low, high] Hz in the frequency domain."""
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / SR)
    gain = 1.0 / np.sqrt(1.0 + (low / np.maximum(f, 1.0)) ** 4) / np.sqrt(1.0 + (f / high) ** 4)
    sig = np.fft.irfft(spec * gain, n)
    return sig / (np.std(sig) + 1e-12)


def clap(vel: float, rng: np.random.Generator) -> Audio:
    """Clap-like: three quick noise bursts then a short tail, band-passed around 1-2.5 kHz."""
    n = int(0.3 * SR)
    t = times(n)
    env = np.exp(-t / 0.07)
    for burst in (0.0, 0.011, 0.022):
        env += 0.8 * np.exp(-np.maximum(t - burst, 0) / 0.006) * (t >= burst)
    return shaped_noise(n, rng, 900.0, 2600.0) * env * adsr(n, 0.001, 0.05, n) * vel * 0.3


def shaker(vel: float, rng: np.random.Generator) -> Audio:
    n = int(0.08 * SR)
    t = times(n)
    return shaped_noise(n, rng, 3000.0, 6500.0) * np.exp(-t / 0.018) * vel * 0.25


def sine_bass(freq: float, dur: float, vel: float) -> Audio:
    n = int((dur + 0.15) * SR)
    t = times(n)
    sig = np.sin(2 * np.pi * freq * t) + 0.25 * np.sin(4 * np.pi * freq * t)
    sig += 0.08 * np.sin(6 * np.pi * freq * t)
    return sig * adsr(n, 0.008, 0.12, int(dur * SR)) * np.exp(-t / 1.5) * vel


# ---------------------------------------------------------------------------------------------
# Circular (loop-steady) effects in the frequency domain.


def _freqs(n: int) -> Audio:
    return np.fft.rfftfreq(n, 1 / SR).astype(np.float64)


def tone(buf: Audio, *, lowpass: float, highpass: float = 30.0) -> Audio:
    """Gentle zero-phase 2nd-order-like high- and low-pass, applied circularly."""
    n = buf.shape[-1]
    f = _freqs(n)
    h = 1.0 / np.sqrt(1.0 + (f / lowpass) ** 4)
    h *= 1.0 / np.sqrt(1.0 + (highpass / np.maximum(f, 1e-3)) ** 4)
    return np.fft.irfft(np.fft.rfft(buf, axis=-1) * h, n, axis=-1)


def reverb(
    buf: Audio, rng: np.random.Generator, *, seconds: float, wet: float, damp: float
) -> Audio:
    """Hall reverb by circular convolution with a synthetic stereo impulse response.

    The IR is decorrelated noise per channel under an exponential decay (RT60 = ``seconds``),
    darkened above ``damp`` Hz, after a 25 ms pre-delay and a few early reflections — the sum of
    many feedback delays, written directly as their impulse response.
    """
    n = buf.shape[-1]
    ir_len = int(seconds * 1.2 * SR)
    t = times(ir_len)
    ir = np.zeros((2, n))
    for ch in range(2):
        tail = rng.standard_normal(ir_len) * np.exp(-6.9 * t / seconds)
        tail *= 1.0 - np.exp(-t / 0.04)  # fade in the diffuse tail
        tail = tone(tail, lowpass=damp, highpass=120.0)
        pre = int(0.025 * SR)
        ir[ch, pre : pre + ir_len] = tail / np.sqrt(np.sum(tail**2))
        for delay, g in ((0.011, 0.5), (0.019, 0.35), (0.031, 0.25)):  # early reflections
            ir[ch, int((delay + 0.004 * ch) * SR)] += g * 0.3
    spec = np.fft.rfft(ir, axis=-1)
    wet_sig = np.fft.irfft(np.fft.rfft(buf, axis=-1) * spec, n, axis=-1)
    return buf * (1.0 - wet) + wet_sig * wet * 1.6


def echo(buf: Audio, *, delay_s: float, feedback: float, mix: float, damp: float) -> Audio:
    """Feedback delay (ping-pong-ish: right channel offset), circular: H = 1 / (1 - g e^{-iwD})."""
    n = buf.shape[-1]
    f = _freqs(n)
    lp = 1.0 / np.sqrt(1.0 + (f / damp) ** 4)  # each repeat is darker
    out = np.empty_like(buf)
    for ch in range(2):
        d = delay_s * (1.0 + 0.5 * ch)
        z = np.exp(-2j * np.pi * f * d)
        h = mix * lp * z / (1.0 - feedback * lp * z)
        out[ch] = np.fft.irfft(np.fft.rfft(buf[ch]) * (1.0 + h), n)
    return out


def wow_flutter(buf: Audio, loop_s: float, *, wow_cycles: int, flutter_cycles: int) -> Audio:
    """Tape/turntable pitch wobble: read the loop at a time-varying, loop-periodic offset."""
    n = buf.shape[-1]
    t = np.arange(n)
    offset = 0.0018 * SR * np.sin(2 * np.pi * wow_cycles * t / n)  # ~±0.2% pitch at ~0.5 Hz
    offset += 0.00012 * SR * np.sin(2 * np.pi * flutter_cycles * t / n)
    pos = (t + offset) % n
    i0 = np.floor(pos).astype(np.int64)
    frac = pos - i0
    i1 = (i0 + 1) % n
    result: Audio = buf[:, i0] * (1.0 - frac) + buf[:, i1] * frac
    return result


def soft_limit(buf: Audio, ceiling_db: float) -> Audio:
    """Memoryless soft knee above 0.7 x ceiling (keeps the loop seamless: no limiter state)."""
    c = 10 ** (ceiling_db / 20)
    knee = 0.7 * c
    a = np.abs(buf)
    over = a > knee
    squashed = knee + (c - knee) * np.tanh((a - knee) / (c - knee))
    return np.where(over, np.sign(buf) * squashed, buf)


# ---------------------------------------------------------------------------------------------
# Harmony helpers.

MAJOR = (0, 4, 7)
MINOR = (0, 3, 7)


@dataclass(frozen=True)
class Chord:
    root: int  # MIDI note of the root in octave 3 (C3 = 48)
    quality: tuple[int, int, int]

    def tones(self, low: int, high: int) -> list[int]:
        """Every chord tone between ``low`` and ``high`` inclusive."""
        pcs = {(self.root + i) % 12 for i in self.quality}
        return [m for m in range(low, high + 1) if m % 12 in pcs]


def jitter(rng: np.random.Generator, ms: float = 6.0) -> int:
    """Human timing: a few milliseconds early or late."""
    return int(rng.normal(0.0, ms / 1000.0) * SR)


# ---------------------------------------------------------------------------------------------
# The four styles.


def classic(rng: np.random.Generator) -> Loop:
    """Warm felt piano arpeggios over soft pads, C major, I-V-vi-IV, 72 bpm, 24 bars (80 s)."""
    loop = Loop(bpm=72, bars=24)
    prog = [Chord(48, MAJOR), Chord(43, MAJOR), Chord(45, MINOR), Chord(41, MAJOR)]
    bar_s = 4 * loop.beat / SR
    for bar in range(loop.bars):
        ch = prog[bar % 4]
        start = loop.at(bar * 4)
        # Pad: a close voicing around middle C, a little longer than the bar so chords overlap.
        pad_notes = [midi_hz(m) for m in ch.tones(53, 67)[:4]]
        pad = saw_pad(pad_notes, bar_s * 1.02, rng, attack=0.9, release=1.4, cutoff=900.0)
        loop.add(pad, start, gain=0.16)
        # Bass: the root, low on the piano.
        root = ch.root if ch.root >= 43 else ch.root + 12
        loop.add(
            felt_piano(midi_hz(root - 12), 3.0, 0.55, rng), start + jitter(rng), pan=-0.1, gain=0.6
        )
        # Arpeggio: eighths climbing through the chord and back, left of centre.
        third = 4 if ch.quality == MAJOR else 3
        arp = [0, 7, 12, 12 + third, 19, 12 + third, 12, 7]
        thin = 12 <= bar < 16
        for i, step in enumerate(arp):
            if thin and i % 2:
                continue
            vel = (0.5 if i == 0 else 0.36) * rng.uniform(0.9, 1.05)
            note = root + step
            loop.add(
                felt_piano(midi_hz(note), 0.9, vel, rng),
                start + loop.at(i / 2) + jitter(rng),
                pan=-0.35 + 0.1 * (i % 3),
                gain=0.55,
            )
    # Melody over bars 5-12 and 17-24 (two cycles each), right of centre.
    melody = [  # (bar, beat, beats, midi)
        (0, 0, 2, 76),
        (0, 2, 1, 74),
        (0, 3, 1, 72),
        (1, 0, 3, 74),
        (1, 3, 1, 71),
        (2, 0, 2, 72),
        (2, 2, 1, 76),
        (2, 3, 1, 81),
        (3, 0, 2, 79),
        (3, 2, 1, 77),
        (3, 3, 1, 76),
        (4, 0, 2, 76),
        (4, 2, 2, 79),
        (5, 0, 2, 74),
        (5, 2, 1, 71),
        (5, 3, 1, 74),
        (6, 0, 1, 72),
        (6, 1, 1, 71),
        (6, 2, 2, 69),
        (7, 0, 4, 72),
    ]
    for first_bar, octave_doubling in ((4, False), (16, True)):
        for bar, beat, beats, note in melody:
            start = loop.at((first_bar + bar) * 4 + beat) + jitter(rng, 8)
            dur = beats * loop.beat / SR
            loop.add(felt_piano(midi_hz(note), dur, 0.62, rng), start, pan=0.25, gain=0.7)
            if octave_doubling:
                loop.add(felt_piano(midi_hz(note - 12), dur, 0.4, rng), start, pan=0.4, gain=0.5)
    loop.buf = tone(loop.buf, lowpass=6500.0, highpass=35.0)
    loop.buf = reverb(loop.buf, rng, seconds=2.6, wet=0.28, damp=4500.0)
    return loop


def modern(rng: np.random.Generator) -> Loop:
    """Bright plucked ostinato, soft kick and clap, G major vi-IV-I-V, 108 bpm, 32 bars (71 s)."""
    loop = Loop(bpm=108, bars=32)
    prog = [Chord(52, MINOR), Chord(48, MAJOR), Chord(55, MAJOR), Chord(50, MAJOR)]
    bar_s = 4 * loop.beat / SR
    sixteenth = loop.beat // 4
    pattern = [0, 2, 3, 5, 6, 8, 10, 11, 13, 14]  # syncopated sixteenths
    for bar in range(loop.bars):
        ch = prog[bar % 4]
        start = loop.at(bar * 4)
        breakdown = bar >= 28  # last four bars: no drums, so the loop restart lands like a drop
        pad = saw_pad(
            [midi_hz(m) for m in ch.tones(55, 71)[:4]],
            bar_s,
            rng,
            attack=0.3,
            release=0.6,
            cutoff=1400.0,
            voices=2,
        )
        loop.add(pad, start, gain=0.12 if not breakdown else 0.2)
        tones = ch.tones(62, 79)
        for j, pos in enumerate(pattern):
            note = tones[(j * 2 + (bar // 4) % 2) % len(tones)]
            vel = (0.55 if pos in (0, 8) else 0.4) * rng.uniform(0.9, 1.0)
            loop.add(
                pluck(midi_hz(note), 0.12, vel, brightness=1.0 + 0.3 * (bar % 2)),
                start + pos * sixteenth,
                pan=0.3 if j % 2 else -0.3,
                gain=0.42,
            )
        root = ch.root - 12 if ch.root - 12 >= 38 else ch.root
        for e in range(8):  # eighth-note bass, octave jump on the offbeat
            n = root + (12 if e % 2 else 0)
            loop.add(
                sine_bass(midi_hz(n - 12), 0.22, 0.5 if e % 2 == 0 else 0.35),
                start + e * 2 * sixteenth,
                gain=0.6 if not breakdown else 0.3,
            )
        if breakdown:
            continue
        for beat in range(4):
            loop.add(kick(0.9 if beat in (0, 2) else 0.6), start + beat * loop.beat, gain=0.6)
            if beat in (1, 3):
                loop.add(
                    clap(0.8, rng), start + beat * loop.beat + jitter(rng, 3), pan=0.05, gain=0.5
                )
        for s in range(16):
            loop.add(
                shaker(0.5 if s % 2 else 0.8, rng),
                start + s * sixteenth + jitter(rng, 3),
                pan=0.45,
                gain=0.3,
            )
    loop.buf = tone(loop.buf, lowpass=8000.0, highpass=32.0)
    loop.buf = echo(loop.buf, delay_s=3 * sixteenth / SR, feedback=0.3, mix=0.18, damp=3000.0)
    loop.buf = reverb(loop.buf, rng, seconds=1.6, wet=0.18, damp=5000.0)
    return loop


def cinematic(rng: np.random.Generator) -> Loop:
    """Wide string pads, a low drone and swells, D minor i-VI-III-VII, 60 bpm, 16 bars (64 s)."""
    loop = Loop(bpm=60, bars=16)
    prog = [Chord(50, MINOR), Chord(46, MAJOR), Chord(53, MAJOR), Chord(48, MAJOR)]
    loop_s = loop.length / SR
    # Drone on D and A, tuned to a whole number of cycles per loop so it never jumps at the seam.
    t = times(loop.length)
    drone = np.zeros(loop.length)
    for note, amp in ((38, 1.0), (45, 0.45), (50, 0.25)):
        f = round(midi_hz(note) * loop_s) / loop_s
        drone += amp * np.sin(2 * np.pi * f * t) * (1.0 + 0.25 * np.sin(2 * np.pi * 4 * t / loop_s))
    loop.add(drone, 0, gain=0.11)
    for i in range(8):  # two bars (8 s) per chord, two passes
        ch = prog[i % 4]
        start = loop.at(i * 8)
        second_pass = i >= 4
        swell = 0.75 + 0.25 * np.sin(np.pi * (i % 4) / 3)  # dynamics rise through each pass
        strings = saw_pad(
            [midi_hz(m) for m in ch.tones(50, 69)[:5]],
            8.4,
            rng,
            attack=2.8,
            release=3.2,
            cutoff=1300.0,
            voices=5,
            detune_cents=9.0,
            spread=1.0,
        )
        loop.add(strings, start, gain=0.3 * swell)
        low = saw_pad(
            [midi_hz(ch.root - 12)],
            8.4,
            rng,
            attack=2.0,
            release=3.0,
            cutoff=420.0,
            voices=3,
            detune_cents=5.0,
            spread=0.3,
        )
        loop.add(low, start, gain=0.22 * swell)
        if second_pass:  # high strings an octave up join the second time round
            high = saw_pad(
                [midi_hz(m) for m in ch.tones(69, 81)[:3]],
                8.2,
                rng,
                attack=3.5,
                release=3.5,
                cutoff=2200.0,
                voices=4,
                detune_cents=10.0,
                spread=1.0,
            )
            loop.add(high, start + loop.at(0.5), gain=0.13 * swell)
        # A soft low boom under each chord change.
        boom_n = int(3.0 * SR)
        bt = times(boom_n)
        boom = np.sin(2 * np.pi * np.cumsum(38.0 + 30.0 * np.exp(-bt / 0.12)) / SR)
        loop.add(boom * np.exp(-bt / 0.9) * adsr(boom_n, 0.01, 0.1, boom_n), start, gain=0.3)
        # Sparse piano motif on the second pass: chord tones falling, far and reverberant.
        if second_pass:
            motif = ch.tones(62, 77)[::-1][:3]
            for k, note in enumerate(motif):
                loop.add(
                    felt_piano(midi_hz(note), 1.5, 0.45, rng),
                    start + loop.at(2 + 1.5 * k) + jitter(rng, 10),
                    pan=0.3 - 0.3 * k,
                    gain=0.5,
                )
    loop.buf = tone(loop.buf, lowpass=5200.0, highpass=28.0)
    loop.buf = reverb(loop.buf, rng, seconds=4.5, wet=0.4, damp=3500.0)
    return loop


def vintage(rng: np.random.Generator) -> Loop:
    """Music box over a warm pad, F major I-vi-IV-V, 80 bpm, 24 bars (72 s), wow and crackle."""
    loop = Loop(bpm=80, bars=24)
    prog = [Chord(53, MAJOR), Chord(50, MINOR), Chord(46, MAJOR), Chord(48, MAJOR)]
    bar_s = 4 * loop.beat / SR
    for bar in range(loop.bars):
        ch = prog[bar % 4]
        start = loop.at(bar * 4)
        pad = saw_pad(
            [midi_hz(m) for m in ch.tones(53, 65)[:3]],
            bar_s * 1.02,
            rng,
            attack=0.6,
            release=1.0,
            cutoff=700.0,
            voices=2,
            detune_cents=5.0,
        )
        loop.add(pad, start, gain=0.13)
        # Broken chords on the low tines: root, fifth, third, fifth in eighths.
        tones = ch.tones(60, 79)
        order = [0, 2, 1, 2, 3, 2, 1, 2]
        for i, k in enumerate(order):
            if bar >= 20 and i % 2:
                continue  # the last bars thin out, like a winding-down box
            note = tones[k % len(tones)]
            vel = (0.45 if i == 0 else 0.32) * rng.uniform(0.85, 1.05)
            loop.add(
                fm_bell(midi_hz(note), vel),
                start + loop.at(i / 2) + jitter(rng, 4),
                pan=-0.3,
                gain=0.5,
            )
    melody = [  # (bar, beat, midi)
        (0, 0, 81),
        (0, 1, 79),
        (0, 1.5, 77),
        (0, 2, 84),
        (1, 0, 81),
        (1, 1.5, 77),
        (1, 2, 74),
        (2, 0, 74),
        (2, 1, 77),
        (2, 2, 82),
        (2, 3, 81),
        (3, 0, 79),
        (4, 0, 81),
        (4, 1, 84),
        (4, 2, 81),
        (4, 3, 77),
        (5, 0, 77),
        (5, 1.5, 76),
        (5, 2, 74),
        (5, 3, 77),
        (6, 0, 74),
        (6, 1, 70),
        (6, 2, 79),
        (6, 3, 76),
        (7, 0, 76),
        (7, 2, 79),
    ]
    for first_bar in (4, 12):
        for bar, beat, note in melody:
            shift = -12 if first_bar == 12 and bar >= 4 else 0  # the repeat ends an octave lower
            loop.add(
                fm_bell(midi_hz(note + shift), 0.6, decay=1.8),
                loop.at((first_bar + bar) * 4 + beat) + jitter(rng, 5),
                pan=0.25,
                gain=0.5,
            )
    loop.buf = reverb(loop.buf, rng, seconds=2.2, wet=0.3, damp=4000.0)
    loop_s = loop.length / SR
    loop.buf = wow_flutter(
        loop.buf, loop_s, wow_cycles=round(0.5 * loop_s), flutter_cycles=round(5.5 * loop_s)
    )
    # Vinyl: sparse soft clicks and a faint rumble-free hiss, dark like an old record.
    crackle = np.zeros((2, loop.length))
    clicks = rng.integers(0, loop.length, size=int(loop_s * 7))
    for c in clicks:
        width = int(rng.integers(3, 25))
        shape = np.hanning(width) * rng.choice([-1.0, 1.0]) * rng.uniform(0.2, 1.0)
        for side in range(2):
            idx = (c + np.arange(width)) % loop.length
            crackle[side, idx] += shape * (1.0 if side == rng.integers(0, 2) else 0.6)
    crackle += 0.015 * rng.standard_normal((2, loop.length))
    crackle = tone(crackle, lowpass=3500.0, highpass=400.0)
    crackle *= 0.006 / (np.sqrt(np.mean(crackle**2)) + 1e-12)
    loop.buf = loop.buf / (np.max(np.abs(loop.buf)) + 1e-12) * 0.5 + crackle
    loop.buf = tone(loop.buf, lowpass=4800.0, highpass=60.0)  # small-speaker, lo-fi band
    return loop


STYLES: dict[str, Callable[[np.random.Generator], Loop]] = {
    "classic": classic,
    "modern": modern,
    "cinematic": cinematic,
    "vintage": vintage,
}
SEEDS = {"classic": 1972, "modern": 2010, "cinematic": 1939, "vintage": 1955}


# ---------------------------------------------------------------------------------------------
# Measuring and encoding.


def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def write_wav(path: Path, buf: Audio) -> None:
    pcm = np.clip(np.round(buf.T * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(pcm.tobytes())


def measure(path: Path) -> dict[str, float]:
    """Integrated loudness (LUFS), true peak (dBTP) and LRA, by FFmpeg's loudnorm analyser."""
    proc = subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-nostats",
            "-i",
            str(path),
            "-af",
            "loudnorm=I=-18:TP=-1:print_format=json",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    match = re.search(r"\{[^{}]*\"input_i\"[^{}]*\}", proc.stderr)
    if match is None:
        raise RuntimeError(proc.stderr[-2000:])
    data = json.loads(match.group(0))
    return {
        "lufs": float(data["input_i"]),
        "true_peak": float(data["input_tp"]),
        "lra": float(data["input_lra"]),
    }


def master(buf: Audio, tmp: Path) -> Audio:
    """Set integrated loudness to TARGET_LUFS, then soft-limit peaks under PEAK_CEILING_DB."""
    buf = buf - buf.mean(axis=1, keepdims=True)
    buf = buf / np.max(np.abs(buf)) * 0.25
    for _ in range(3):  # loudness after limiting shifts slightly: iterate
        probe = soft_limit(buf, PEAK_CEILING_DB)
        write_wav(tmp, probe)
        lufs = measure(tmp)["lufs"]
        buf = buf * 10 ** ((TARGET_LUFS - lufs) / 20)
        if abs(TARGET_LUFS - lufs) < 0.2:
            break
    return soft_limit(buf, PEAK_CEILING_DB)


def quiet_seam(buf: Audio, search_ms: float = 12.0, fade_ms: float = 3.0) -> Audio:
    """Put the loop point where both channels are near zero, and touch zero there.

    The circular rendering makes the loop seamless as PCM, but AAC decodes the first frame of a
    file from silence and so smears a step there into a click each time a player restarts the
    file. Rotating the loop by at most ``search_ms`` (the bar grid moves by that, inaudibly) to
    the quietest sample, then fading the few milliseconds on either side of it, leaves AAC a
    start and an end that are already silent.
    """
    n = buf.shape[-1]
    reach = int(search_ms * SR / 1000)
    candidates = np.r_[np.arange(0, reach), np.arange(n - reach, n)]
    loudness = np.abs(buf[0, candidates]) + np.abs(buf[1, candidates])
    shift = int(candidates[int(np.argmin(loudness))])
    out = np.roll(buf, -shift, axis=1)
    f = int(fade_ms * SR / 1000)
    ramp = np.sin(np.linspace(0.0, np.pi / 2, f)) ** 2
    out[:, :f] *= ramp
    out[:, n - f :] *= ramp[::-1]
    return out


def encode(wav: Path, out: Path) -> None:
    subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-i",
            str(wav),
            "-c:a",
            "aac",
            "-b:a",
            "128k",
            "-ar",
            str(SR),
            "-ac",
            "2",
            "-map_metadata",
            "-1",
            "-fflags",
            "+bitexact",
            "-flags:a",
            "+bitexact",
            "-movflags",
            "+faststart",
            str(out),
        ],
        check=True,
    )


def hf_share(buf: Audio, above_hz: float = 8000.0) -> float:
    """Fraction of the signal's energy above ``above_hz``: a harshness check."""
    spec = np.abs(np.fft.rfft(buf.mean(axis=0))) ** 2
    f = _freqs(buf.shape[-1])
    return float(spec[f > above_hz].sum() / spec.sum())


def seam_jump(buf: Audio) -> float:
    """The step from the last sample to the first, relative to typical sample-to-sample steps."""
    steps = np.abs(np.diff(buf, axis=1))
    seam = np.abs(buf[:, 0] - buf[:, -1])
    return float(np.max(seam) / (np.percentile(steps, 99) + 1e-12))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MUSIC_DIR)
    parser.add_argument("--only", nargs="*", choices=sorted(STYLES), default=sorted(STYLES))
    parser.add_argument("--keep-wav", action="store_true", help="also write <style>.wav")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for style in args.only:
            rng = np.random.default_rng(SEEDS[style])
            loop = STYLES[style](rng)
            buf = quiet_seam(master(loop.buf, tmp / "probe.wav"))
            wav = (args.out if args.keep_wav else tmp) / f"{style}.wav"
            write_wav(wav, buf)
            out = args.out / f"{style}.m4a"
            encode(wav, out)
            m = measure(out)
            peak_db = 20 * np.log10(np.max(np.abs(buf)))
            print(
                f"{style:9s} {loop.bpm:3d} bpm {loop.bars:2d} bars {loop.length / SR:5.1f} s  "
                f"{m['lufs']:6.1f} LUFS  true peak {m['true_peak']:5.1f} dBTP  "
                f"sample peak {peak_db:5.1f} dBFS  LRA {m['lra']:4.1f}  "
                f">8 kHz {100 * hf_share(buf):.3f}%  seam {seam_jump(buf):.2f}  "
                f"{out.stat().st_size / 1e6:.2f} MB",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
