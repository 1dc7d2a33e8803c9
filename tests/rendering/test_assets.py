"""Shipped assets: fonts (files, licences, libass fallback across scripts) and default music."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import numpy.typing as npt
import pytest

from rendering.pipeline import assets, fonts

STYLES = ("classic", "modern", "cinematic", "vintage")
FONT_SUFFIXES = {".ttf", ".otf", ".ttc"}


@pytest.fixture(scope="module")
def ffmpeg() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


# --- fonts: files and licences ---------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_every_style_has_fonts_whose_files_exist(style: str) -> None:
    chosen = fonts.fonts_for(style)
    for family in (chosen.title, chosen.body):
        paths = fonts.font_paths(family)
        assert paths, family
        for path in paths:
            assert path.is_file() and path.stat().st_size > 10_000, path


def test_unknown_style_is_an_error() -> None:
    with pytest.raises(KeyError):
        fonts.fonts_for("baroque")


def test_fallbacks_are_shipped_and_match_fonts_conf() -> None:
    for family in fonts.FALLBACK_FAMILIES:
        assert all(p.is_file() for p in fonts.font_paths(family)), family
    root = ElementTree.parse(fonts.FONTCONFIG_FILE).getroot()  # noqa: S314 -- our own file
    prefer = root.find("./alias/prefer")
    assert prefer is not None
    assert tuple(f.text for f in prefer.findall("family")) == fonts.FALLBACK_FAMILIES
    # Only our folder: no system font directory may leak into the fallback.
    assert [d.text for d in root.findall("dir")] == ["."]


def test_every_font_file_is_declared_and_licensed() -> None:
    on_disk = {p.name for p in fonts.FONTS_DIR.iterdir() if p.suffix.lower() in FONT_SUFFIXES}
    declared = {name for files in fonts.FONT_FILES.values() for name in files}
    assert on_disk == declared
    licenses = (fonts.FONTS_DIR / "LICENSES.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip(): line
        for line in licenses.splitlines()
        if line.startswith("| ") and line.split("|")[1].strip() in on_disk
    }
    assert set(rows) == on_disk
    for family, files in fonts.FONT_FILES.items():
        for name in files:
            row = rows[name]
            assert f"| {family} |" in row, (name, family)
            assert "OFL-1.1" in row or "Apache-2.0" in row or "Symbola-LICENSE.txt" in row, name
    assert "free for any use" in (fonts.FONTS_DIR / "Symbola-LICENSE.txt").read_text()
    assert (fonts.FONTS_DIR / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE") >= 1
    assert "Apache License" in (fonts.FONTS_DIR / "Apache-2.0.txt").read_text()


def test_ffmpeg_env_points_fontconfig_at_our_folder() -> None:
    env = fonts.ffmpeg_env()
    assert Path(env["FONTCONFIG_FILE"]) == fonts.FONTS_DIR / "fonts.conf"
    assert Path(env["FONTCONFIG_FILE"]).is_file()


# --- fonts: libass really draws every script -------------------------------------------------

# Pairs of different words with the same number of code points in one script. If the script fell
# back to a missing glyph, both words would be rows of identical tofu boxes: identical images.
SCRIPT_PAIRS: dict[str, tuple[str, str]] = {
    "latin": ("Lisboa", "Évora"),
    "cjk": ("東京", "大阪"),
    "arabic": ("سلام", "مرحب"),
    "hebrew": ("שלום", "תודה"),
    "cyrillic": ("Привет", "Москва"),
    "greek": ("Ρόδος", "Αθήνα"),
    "devanagari": ("नमस्ते", "दिल्ली"),
    "thai": ("สวัสดี", "ขอบคุณ"),
    "korean": ("서울", "부산"),
}
MULTI_SCRIPT = "Lisboa · 東京 · مرحبا بالعالم · שלום · Привет · नमस्ते · สวัสดี"
W, H = 640, 96


def _ass(family: str, texts: list[str]) -> str:
    head = (
        "[Script Info]\nScriptType: v4.00+\nPlayResX: 640\nPlayResY: 96\nWrapStyle: 2\n\n"
        "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
        "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, "
        "Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n"
        f"Style: T,{family},40,&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,"
        "1,0,0,5,4,4,4,1\n\n[Events]\n"
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    )
    # One text per second; frames are taken mid-second, well inside each event.
    events = "".join(
        f"Dialogue: 0,0:00:{i:02d}.00,0:00:{i:02d}.90,T,,0,0,0,,{text}\n"
        for i, text in enumerate(texts)
    )
    return head + events


def _render(ffmpeg: str, tmp: Path, family: str, texts: list[str]) -> list[npt.NDArray[np.uint8]]:
    (tmp / "t.ass").write_text(_ass(family, texts), encoding="utf-8")
    argv = [
        ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "lavfi",
        "-i", f"color=c=black:s={W}x{H}:r=2:d={len(texts)}",
        "-vf", f"subtitles=t.ass:fontsdir={fonts.FONTS_DIR}",
        "-f", "rawvideo", "-pix_fmt", "gray", "-",
    ]  # fmt: skip
    proc = subprocess.run(
        argv, cwd=tmp, capture_output=True, check=True, timeout=120,
        env={**os.environ, **fonts.ffmpeg_env()},
    )  # fmt: skip
    frames = np.frombuffer(proc.stdout, dtype=np.uint8).reshape(-1, H, W)
    return [frames[2 * i + 1] for i in range(len(texts))]


def _ink(img: npt.NDArray[np.uint8]) -> float:
    return float(np.mean(img > 96))


@pytest.mark.parametrize("style", STYLES)
def test_every_script_renders_real_glyphs_in_every_title_font(
    ffmpeg: str, tmp_path: Path, style: str
) -> None:
    family = fonts.fonts_for(style).title
    texts = [word for pair in SCRIPT_PAIRS.values() for word in pair]
    images = _render(ffmpeg, tmp_path, family, texts)
    for k, script in enumerate(SCRIPT_PAIRS):
        a, b = images[2 * k], images[2 * k + 1]
        assert _ink(a) > 0.001 and _ink(b) > 0.001, f"{style}/{script}: nothing drawn"
        # Different words, same length: real glyphs differ; tofu boxes would not.
        diff = np.mean(np.abs(a.astype(np.int16) - b.astype(np.int16)) > 64)
        assert diff > 0.003, f"{style}/{script}: the two words look the same (tofu?)"


def test_multi_script_line_renders_to_png(ffmpeg: str, tmp_path: Path) -> None:
    (tmp_path / "t.ass").write_text(_ass("EB Garamond 12", [MULTI_SCRIPT]), encoding="utf-8")
    subprocess.run(
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "lavfi",
         "-i", "color=c=black:s=1280x96:r=2:d=1", "-vf",
         f"scale=1280:96,subtitles=t.ass:fontsdir={fonts.FONTS_DIR}:original_size=640x96",
         "-frames:v", "1", "-update", "1", "line.png"],
        cwd=tmp_path, check=True, timeout=60, env={**os.environ, **fonts.ffmpeg_env()},
    )  # fmt: skip
    png = tmp_path / "line.png"
    assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Left to right, every third of the line has ink: no script silently vanished.
    images = _render(ffmpeg, tmp_path, "EB Garamond 12", [MULTI_SCRIPT])
    cols: npt.NDArray[np.bool_] = np.asarray((images[0] > 96).any(axis=0))
    inked = np.flatnonzero(cols)
    assert inked.size > 0
    span = inked[-1] - inked[0]
    assert span > W * 0.8
    for third in range(3):
        lo = inked[0] + third * span // 3
        assert cols[lo : lo + span // 3].mean() > 0.3


# --- default soundtracks ---------------------------------------------------------------------


def _decode(ffmpeg: str, path: Path) -> tuple[npt.NDArray[np.float64], str]:
    proc = subprocess.run(
        [ffmpeg, "-hide_banner", "-i", str(path), "-f", "s16le", "-acodec", "pcm_s16le", "-"],
        capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    pcm = np.frombuffer(proc.stdout, dtype="<i2").astype(np.float64) / 32768.0
    return pcm, proc.stderr.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def tracks(ffmpeg: str) -> dict[str, tuple[npt.NDArray[np.float64], str]]:
    return {style: _decode(ffmpeg, assets.default_track(style)) for style in STYLES}


@pytest.mark.parametrize("style", STYLES)
def test_default_track_decodes_stereo_60_to_90_seconds(
    tracks: dict[str, tuple[npt.NDArray[np.float64], str]], style: str
) -> None:
    path = assets.default_track(style)
    assert path.is_file() and path.parent == assets.MUSIC_DIR
    assert path.stat().st_size < 1_600_000
    pcm, log = tracks[style]
    stream = re.search(r"Audio: aac.*", log)
    assert stream is not None and "44100 Hz" in stream.group(0)
    assert "stereo" in stream.group(0)
    seconds = pcm.size / 2 / 44100
    assert 60.0 <= seconds <= 90.0


@pytest.mark.parametrize("style", STYLES)
def test_default_track_is_not_silent_and_not_clipping(ffmpeg: str, style: str) -> None:
    proc = subprocess.run(
        [ffmpeg, "-hide_banner", "-i", str(assets.default_track(style)), "-af", "volumedetect",
         "-f", "null", "-"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    mean = float(re.findall(r"mean_volume: (-?[\d.]+) dB", proc.stderr)[-1])
    peak = float(re.findall(r"max_volume: (-?[\d.]+) dB", proc.stderr)[-1])
    assert mean > -35.0
    assert peak <= -1.0


@pytest.mark.parametrize("style", STYLES)
def test_default_track_loops_without_a_click(
    tracks: dict[str, tuple[npt.NDArray[np.float64], str]], style: str
) -> None:
    # A click is a burst of high-frequency energy. Measure it (second difference) across the loop
    # point, as a player that restarts the decoded file hears it, and across 2048-sample windows
    # of the track itself: the seam must be no harsher than the music's own busiest moments.
    pcm = tracks[style][0].reshape(-1, 2)
    w = 1024

    def hf(seg: npt.NDArray[np.float64]) -> float:
        return float(np.mean(np.diff(seg, n=2, axis=0) ** 2))

    seam = hf(np.concatenate([pcm[-w:], pcm[:w]]))
    windows = [hf(pcm[i : i + 2 * w]) for i in range(0, len(pcm) - 2 * w, 2 * w)]
    assert seam <= float(np.percentile(windows, 99))


def test_the_four_tracks_differ(tracks: dict[str, tuple[npt.NDArray[np.float64], str]]) -> None:
    digests = {hashlib.sha256(assets.default_track(s).read_bytes()).hexdigest() for s in STYLES}
    assert len(digests) == len(STYLES)
    n = 44100 * 2 * 30  # compare the first 30 s of each pair: not the same music
    firsts = {s: tracks[s][0][:n] for s in STYLES}
    for i, a in enumerate(STYLES):
        for b in STYLES[i + 1 :]:
            corr = np.corrcoef(firsts[a], firsts[b])[0, 1]
            assert abs(corr) < 0.5, (a, b, corr)


def test_unknown_style_has_no_track() -> None:
    with pytest.raises(KeyError):
        assets.default_track("baroque")


@pytest.mark.parametrize(
    ("text", "shaped"),
    [
        ("LISBOA 2021", False),
        ("東京 · Привет · Γειά σου · São Tomé", False),
        ("서울", False),  # precomposed Hangul syllables need no shaping
        ("مرحبا", True),
        ("שלום", True),
        ("नमस्ते", True),
        ("สวัสดี", True),
        ("Sa\u0303o", True),  # decomposed tilde
    ],
)
def test_needs_shaping(text: str, shaped: bool) -> None:
    assert fonts.needs_shaping(text) is shaped


def test_letter_spacing_breaks_complex_scripts_in_libass(ffmpeg: str, tmp_path: Path) -> None:
    # Why needs_shaping exists: Arabic with ASS letter spacing is laid out letter by letter
    # (unjoined, left to right). Joined text is narrower than the same letters drawn apart.
    def ink_width(ass_spacing: str) -> int:
        (tmp_path / "s.ass").write_text(
            _ass("Inter", ["مرحبا بالعالم"]).replace(",100,100,0,0,", f",100,100,{ass_spacing},0,"),
            encoding="utf-8",
        )
        proc = subprocess.run(
            [ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "lavfi",
             "-i", f"color=c=black:s={W}x{H}:r=2:d=1", "-vf",
             f"subtitles=s.ass:fontsdir={fonts.FONTS_DIR}", "-frames:v", "2",
             "-f", "rawvideo", "-pix_fmt", "gray", "-"],
            cwd=tmp_path, capture_output=True, check=True, timeout=60,
            env={**os.environ, **fonts.ffmpeg_env()},
        )  # fmt: skip
        frame = np.frombuffer(proc.stdout, dtype=np.uint8).reshape(-1, H, W)[1]
        cols = np.flatnonzero((frame > 96).any(axis=0))
        return int(cols[-1] - cols[0])

    # 0.1 px of spacing adds ~1 px over 13 letters, yet the line grows by far more: unjoined.
    assert ink_width("0.1") > ink_width("0") * 1.15
