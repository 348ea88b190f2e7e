"""Imports refuse a sheet that would hold a worker: too many rows, or an xlsx whose
content expands far beyond its size, with a Chinese message and before building rows."""

import io

import openpyxl
import pytest

from portal import spreadsheets
from portal.spreadsheets import SheetError, read_dataset


def xlsx(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["名称"])
    for number in range(rows):
        sheet.append([f"第{number}行" + "很长的文字" * 20])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 50)
    monkeypatch.setattr(spreadsheets, "TOO_MANY_ROWS", "表格超过 50 行，请分批导入。")
    assert read_dataset(xlsx(50), "a.xlsx", columns=["名称"], required=["名称"]).height == 50
    for content, name in ((xlsx(51), "a.xlsx"), (("名称\n" + "x\n" * 60).encode(), "a.csv")):
        with pytest.raises(SheetError, match="超过 50 行"):
            read_dataset(content, name, columns=["名称"], required=["名称"])


def test_an_xlsx_that_expands_far_beyond_its_size_is_refused_unparsed(monkeypatch):
    content = xlsx(2000)
    monkeypatch.setattr(spreadsheets, "MAX_UNCOMPRESSED_BYTES", len(content) * 2)
    assert len(content) < 200_000
    with pytest.raises(SheetError, match="解压后过大"):
        read_dataset(content, "a.xlsx", columns=["名称"], required=["名称"])
