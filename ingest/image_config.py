"""The `images` option of the plugin in mkdocs.yml (config.py holds the others): local copies or hot-links.

    images: local          # the default: copy each article image, serve it from the site
    images: remote         # hot-link every image from its blog
    images:                # or a mapping, to change a cap
      mode: local
      max_image_bytes: 3000000
"""

from __future__ import annotations

from dataclasses import fields, replace

from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from ingest.sources import IMAGE_MODES, ImageOptions

LIMITS = {  # the largest value each cap may be set to
    "max_image_bytes": 100_000_000, "max_feed_bytes": 10_000_000_000, "max_run_bytes": 10_000_000_000,
    "max_site_bytes": 100_000_000_000, "max_seconds": 86_400, "image_deadline": 3600,
}
MODES = "'local' (copy each article image into the archive and serve it from the site) or 'remote' " \
        "(hot-link it from its blog)"


class ImagesOption(c.BaseConfigOption[ImageOptions]):
    """`local`, `remote`, or a mapping with `mode` and the caps of ImageOptions."""

    def run_validation(self, value: object) -> ImageOptions:
        if value is None:
            return ImageOptions()
        if isinstance(value, str):
            value = {"mode": value}
        if not isinstance(value, dict):
            raise ValidationError(f"expected {MODES}, or a mapping with 'mode' and caps, got {value!r}")
        known = [f.name for f in fields(ImageOptions)]
        unknown = sorted(set(map(str, value)) - set(known))
        if unknown:
            raise ValidationError(f"unknown key {unknown[0]!r} (expected {', '.join(known)})")
        options = ImageOptions()
        mode = value.get("mode", options.mode)
        if mode not in IMAGE_MODES:
            raise ValidationError(f"mode: expected {MODES}, got {mode!r}")
        changes = {"mode": mode}
        for name, limit in LIMITS.items():
            if name in value:
                changes[name] = _positive(name, value[name], limit, whole=name.endswith("bytes"))
        return replace(options, **changes)


def _positive(name: str, value: object, limit: float, *, whole: bool) -> float:
    kinds = (int,) if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds) or not 0 < value <= limit:
        expected = "a whole number" if whole else "a number"
        raise ValidationError(f"{name}: expected {expected} greater than 0 and at most {limit:,g}, got {value!r}")
    return value
