"""Words on screen as an ASS subtitle document, rendered by libass inside FFmpeg.

libass shapes every script (Arabic joins right-to-left, CJK, Devanagari…) and falls back across
the fonts we ship, so a caption looks the same on every machine. User text reaches libass only
through ``escape_text``: an override block (``{…}``) or an escape (``\\N``) typed by a user
stays literal text.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from .fonts import extra_descent, fonts_for, needs_shaping, sized_runs
from .styles import STYLES, Style, StyleName
from .timeline import TextCue, TextKind, Timeline

WORD_JOINER = "\u2060"
# The story on the end card is a paragraph, not a line: a comfortable measure is 45–60 narrow
# characters. Widths are estimated from the average advance of our faces per unit of ASS font
# size (Inter and EB Garamond about 0.4, Courier Prime 0.46), rounded up so libass's own
# wrapping at the margins rarely has to step in and add a line we did not count.
STORY_MEASURE = 54
_ADVANCE = 0.42
_MONO_ADVANCE = 0.48
_LINE_HEIGHT = 1.0  # libass sets lines one font size apart


def escape_text(text: str) -> str:
    """Make user text inert for libass: only our own tags may style it.

    A backslash followed by a word joiner can no longer start ``\\N``, ``\\h`` or a tag, and
    braces preceded by a backslash are libass's literal-brace escapes; newlines become ``\\N``.
    """
    out = text.replace("\\", "\\" + WORD_JOINER)
    out = out.replace("{", "\\{").replace("}", "\\}")
    return out.replace("\n", "\\N")


def sized_text(text: str, face: str) -> str:
    """``text`` escaped, with each fallback script's run scaled to the size of ``face``'s Latin.

    libass sizes every font by its own vertical metrics, so at one font size Arabic came out at
    56 % of Inter's capitals and Korean at 133 % (see fonts.FACE_HEIGHTS). The scale tags are
    ours; the user's text between them goes through ``escape_text`` like everywhere else.
    """
    out = []
    for run, pct in sized_runs(text, face):
        if pct == 100:
            out.append(escape_text(run))
        else:
            # Styles are drawn at ScaleX = ScaleY = 100: back to that after the run.
            out.append(f"{{\\fscx{pct}\\fscy{pct}}}{escape_text(run)}{{\\fscx100\\fscy100}}")
    return "".join(out)


def _colour(rgb: tuple[int, int, int], alpha: int = 0) -> str:
    r, g, b = rgb
    return f"&H{alpha:02X}{b:02X}{g:02X}{r:02X}"


def _time(frame: int, fps: int) -> str:
    # ASS times are centiseconds; round half up so a cue never starts a frame early.
    cs = (frame * 100 + fps // 2) // fps
    h, rem = divmod(cs, 360000)
    m, rem = divmod(rem, 6000)
    s, c = divmod(rem, 100)
    return f"{h}:{m:02d}:{s:02d}.{c:02d}"


@dataclass(frozen=True, slots=True)
class _Look:
    font: str
    size: float
    colour: tuple[int, int, int]
    bold: bool = False
    italic: bool = False
    spacing: float = 0.0
    outline: float = 0.0
    shadow: float = 0.0
    alignment: int = 5  # numpad layout: 5 = centre, 2 = bottom centre, 1 = bottom left
    margin_h: int = 0
    margin_v: int = 0
    opacity: int = 0  # 0 = opaque, 255 = invisible


def _looks(style: Style, timeline: Timeline) -> dict[TextKind, _Look]:
    fonts = fonts_for(style.name.value)
    w, h = timeline.width, timeline.height
    base = min(w, h)
    _, py, _, ph = timeline.picture
    bar = h - (py + ph)
    text, accent = style.text_colour, style.accent_colour
    margin = round(base * 0.06)
    caption_size = base * 0.042
    caption_v = round(base * 0.07)
    if bar >= caption_size * 1.4:  # cinematic: captions sit in the bottom letterbox bar
        caption_v = round((bar - caption_size) / 2)
    caption_align = 1 if style.caption_align == "bottom_left" else 2
    spacing = style.title_spacing * base / 1080
    # Centred titles keep the same side margins as everything else: libass wraps a long
    # title (a date range in a monospaced face on a square video) inside them.
    title = _Look(
        fonts.title,
        base * 0.085,
        text,
        bold=style.name is StyleName.MODERN,
        spacing=spacing,
        shadow=base * 0.003,
        margin_h=margin,
    )
    sub = _Look(
        fonts.body,
        base * 0.038,
        accent,
        spacing=spacing / 2,
        italic=style.name is StyleName.CLASSIC,
        shadow=base * 0.002,
        margin_h=margin,
    )
    if style.name is StyleName.MODERN:
        title = _Look(
            fonts.title,
            base * 0.09,
            text,
            bold=True,
            alignment=1,
            margin_h=margin,
            margin_v=round(base * 0.16),
            shadow=base * 0.002,
        )
        sub = _Look(
            fonts.body,
            base * 0.036,
            accent,
            bold=True,
            alignment=1,
            margin_h=margin,
            margin_v=round(base * 0.10),
        )
    if style.name is StyleName.CINEMATIC:
        title = _Look(fonts.title, base * 0.066, text, spacing=spacing, margin_h=margin)
    return {
        **_card_looks(title, sub, text, accent, margin),
        TextKind.STORY: _story_look(style, base, margin),
        TextKind.CAPTION: _Look(
            fonts.body,
            caption_size,
            (255, 255, 255),
            outline=base * 0.0015,
            shadow=base * 0.002,
            alignment=caption_align,
            margin_h=margin,
            margin_v=caption_v,
        ),
        TextKind.WATERMARK: _Look(
            fonts.body,
            base * 0.026,
            (255, 255, 255),
            alignment=3,
            margin_h=round(base * 0.03),
            margin_v=round(base * 0.03),
            shadow=base * 0.0015,
            opacity=0x70,
        ),
    }


def _card_looks(
    title: _Look, sub: _Look, text: tuple[int, int, int], accent: tuple[int, int, int], margin: int
) -> dict[TextKind, _Look]:
    return {
        TextKind.TITLE: title,
        TextKind.SUBTITLE: sub,
        TextKind.END_TITLE: _Look(
            title.font,
            title.size * 0.8,
            text,
            bold=title.bold,
            spacing=title.spacing,
            shadow=title.shadow,
            margin_h=margin,
        ),
        TextKind.END_SUBTITLE: _Look(
            sub.font,
            sub.size,
            accent,
            italic=sub.italic,
            spacing=sub.spacing,
            margin_h=margin,
        ),
    }


def _story_look(style: Style, base: int, margin: int) -> _Look:
    """A paragraph under the end title: the style's voice, smaller than the title, and a thin
    dark edge and shadow so it stays legible over the lightest blurred backdrop."""
    fonts = fonts_for(style.name.value)
    font, size = fonts.body, base * 0.036
    if style.name is StyleName.CLASSIC:
        font, size = fonts.title, base * 0.044  # Garamond is small on its body: a size up
    elif style.name is StyleName.VINTAGE:
        font = fonts.title  # typewritten, like its titles
    return _Look(
        font,
        size,
        style.text_colour,
        italic=style.name is StyleName.CLASSIC,
        outline=base * 0.001,
        shadow=base * 0.002,
        alignment=8,  # top centre: the paragraph grows downward from under the title
        margin_h=margin,
    )


def _style_line(name: str, look: _Look) -> str:
    # Encoding -1: libass takes each paragraph's base direction from its first strong letter
    # (fribidi "ON"), so "زرنا Lisbon في 2021" reads right to left. With any other value the base
    # is left to right, and an Arabic or Hebrew caption with a Latin word or a number in it comes
    # out in the wrong order (the words of each run stay shaped and joined).
    shadow_colour = _colour((0, 0, 0), 0x60)
    return (
        f"Style: {name},{look.font},{look.size:.1f},{_colour(look.colour, look.opacity)},"
        f"{_colour(look.colour, look.opacity)},{_colour((0, 0, 0), 0x40)},{shadow_colour},"
        f"{-1 if look.bold else 0},{-1 if look.italic else 0},0,0,100,100,{look.spacing:.1f},0,1,"
        f"{look.outline:.1f},{look.shadow:.1f},{look.alignment},{look.margin_h},{look.margin_h},"
        f"{look.margin_v},-1"
    )


# --- the story paragraph ---------------------------------------------------------------------


def _cells(text: str) -> int:
    """Width in narrow-character cells: CJK and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _greedy(words: list[str], measure: int) -> list[str]:
    """Fill lines up to ``measure`` cells; a word wider than a line (CJK has no spaces) is cut."""
    lines: list[str] = []
    line = ""
    for word in words:
        while _cells(word) > measure:
            if line:
                lines.append(line)
                line = ""
            cut = 1
            while _cells(word[: cut + 1]) <= measure:
                cut += 1
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}" if line else word
        if line and _cells(candidate) > measure:
            lines.append(line)
            candidate = word
        line = candidate
    return [*lines, line] if line else lines


def _balanced(paragraph: str, measure: int) -> list[str]:
    """As few lines as the measure allows, then as even as they can be: centred text with a
    ragged short last line looks unfinished."""
    words = paragraph.split(" ")
    count = len(_greedy(words, measure))
    narrowest = measure
    while narrowest > 1 and len(_greedy(words, narrowest - 1)) == count:
        narrowest -= 1
    return _greedy(words, narrowest)


def story_lines(text: str, look_font: str, size: float, line_width: int) -> list[str]:
    """The story broken into lines that fit ``line_width`` pixels at ``size``, each of the
    user's own line breaks kept."""
    advance = _MONO_ADVANCE if look_font == "Courier Prime" else _ADVANCE
    measure = max(8, min(STORY_MEASURE, math.floor(line_width / (size * advance))))
    return [line for part in text.split("\n") for line in _balanced(part, measure)]


def _story_text(cue: TextCue, timeline: Timeline, look: _Look) -> str:
    lines = story_lines(cue.text, look.font, look.size, timeline.width - 2 * look.margin_h)
    return "\n".join(lines)


# --- placement --------------------------------------------------------------------------------


def _anchors(timeline: Timeline, looks: dict[TextKind, _Look], story: str) -> dict[TextKind, int]:
    """The y (pixels) each centred cue settles at; with a story the end card's group of title,
    dates and paragraph is centred as a whole instead."""
    h = timeline.height
    ys = {
        TextKind.TITLE: round(h * 0.46),
        TextKind.SUBTITLE: round(h * 0.575),
        TextKind.END_TITLE: round(h * 0.47),
        TextKind.END_SUBTITLE: round(h * 0.57),
    }
    if not story:
        return ys
    title, sub, body = (
        looks[TextKind.END_TITLE],
        looks[TextKind.END_SUBTITLE],
        looks[TextKind.STORY],
    )
    has_dates = any(c.kind is TextKind.END_SUBTITLE for c in timeline.texts)
    title_h = title.size * 1.1
    sub_h = sub.size * 1.6 if has_dates else 0.0
    body_h = body.size * (_LINE_HEIGHT * (story.count("\n") + 1) + 1.2)  # with the gap above
    top = (h - (title_h + sub_h + body_h)) / 2
    ys[TextKind.END_TITLE] = round(top + title_h / 2)
    ys[TextKind.END_SUBTITLE] = round(top + title_h + sub_h / 2)
    ys[TextKind.STORY] = round(top + title_h + sub_h + body.size * 1.2)
    return ys


def _placement(cue: TextCue, timeline: Timeline, look: _Look, ys: dict[TextKind, int]) -> str:
    """Override tags for position and animation: our own, never from user text."""
    fps = timeline.fps
    slow = (TextKind.TITLE, TextKind.END_TITLE, TextKind.STORY)
    fade_in = 700 if cue.kind in slow else 450
    fade = f"\\fad({fade_in},{400})"
    if cue.kind is TextKind.WATERMARK:
        return ""
    if look.alignment != 5 and cue.kind is not TextKind.STORY:
        return "{" + fade + "}"
    w, h = timeline.width, timeline.height
    y = ys.get(cue.kind, round(h * 0.5))
    duration_ms = (cue.end - cue.start) * 1000 // fps
    # A slow drift upward makes the title breathe, like the pictures do.
    drift = round(h * 0.012)
    move = f"\\move({w // 2},{y + drift},{w // 2},{y},0,{duration_ms})"
    return "{" + fade + move + "}"


def build_ass(timeline: Timeline) -> str:
    """The complete ASS document for a timeline, sized to its frame."""
    style = STYLES[timeline.style]
    looks = _looks(style, timeline)
    lines = [
        "[Script Info]",
        "ScriptType: v4.00+",
        f"PlayResX: {timeline.width}",
        f"PlayResY: {timeline.height}",
        "WrapStyle: 0",
        "ScaledBorderAndShadow: yes",
        # Frames are BT.601 limited range (see frames.py); libass must blend in the same space.
        "YCbCr Matrix: TV.601",
        "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
        "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
        "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
    ]
    lines += [_style_line(kind.value, look) for kind, look in looks.items()]
    lines += [
        "",
        "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
    ]
    texts = [_shown_text(cue, timeline, looks[cue.kind], style) for cue in timeline.texts]
    shown = zip(timeline.texts, texts, strict=True)
    story = next((t for c, t in shown if c.kind is TextKind.STORY), "")
    ys = _anchors(timeline, looks, story)
    for cue, text in zip(timeline.texts, texts, strict=True):
        tags = _placement(cue, timeline, looks[cue.kind], ys)
        if looks[cue.kind].spacing and needs_shaping(text):
            # libass stops shaping tracked text: Arabic would come apart, so track it at zero.
            tags = "{\\fsp0}" + tags
        look = looks[cue.kind]
        lines.append(
            f"Dialogue: 0,{_time(cue.start, timeline.fps)},{_time(cue.end, timeline.fps)},"
            f"{cue.kind.value},,0,0,{_margin_v(text, look)},,{tags}{sized_text(text, look.font)}"
        )
    return "\n".join(lines) + "\n"


def _margin_v(text: str, look: _Look) -> int:
    """The event's bottom margin: 0 (the style's) unless a scaled script reaches deeper than the
    face, which would lift the line; then lower it by the difference (fonts.extra_descent)."""
    extra = round(extra_descent(text, look.font) * look.size)
    if look.alignment not in (1, 2, 3) or extra <= 0:
        return 0
    return max(1, look.margin_v - extra)


def _shown_text(cue: TextCue, timeline: Timeline, look: _Look, style: Style) -> str:
    """The words as laid out (still unescaped): titles in the style's case, the story wrapped."""
    if cue.kind is TextKind.STORY:
        return _story_text(cue, timeline, look)
    if style.title_uppercase and cue.kind in _TITLES:
        return cue.text.upper()
    return cue.text


_TITLES = (TextKind.TITLE, TextKind.END_TITLE)
