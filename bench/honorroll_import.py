"""The good-faith list: importing 100,000 entries from xlsx into a draft batch.

Goal: < 60 s, and within 3× of a baseline that only reads the same file with openpyxl
(read-only) and `bulk_create`s the entries, measured in the same run. The baseline runs
first; the import prints its ratio to it.
"""

import datetime
import io
import itertools
import random
import time
from decimal import Decimal

import openpyxl

from bench.harness import benchmark

ROWS = 100_000
BATCH_SIZE = 2000
COURTS = [
    ("七台河市中级人民法院", "黑09", "民终"),
    ("七台河市新兴区人民法院", "黑0902", "民初"),
    ("七台河市桃山区人民法院", "黑0903", "民初"),
    ("勃利县人民法院", "黑0921", "执"),
]
CAUSES = ["民间借贷纠纷", "买卖合同纠纷", "劳动争议", "物业服务合同纠纷", "金融借款合同纠纷"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"

_state = {"content": None, "timings": {}}
_batch_numbers = itertools.count(1)


def workbook_bytes(rows=ROWS):
    """A sheet as staff would fill it: 4 people to 1 organisation, dates as date cells,
    courts by name or by code, amounts as numbers or blank."""
    from honorroll.importing import COLUMNS
    from portal.identifiers import credit_code_check_character

    rng = random.Random(20250618)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(COLUMNS))
    for n in range(1, rows + 1):
        court, code, case_type = COURTS[n % len(COURTS)]
        year = 2016 + n % 10
        performed = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(300))
        consent = performed + datetime.timedelta(days=rng.randrange(30))
        if n % 5:
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randrange(1, 3)))
            kind, credit_code, record = "自然人", None, f"{consent.isoformat()} 书面同意（同意书编号 {n}）"
        else:
            name = f"七台河市某某{n}号商贸有限公司"
            first17 = f"91230900MA{n:07d}"
            kind, credit_code, record = "法人或其他组织", first17 + credit_code_check_character(first17), None
        sheet.append(
            [
                kind,
                name,
                credit_code,
                court if n % 2 else code,
                f"（{year}）{code}{case_type}{n}号",
                CAUSES[n % len(CAUSES)],
                rng.randrange(100, 5_000_000) / 100 if n % 3 else None,
                performed,
                record,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def content():
    if _state["content"] is None:
        _state["content"] = workbook_bytes()
    return _state["content"]


def fresh_batch():
    from honorroll.models import ListBatch
    from portal.models import Court

    return ListBatch.objects.create(
        court=Court.objects.get(code="黑09"), year=2099, number=next(_batch_numbers)
    )


def baseline(data):
    """Read with openpyxl and bulk_create: no checks, lookups from dictionaries."""
    from django.db import transaction
    from django.utils import timezone

    from honorroll.models import ListEntry
    from portal.models import CauseOfAction, Court

    batch = fresh_batch()
    courts = {}
    for court in Court.objects.all():
        courts[court.name] = courts[court.code] = court
    causes = {cause.name: cause for cause in CauseOfAction.objects.all()}
    kinds = {"自然人": "person", "法人或其他组织": "organisation"}
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = book.active.iter_rows(min_row=2, values_only=True)
    with transaction.atomic():
        while chunk := list(itertools.islice(rows, BATCH_SIZE)):
            entries = []
            for values in chunk:
                # A write-only sheet leaves out trailing empty cells: pad to the 9 columns.
                kind, name, credit_code, court, case_number, cause, amount, performed, record = (
                    values + (None,) * 9
                )[:9]
                consented_at = None
                if record:
                    consented_at = timezone.make_aware(
                        datetime.datetime.combine(datetime.date.fromisoformat(record[:10]), datetime.time.min)
                    )
                entries.append(
                    ListEntry(
                        batch=batch,
                        party_kind=kinds[kind],
                        party_name=name,
                        credit_code=credit_code or "",
                        court=courts[court],
                        case_number=case_number,
                        cause=causes[cause],
                        amount=None if amount is None else Decimal(str(amount)),
                        performed_on=performed.date(),
                        source="import",
                        consented_at=consented_at,
                        consent_record=record or "",
                    )
                )
            ListEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)
    book.close()
    assert batch.entries.count() == ROWS


def real_import(data):
    from honorroll.importing import import_sheet, read_sheet

    batch = fresh_batch()
    imported = import_sheet(batch, read_sheet(data, "名单.xlsx"))
    assert imported == ROWS == batch.entries.count(), imported


def timed(name, function):
    def run():
        start = time.perf_counter()
        function(content())
        _state["timings"][name] = time.perf_counter() - start
        if name == "import":
            seconds, base = _state["timings"]["import"], _state["timings"].get("baseline")
            ratio = f"{seconds / base:.1f}×" if base else "n/a (baseline not run)"
            print(f"honor-roll import / baseline ratio: {ratio} ({seconds:.1f} s / {base or 0:.1f} s)")

    return run


@benchmark("honor roll: baseline openpyxl read + bulk_create of 100,000", repeat=1)
def baseline_100k():
    content()  # the file is written once, outside the timing
    return timed("baseline", baseline)


@benchmark("honor roll: import 100,000 entries from xlsx (read, check, write)", repeat=1)
def import_100k():
    content()
    return timed("import", real_import)
