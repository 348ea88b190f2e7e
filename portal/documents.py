"""PDF documents the court issues (certificates, decisions, notices), rendered with WeasyPrint.

Chinese needs a CJK font: Debian's fonts-noto-cjk (Noto Serif CJK SC, a Song face, as court
documents use). WeasyPrint subsets the font it embeds on every render, and subsetting a
65,000-glyph CJK face is the largest cost of a page; so `make` builds, once, a subset of
Noto Serif CJK SC with the GB 2312 characters and common punctuation
(`manage.py build_document_font` → settings.DOCUMENT_FONT), and documents use it first.
Characters outside it (rare characters in names) fall back glyph by glyph to the full face,
so nothing renders as a box; without the subset file documents are correct, only slower.
"""

import contextlib
import logging
import threading
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

SOURCE_FONT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
SOURCE_FAMILY = "Noto Serif CJK SC"

# Font lookups are reused across documents (a fresh configuration costs ~10 ms a PDF), one
# configuration per thread: Pango font maps are not meant to be shared between threads, and
# threads may render documents concurrently (gunicorn's gthread workers, as in the benches).
_local = threading.local()


def font_config():
    if not hasattr(_local, "font_config"):
        _local.font_config = FontConfiguration()
    return _local.font_config


def chinese_date(day):
    return f"{day.year} 年 {day.month} 月 {day.day} 日"


@cache
def _document_font_url():
    path = Path(settings.DOCUMENT_FONT)
    return path.resolve().as_uri() if path.is_file() else ""


def render_pdf(template, context):
    """PDF bytes of an HTML template extending documents/base.html."""
    html = render_to_string(template, {**context, "document_font_url": _document_font_url()})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=font_config())


def subset_characters():
    """GB 2312 (the 6,763 common hanzi and its symbols), ASCII and the punctuation of
    court documents."""
    characters = {chr(code) for code in range(0x20, 0x7F)}
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):  # unassigned code points
                characters.add(bytes([first, second]).decode("gb2312"))
    characters |= set("（）〔〕【】《》“”‘’、。，；：？！—…·　￥")
    return "".join(sorted(characters))


def build_subset_font(target, source=SOURCE_FONT, family=SOURCE_FAMILY):
    """Write the subset of `family` from the collection `source` to `target` (fontTools,
    which WeasyPrint already depends on)."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    collection = TTCollection(str(source), lazy=True)
    numbers = [n for n, font in enumerate(collection.fonts) if font["name"].getDebugName(1) == family]
    if not numbers:
        raise ValueError(f"{family} is not in {source}")
    font = TTFont(str(source), fontNumber=numbers[0])
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # it logs every glyph name
    options = subset.Options()  # default layout features: horizontal text needs no more
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=subset_characters())
    subsetter.subset(font)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    font.save(str(partial))
    partial.replace(target)  # never a half-written font where documents look for it
