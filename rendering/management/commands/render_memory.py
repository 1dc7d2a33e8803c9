"""``manage.py render_memory PHOTO_OR_DIR … --out memory.mp4``: the render engine, no services."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rendering.cli import (
    ProgressBar,
    Source,
    Sources,
    parse_captions,
    summary_dict,
    summary_text,
    warn,
)
from rendering.cli_ai import AiUnavailable, AiWords, draft_words
from rendering.pipeline.captions import auto_caption, clean_text
from rendering.pipeline.errors import PipelineError
from rendering.pipeline.execute import ffmpeg_binary
from rendering.pipeline.geocode import parse_language
from rendering.pipeline.options import ASPECTS, RESOLUTIONS, CaptionMode, Order, RenderOptions
from rendering.pipeline.photos import PhotoInfo
from rendering.pipeline.plan import arrange
from rendering.pipeline.render import (
    Skipped,
    check_music,
    collect_inputs,
    inspect_all,
    render_memory,
)
from rendering.pipeline.styles import StyleName

Inspection = tuple[list[PhotoInfo], list[Skipped]]


class Command(BaseCommand):
    help = "Render a memory video from photos (files or folders) without any service."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        # A bad option is one clear line and exit 2, not a usage dump.
        def one_line_error(message: str) -> NoReturn:
            sys.stderr.write(f"render_memory: {message}\n")
            sys.exit(2)

        parser.error = one_line_error  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("inputs", nargs="+", type=Path, metavar="PHOTO_OR_DIR")
        parser.add_argument("--out", type=Path, default=Path("memory.mp4"))
        parser.add_argument("--style", choices=[s.value for s in StyleName], default="classic")
        parser.add_argument("--aspect", choices=list(ASPECTS), default="16:9")
        parser.add_argument("--resolution", choices=list(RESOLUTIONS), default="1080p")
        parser.add_argument("--title", default="")
        parser.add_argument(
            "--language",
            type=_language,
            default="en",
            metavar="CODE",
            help="the language of the dates and place names (en, fr, de, ja, pt-BR …)",
        )
        parser.add_argument("--music", default=None, help="an audio file, or 'none' for silence")
        parser.add_argument("--captions", default="none", help="none, auto, ai or FILE.json")
        parser.add_argument(
            "--places",
            action="store_true",
            help="with --captions ai: send each photo's place name (never its GPS) to the AI",
        )
        parser.add_argument("--seconds-per-photo", type=float, default=None)
        parser.add_argument("--order", choices=[o.value for o in Order], default="date")
        parser.add_argument("--cull", action="store_true", help="drop near-duplicate shots")
        parser.add_argument("--poster", type=Path, default=None, help="poster JPEG path")
        parser.add_argument(
            "--no-burn-text",
            dest="burn_text",
            action="store_false",
            help="draw no words into the picture; they are in the .vtt written beside the .mp4",
        )
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        out: Path = opts["out"].expanduser()
        if out.suffix.lower() != ".mp4":
            raise CommandError(f"{out.name}: the output must be an .mp4 file", returncode=2)
        if not out.parent.is_dir():
            raise CommandError(f"{out.parent}: output folder does not exist", returncode=2)
        missing = [str(p) for p in opts["inputs"] if not p.exists()]
        if missing:
            raise CommandError(f"{missing[0]}: no such file or folder", returncode=2)
        if opts["places"] and opts["captions"] != "ai":
            raise CommandError("--places goes with --captions ai only", returncode=2)
        try:
            paths = collect_inputs(opts["inputs"])
            options = self._options(opts)
            sources = _sources(opts, options)
            inspection = None
            if opts["captions"] == "ai":
                inspection, options, sources = self._ai_words(paths, options, opts)
            bar = ProgressBar(sys.stderr, enabled=not opts["json"])
            result = render_memory(
                paths,
                out,
                options,
                inspection=inspection,
                poster=opts["poster"] or out.with_suffix(".jpg"),
                subtitles=out.with_suffix(".vtt"),
                ffmpeg=settings.FFMPEG_BINARY,
                on_progress=bar,
                timeout=settings.RENDER_TIMEOUT_SECONDS,
            )
            bar.finish()
        except PipelineError as err:
            raise CommandError(str(err), returncode=2) from None
        if opts["json"]:
            summary = summary_dict(result, sources, language=opts["language"])
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        if result.skipped:
            count = len(result.skipped)
            warn(f"{count} file{'s' if count > 1 else ''} skipped; the reasons are listed below")
        self.stdout.write(summary_text(result))

    def _ai_words(
        self, paths: list[Path], options: RenderOptions, opts: dict[str, Any]
    ) -> tuple[Inspection, RenderOptions, Sources]:
        """The photos analysed (once: the render reuses it) and the AI's words on top of
        ``options``; or ``options`` as they are (offline captions, see ``_options``) with one
        line saying why there are no AI words."""
        if options.music is not None:  # refuse a bad track before paying for words
            check_music(options.music, ffmpeg=ffmpeg_binary(settings.FFMPEG_BINARY))
        inspection = inspect_all(paths)
        shown, _ = arrange(inspection[0], options)  # exactly the photos the plan will show
        if not shown:
            return inspection, options, _sources(opts, options)  # the render will say why
        try:
            words = draft_words(shown, places=opts["places"])
        except AiUnavailable as why:
            self.stderr.write(
                f"render_memory: AI captions unavailable ({why}); using offline captions"
            )
            return inspection, options, _sources(opts, options)
        return inspection, _apply(words, options, shown), _ai_sources(words, opts)

    def _options(self, opts: dict[str, Any]) -> RenderOptions:
        # --captions ai starts from the offline captions: what stays if the AI cannot help.
        value = "auto" if opts["captions"] == "ai" else opts["captions"]
        caption_mode, captions = parse_captions(value)
        music = opts["music"]
        return RenderOptions(
            style=opts["style"],
            aspect=opts["aspect"],
            resolution=opts["resolution"],
            title=opts["title"],
            seconds_per_photo=opts["seconds_per_photo"],
            order=Order(opts["order"]),
            caption_mode=caption_mode,
            captions=captions,
            music=None if music in (None, "none") else Path(music),
            silent=music == "none",
            cull=opts["cull"],
            language=opts["language"],
            burn_text=opts["burn_text"],
        )


def _apply(words: AiWords, options: RenderOptions, photos: Sequence[PhotoInfo]) -> RenderOptions:
    """Options that show the AI's words; a photo it wrote nothing for keeps its offline caption."""
    captions = {
        p.name: words.captions.get(p.name)
        or auto_caption(p.taken_at, p.gps, language=options.language)
        for p in photos
    }
    return dataclasses.replace(
        options,
        caption_mode=CaptionMode.GIVEN,
        captions=captions,
        title=options.title or words.title,
        story=words.story,
    )


def _language(code: str) -> str:
    if parse_language(code) is None:
        raise argparse.ArgumentTypeError(
            f"unknown language {code!r}; use a language code such as en, fr, de, pt-BR or ja"
        )
    return code


def _sources(opts: dict[str, Any], options: RenderOptions) -> Sources:
    """Where the words come from without the AI."""
    captions = {
        CaptionMode.NONE: None,
        CaptionMode.AUTO: Source.OFFLINE,
        CaptionMode.GIVEN: Source.GIVEN,
    }[options.caption_mode]
    return Sources(title=_title_source(opts), captions=captions)


def _ai_sources(words: AiWords, opts: dict[str, Any]) -> Sources:
    title = _title_source(opts)
    return Sources(
        title=Source.AI if title is Source.OFFLINE and words.title else title,
        story=Source.AI if words.story else Source.OFFLINE,
        captions=Source.OFFLINE,
        by_photo={name: Source.AI for name, text in words.captions.items() if text},
    )


def _title_source(opts: dict[str, Any]) -> Source:
    return Source.GIVEN if clean_text(opts["title"]) else Source.OFFLINE
