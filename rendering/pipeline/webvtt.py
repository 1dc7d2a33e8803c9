"""Words on screen as a WebVTT file, for players' subtitle tracks and screen readers.

Made from the same ``Timeline`` as the ASS document libass burns in (compile stage), so the words
and their times are the same whether the text is burned in or not: the title and its dates, the
captions, the end card's title, dates and story — never the watermark, which is no words of the
memory. Pure: no I/O.

Times: a cue covers the frames ``[start, end)`` of its text. Frame ``n`` is shown from
``n / fps`` seconds; WebVTT counts whole milliseconds, so both ends are rounded *up* to the next
millisecond (exact integer arithmetic, no float): a cue never appears before its first frame and
leaves less than a millisecond after its last one — inside one frame at any frame rate.

Text: the user's words as written (a style that shows titles in capitals only draws them so;
capitals would be read out letter by letter), with the line breaks the ASS shows — the user's
own, and the story wrapped into the lines the end card draws. ``&``, ``<`` and ``>`` are escaped,
so no user text can open a WebVTT tag; a blank line (which would end a cue) cannot occur.
WebVTT has no header for the language: it goes on the ``<track srclang>``; the file says it in a
``NOTE`` for people reading it.
"""

from __future__ import annotations

from . import ass
from .styles import STYLES
from .timeline import TextCue, TextKind, Timeline

CONTENT_TYPE = "text/vtt; charset=utf-8"
SUFFIX = ".vtt"
# Everything a viewer reads as words of the memory; the watermark is branding, not words.
SUBTITLED = frozenset(TextKind) - {TextKind.WATERMARK}


def timestamp(frame: int, fps: int) -> str:
    """``HH:MM:SS.mmm`` of the first instant of ``frame`` at ``fps``, rounded up to the ms."""
    ms = -(-frame * 1000 // fps)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def escape(text: str) -> str:
    """Cue text that shows literally: no tag, entity or timestamp can start in it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cue_lines(cue: TextCue, timeline: Timeline) -> list[str]:
    """The lines of a cue as the video shows them (unescaped), blank lines left out."""
    text = cue.text.replace("\r\n", "\n").replace("\r", "\n")
    if cue.kind is TextKind.STORY:
        # The end card wraps the story itself (ass.py): the same lines, so a reader of the
        # track and a viewer of the picture see the same paragraph.
        look = ass._looks(STYLES[timeline.style], timeline)[TextKind.STORY]
        text = ass._story_text(cue, timeline, look)
    return [line.strip() for line in text.split("\n") if line.strip()]


def build_webvtt(timeline: Timeline, *, language: str = "") -> str:
    """The WebVTT document of a timeline's words, cues in order of their start."""
    blocks = ["WEBVTT"]
    if language:
        blocks.append(f"NOTE language: {_note_safe(language)}")
    counts: dict[TextKind, int] = {}
    cues = [c for c in timeline.texts if c.kind in SUBTITLED and c.end > c.start]
    for cue in sorted(cues, key=lambda c: c.start):  # stable: the plan's order within a frame
        lines = cue_lines(cue, timeline)
        if not lines:
            continue
        counts[cue.kind] = counts.get(cue.kind, 0) + 1
        ident = cue.kind.value.replace("_", "-")
        if cue.kind is TextKind.CAPTION:
            ident = f"{ident}-{counts[cue.kind]}"
        timing = f"{timestamp(cue.start, timeline.fps)} --> {timestamp(cue.end, timeline.fps)}"
        blocks.append("\n".join([ident, timing, *(escape(line) for line in lines)]))
    return "\n\n".join(blocks) + "\n"


def _note_safe(value: str) -> str:
    # A NOTE ends at a blank line and may not hold "-->": a language code never does, but
    # this is the one place a caller's string goes into the file outside a cue.
    return " ".join(value.replace("-->", "").split())
