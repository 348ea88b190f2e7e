"""Typical cases: importing 5,000 from xlsx, and the filtered list with 10,000 published.

Goals (issue 3): import < 60 s; a filtered /cases/ page p95 < 150 ms uncached on SQLite.
"""

import datetime
import io
import random

import openpyxl

from bench.harness import benchmark, page

CAUSES = [
    "民间借贷纠纷",
    "买卖合同纠纷",
    "劳动争议",
    "离婚纠纷",
    "赡养纠纷",
    "物业服务合同纠纷",
    "金融借款合同纠纷",
]
METHODS = ["当庭履行", "调解后自动履行", "判决后自动履行", "担保履行", "违约条款促成履行"]
COURTS = [
    ("七台河市新兴区人民法院", "黑0902"),
    ("七台河市桃山区人民法院", "黑0903"),
    ("勃利县人民法院", "黑0921"),
]


def workbook_bytes(rows, start):
    from publicity.importing import COLUMNS

    rng = random.Random(start)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for n in range(start, start + rows):
        court, code = COURTS[n % len(COURTS)]
        judged = datetime.date(2016, 1, 1) + datetime.timedelta(days=rng.randrange(3600))
        cause = CAUSES[n % len(CAUSES)]
        sheet.append(
            [
                f"第{n}号 某某诉某某{cause}案",
                f"（{judged.year}）{code}民初{n}号",
                court,
                cause,
                METHODS[n % len(METHODS)],
                judged,
                judged + datetime.timedelta(days=rng.randrange(60)),
                rng.randrange(1000, 2_000_000),
                "自动履行、基准测试",
                "原告诉请被告偿还欠款。" * 5,
                "被告在判决生效后自动履行完毕。" * 3,
                "诚信履行光荣。" * 4,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_workbook(content):
    from django.contrib.auth import get_user_model

    from publicity.importing import import_sheet, read_dataset
    from publicity.models import TypicalCaseIndexPage

    index = TypicalCaseIndexPage.objects.get()
    user = get_user_model().objects.get(username="xuanchuan")
    imported, skipped = import_sheet(read_dataset(content, "cases.xlsx"), index, user)
    assert (imported, skipped) == (5000, 0), (imported, skipped)


@benchmark("import 5,000 cases from xlsx (read, check, write drafts)", repeat=1)
def import_5000():
    content = workbook_bytes(5000, start=100_000)
    return lambda: import_workbook(content)


def publish_all_imported():
    """Make the bench's drafts live in bulk (the list only reads live pages)."""
    from publicity.models import TypicalCasePage

    TypicalCasePage.objects.filter(live=False).update(live=True, has_unpublished_changes=False)


def filtered_list():
    from portal.models import CauseOfAction, Court
    from publicity.models import PerformanceMethod, TypicalCasePage

    if TypicalCasePage.objects.count() < 10_000:
        import_workbook(workbook_bytes(5000, start=200_000))
        publish_all_imported()
    assert TypicalCasePage.objects.live().count() >= 10_000
    cause = CauseOfAction.objects.get(name="民间借贷纠纷").pk
    method = PerformanceMethod.objects.get(name="当庭履行").pk
    court = Court.objects.get(code="黑0902").pk
    return page(f"/cases/?cause={cause}&method={method}&court={court}&page=3")()


benchmark("/cases/ filtered (3 filters, page 3) of 10,000 published", repeat=100)(filtered_list)
benchmark("/cases/ unfiltered first page of 10,000 published", repeat=100)(page("/cases/"))
