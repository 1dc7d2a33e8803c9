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
from rendering.cli_translate import Words, translate_words, warning
from rendering.pipeline.captions import auto_caption, clean_text
from rendering.pipeline.errors import PipelineError
from rendering.pipeline.execute import ffmpeg_binary
from rendering.pipeline.geocode import parse_language
from rendering.pipeline.options import ASPECTS, RESOLUTIONS, CaptionMode, Order, RenderOptions
from rendering.pipeline.photos import PhotoInfo
from rendering.pipeline.plan import arrange
from rendering.pipeline.render import (
    RenderResult,
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
            default=None,
            metavar="CODE",
            help=(
                "the video's language (en, fr, de, ja, pt-BR …; default en): dates and places "
                "in it, and the title, captions and story translated into it when a translator "
                "is configured"
            ),
        )
        parser.add_argument(
            "--languages",
            type=_languages,
            default=None,
            metavar="CODE,CODE",
            help="one video per language from the same photos: memory.ja.mp4, memory.ar.mp4 …",
        )
        parser.add_argument(
            "--source-language",
            type=_language,
            default=None,
            metavar="CODE",
            help="the language the title, captions and story are written in (default: detected)",
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
        if opts["language"] is not None and opts["languages"]:
            raise CommandError("give --language or --languages, not both", returncode=2)
        multi = bool(opts["languages"])
        languages: list[str] = opts["languages"] or [opts["language"] or "en"]
        # Words are translated only when a language was asked for: without one, nothing changes.
        translate = opts["language"] is not None or multi
        videos: list[tuple[str, RenderResult, bool]] = []
        try:
            paths = collect_inputs(opts["inputs"])
            options = self._options(opts, languages[0])
            sources = _sources(opts, options)
            inspection: Inspection | None = None
            words: AiWords | None = None
            shown: list[PhotoInfo] = []
            if opts["captions"] == "ai":
                inspection, words, shown = self._ai_words(paths, options, opts)
                if words is not None:
                    sources = _ai_sources(words, opts)
            elif multi:
                inspection = inspect_all(paths)  # once, for every language
            bar = ProgressBar(sys.stderr, enabled=not opts["json"])
            for language in languages:
                localised, translated = self._localised(
                    dataclasses.replace(options, language=language),
                    words,
                    shown,
                    translate=translate,
                    source=opts["source_language"],
                )
                target = _suffixed(out, language) if multi else out
                poster = opts["poster"]
                if poster is not None and multi:
                    poster = _suffixed(poster, language)
                result = render_memory(
                    paths,
                    target,
                    localised,
                    inspection=inspection,
                    poster=poster or target.with_suffix(".jpg"),
                    subtitles=target.with_suffix(".vtt"),
                    ffmpeg=settings.FFMPEG_BINARY,
                    on_progress=bar,
                    timeout=settings.RENDER_TIMEOUT_SECONDS,
                )
                bar.finish()
                videos.append((language, result, translated))
        except PipelineError as err:
            raise CommandError(str(err), returncode=2) from None
        result = videos[0][1]
        if opts["json"]:
            if multi:
                listed = [
                    {
                        "language": language,
                        **summary_dict(video, sources, language=language),
                        "translated": translated,
                    }
                    for language, video, translated in videos
                ]
                self.stdout.write(json.dumps({"videos": listed}, ensure_ascii=False, indent=2))
                return
            summary = summary_dict(result, sources, language=languages[0])
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        if result.skipped:
            count = len(result.skipped)
            warn(f"{count} file{'s' if count > 1 else ''} skipped; the reasons are listed below")
        self.stdout.write("\n".join(summary_text(video) for _, video, _ in videos))

    def _localised(
        self,
        options: RenderOptions,
        words: AiWords | None,
        shown: Sequence[PhotoInfo],
        *,
        translate: bool,
        source: str | None,
    ) -> tuple[RenderOptions, bool]:
        """``options`` (already in their language) with the given and AI words, translated into
        that language when asked; True if they were. A translator that cannot help is one line
        on stderr, and the original words stay."""
        given = options.caption_mode is CaptionMode.GIVEN and words is None
        wrote = Words(
            title=options.title or (words.title if words else ""),
            story=words.story if words else "",
            captions=(dict(words.captions) if words else dict(options.captions) if given else None),
        )
        translated = False
        if translate:
            result, why = translate_words(wrote, target=options.language, source=source)
            if why is not None:
                self.stderr.write(warning(options.language, why))
            translated = why is None and result != wrote
            wrote = result
        options = dataclasses.replace(options, title=wrote.title)
        if words is not None:
            ai = AiWords(title=wrote.title, story=wrote.story, captions=wrote.captions or {})
            return _apply(ai, options, shown), translated
        if given:
            options = dataclasses.replace(options, captions=wrote.captions or {})
        return options, translated

    def _ai_words(
        self, paths: list[Path], options: RenderOptions, opts: dict[str, Any]
    ) -> tuple[Inspection, AiWords | None, list[PhotoInfo]]:
        """The photos analysed (once: the renders reuse it), the AI's words and the photos they
        are for; or no words (offline captions, see ``_options``) with one line saying why."""
        if options.music is not None:  # refuse a bad track before paying for words
            check_music(options.music, ffmpeg=ffmpeg_binary(settings.FFMPEG_BINARY))
        inspection = inspect_all(paths)
        shown, _ = arrange(inspection[0], options)  # exactly the photos the plan will show
        if not shown:
            return inspection, None, []  # the render will say why
        try:
            words = draft_words(shown, places=opts["places"])
        except AiUnavailable as why:
            self.stderr.write(
                f"render_memory: AI captions unavailable ({why}); using offline captions"
            )
            return inspection, None, []
        return inspection, words, list(shown)

    def _options(self, opts: dict[str, Any], language: str) -> RenderOptions:
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
            language=language,
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


def _languages(value: str) -> list[str]:
    """``ja,ar,de``: each code checked, duplicates dropped, the order kept."""
    codes = [code.strip() for code in value.split(",")]
    if not all(codes):
        raise argparse.ArgumentTypeError(f"{value!r}: give language codes separated by commas")
    return list(dict.fromkeys(_language(code) for code in codes))


def _suffixed(path: Path, language: str) -> Path:
    """``memory.mp4`` → ``memory.ja.mp4``."""
    return path.with_name(f"{path.stem}.{language}{path.suffix}")


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
