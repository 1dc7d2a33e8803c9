"""What a user may do: the single source of limits for uploads, projects, renders and AI.

Projects, rendering and the AI features call ``get_entitlements`` and read the fields of
``Entitlements``; they never compare plan names or look at subscriptions themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STYLES = ("classic", "modern", "cinematic", "vintage")
RESOLUTIONS = ("720p", "1080p", "2160p")


@dataclass(frozen=True, slots=True)
class Entitlements:
    """Limits for one user. Sizes in bytes, resolutions as ``"720p"|"1080p"|"2160p"``."""

    max_photos_per_project: int
    max_upload_bytes: int
    max_megapixels: float
    max_resolution: str
    renders_per_month: int
    watermark: bool
    styles: tuple[str, ...]
    plan: str = "free"  # the catalogue key, for display and reports; callers read the limits
    ai_features: bool = False  # AI captions and titles
    ai_drafts_per_month: int = 0  # "suggest a title, captions and a story" requests
    ai_image_detail: str = "low"  # what the model sees: "low" (cheap) or "high"
    languages_per_video: int = 1  # caption languages one video may carry

    def allows_resolution(self, resolution: str) -> bool:
        """Whether ``resolution`` is at or below ``max_resolution``."""
        if resolution not in RESOLUTIONS:
            return False
        return RESOLUTIONS.index(resolution) <= RESOLUTIONS.index(self.max_resolution)


# The free plan. 1080p stays allowed: a memory video below Full HD looks broken on a phone today;
# 2160p, watermark-free renders, AI and bigger projects are what the paid plans add.
FREE = Entitlements(
    max_photos_per_project=50,  # a full memory video (~3 min); the benchmark uploads this many
    max_upload_bytes=25 * 1024 * 1024,  # a 48 MP iPhone HEIC is ~12 MB, a ProRAW JPEG ~20 MB
    max_megapixels=50.0,  # 48 MP phone sensors, with headroom; bombs stop far below Pillow's cap
    max_resolution="1080p",
    renders_per_month=3,
    watermark=True,
    styles=STYLES,
)


def get_entitlements(*, user: Any) -> Entitlements:
    """The limits that apply to ``user`` now: their plan's while their subscription (or a
    complimentary plan) is in good standing, else Free. Costs no query on a warm cache."""
    # Imported here: the catalogue and selectors build on the dataclass above.
    from billing.selectors import entitlements_for_plan, plan_key_cached

    return entitlements_for_plan(plan_key_cached(user=user))
