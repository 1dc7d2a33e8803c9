"""``manage.py render_memory PHOTO_OR_DIR … --out memory.mp4``: the render engine, no services."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rendering.cli import ProgressBar, parse_captions, summary_dict, summary_text, warn
from rendering.pipeline.errors import PipelineError
from rendering.pipeline.options import ASPECTS, RESOLUTIONS, Order, RenderOptions
from rendering.pipeline.render import collect_inputs, render_memory
from rendering.pipeline.styles import StyleName


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
        parser.add_argument("--music", default=None, help="an audio file, or 'none' for silence")
        parser.add_argument("--captions", default="none", help="none, auto or FILE.json")
        parser.add_argument("--seconds-per-photo", type=float, default=None)
        parser.add_argument("--order", choices=[o.value for o in Order], default="date")
        parser.add_argument("--cull", action="store_true", help="drop near-duplicate shots")
        parser.add_argument("--poster", type=Path, default=None, help="poster JPEG path")
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
        try:
            options = self._options(opts)
            bar = ProgressBar(sys.stderr, enabled=not opts["json"])
            result = render_memory(
                collect_inputs(opts["inputs"]),
                out,
                options,
                poster=opts["poster"] or out.with_suffix(".jpg"),
                ffmpeg=settings.FFMPEG_BINARY,
                on_progress=bar,
                timeout=settings.RENDER_TIMEOUT_SECONDS,
            )
            bar.finish()
        except PipelineError as err:
            raise CommandError(str(err), returncode=2) from None
        if opts["json"]:
            self.stdout.write(json.dumps(summary_dict(result), ensure_ascii=False, indent=2))
            return
        if result.skipped:
            count = len(result.skipped)
            warn(f"{count} file{'s' if count > 1 else ''} skipped; the reasons are listed below")
        self.stdout.write(summary_text(result))

    def _options(self, opts: dict[str, Any]) -> RenderOptions:
        caption_mode, captions = parse_captions(opts["captions"])
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
        )
