"""Words on screen as an ASS subtitle document, rendered by libass inside FFmpeg.

libass shapes every script (Arabic joins right-to-left, CJK, Devanagari…) and falls back across
the fonts we ship, so a caption looks the same on every machine. User text reaches libass only
through ``escape_text``: an override block (``{…}``) or an escape (``\\N``) typed by a user
stays literal text.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fonts import fonts_for, needs_shaping
from .styles import STYLES, Style, StyleName
from .timeline import TextCue, TextKind, Timeline

WORD_JOINER = "\u2060"


def escape_text(text: str) -> str:
    """Make user text inert for libass: only our own tags may style it.

    A backslash followed by a word joiner can no longer start ``\\N``, ``\\h`` or a tag, and
    braces preceded by a backslash are libass's literal-brace escapes; newlines become ``\\N``.
    """
    out = text.replace("\\", "\\" + WORD_JOINER)
    out = out.replace("{", "\\{").replace("}", "\\}")
    return out.replace("\n", "\\N")


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


def _style_line(name: str, look: _Look) -> str:
    shadow_colour = _colour((0, 0, 0), 0x60)
    return (
        f"Style: {name},{look.font},{look.size:.1f},{_colour(look.colour, look.opacity)},"
        f"{_colour(look.colour, look.opacity)},{_colour((0, 0, 0), 0x40)},{shadow_colour},"
        f"{-1 if look.bold else 0},{-1 if look.italic else 0},0,0,100,100,{look.spacing:.1f},0,1,"
        f"{look.outline:.1f},{look.shadow:.1f},{look.alignment},{look.margin_h},{look.margin_h},"
        f"{look.margin_v},1"
    )


def _placement(cue: TextCue, timeline: Timeline, look: _Look) -> str:
    """Override tags for position and animation: our own, never from user text."""
    fps = timeline.fps
    fade_in = 700 if cue.kind in (TextKind.TITLE, TextKind.END_TITLE) else 450
    fade = f"\\fad({fade_in},{400})"
    if cue.kind is TextKind.WATERMARK:
        return ""
    if look.alignment != 5:
        return "{" + fade + "}"
    w, h = timeline.width, timeline.height
    y = {
        TextKind.TITLE: 0.46,
        TextKind.SUBTITLE: 0.575,
        TextKind.END_TITLE: 0.47,
        TextKind.END_SUBTITLE: 0.57,
    }.get(cue.kind, 0.5)
    duration_ms = (cue.end - cue.start) * 1000 // fps
    # A slow drift upward makes the title breathe, like the pictures do.
    drift = round(h * 0.012)
    move = f"\\move({w // 2},{round(h * y) + drift},{w // 2},{round(h * y)},0,{duration_ms})"
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
    for cue in timeline.texts:
        text = cue.text.upper() if style.title_uppercase and cue.kind in _TITLES else cue.text
        tags = _placement(cue, timeline, looks[cue.kind])
        if looks[cue.kind].spacing and needs_shaping(text):
            # libass stops shaping tracked text: Arabic would come apart, so track it at zero.
            tags = "{\\fsp0}" + tags
        lines.append(
            f"Dialogue: 0,{_time(cue.start, timeline.fps)},{_time(cue.end, timeline.fps)},"
            f"{cue.kind.value},,0,0,0,,{tags}{escape_text(text)}"
        )
    return "\n".join(lines) + "\n"


_TITLES = (TextKind.TITLE, TextKind.END_TITLE)
