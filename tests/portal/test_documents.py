"""The PDF machinery every court document uses (portal/documents.py)."""

import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines

from portal import documents

pytestmark = pytest.mark.django_db


def pdf_fonts(pdf, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return listing.splitlines()[2:], "".join(text.split())


@pytest.fixture
def document_template(monkeypatch):
    template = engines["django"].from_string(
        '{% extends "documents/base.html" %}{% block body %}<p class="body">{{ text }}</p>{% endblock %}'
    )
    monkeypatch.setattr(documents, "render_to_string", lambda name, context: template.render(context))


def test_documents_use_the_built_subset_font(document_template, tmp_path):
    assert Path(settings.DOCUMENT_FONT).is_file(), "make builds it: manage.py build_document_font"
    fonts, text = pdf_fonts(documents.render_pdf("x", {"text": "经原告确认，被告已履行完毕。"}), tmp_path)
    assert "经原告确认，被告已履行完毕。" in text
    # One embedded face: the GB 2312 subset carries every character of ordinary text.
    assert len(fonts) == 1 and " yes " in fonts[0], fonts


def test_a_rare_character_in_a_name_falls_back_to_the_full_font(document_template, tmp_path):
    # 䶮 (U+4DAE) is not in GB 2312: drawn from the full Noto Serif CJK face, also embedded.
    fonts, text = pdf_fonts(documents.render_pdf("x", {"text": "申请人刘䶮已履行完毕。"}), tmp_path)
    assert "刘䶮" in text
    assert len(fonts) == 2 and all(" yes " in line for line in fonts), fonts
    assert any("Noto-Serif-CJK-SC" in line for line in fonts), fonts


def test_the_subset_covers_gb2312_and_document_punctuation():
    characters = documents.subset_characters()
    assert len(characters) > 7000
    for character in "壹贰叁肆伍陆柒捌玖拾佰仟万亿元整（）〔〕“”、。·￥":
        assert character in characters


def test_documents_render_concurrently_in_threads(document_template, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"第{n}号文书，申请人刘䶮。" for n in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        pdfs = list(pool.map(lambda text: documents.render_pdf("x", {"text": text}), texts))
    for text, pdf in zip(texts, pdfs, strict=True):
        fonts, extracted = pdf_fonts(pdf, tmp_path)
        assert text in extracted and len(fonts) == 2
