"""The public list as visitors see it: published batches, a batch with filters, CSV and
Excel downloads — only ever the masked public form of natural persons' names."""

import csv
import datetime
import io
import re
from urllib.parse import parse_qs, unquote, urlsplit

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from honorroll import corrections, publishing
from honorroll.models import ListBatch, ListEntry
from portal.models import CauseOfAction, Court
from tests.factories import UserFactory, second_list_manager
from tests.honorroll.conftest import ORGANISATION, PEOPLE

pytestmark = pytest.mark.django_db

MASKED = ["欧阳某某", "买某", "张某1", "张某2", "李某某"]
HEADER = ["序号", "当事人", "统一社会信用代码", "案号", "案由", "审理法院", "履行完毕日期", "履行金额（元）"]


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def listed_batches(response):
    return [a.get_text(strip=True) for a in soup_of(response).select(".batch-item h3 a")]


def table_rows(response):
    """[[cell text, …]] of the entry table's body (序号, 当事人, 代码, 案号, 案由, 法院, 日期)."""
    rows = []
    for tr in soup_of(response).select(".entry-table tbody tr"):
        rows.append([cell.get_text(strip=True) for cell in tr.find_all(["th", "td"])])
    return rows


def listed_names(response):
    return [row[1] for row in table_rows(response)]


def csv_rows(response):
    content = b"".join(response) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(response):
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def add_entry(batch, name, *, kind="person", court=None, cause=None, credit_code="", serial=100):
    return ListEntry.objects.create(
        batch=batch,
        party_kind=kind,
        party_name=name,
        credit_code=credit_code,
        court=court or batch.court,
        case_number=f"（{batch.year}）{(court or batch.court).code}民初{serial}号",
        cause=cause or CauseOfAction.objects.get(name="民间借贷纠纷"),
        performed_on=datetime.date(batch.year, 7, 1),
        source="import",
        consented_at=timezone.now() if kind == "person" else None,
        consent_record="书面同意书" if kind == "person" else "",
    )


def publish(batch):
    publishing.publish(batch, actor=UserFactory(username=f"fabu{batch.pk}", groups=["名单管理"]))
    batch.refresh_from_db()
    return batch


def uphold_objection(batch, party_name, list_manager):
    entry = batch.entries.get(party_name=party_name)
    objection = corrections.record_objection(
        entry, requested_by=party_name, reason="案件已再审改判。", actor=list_manager
    )
    corrections.decide_objection(
        objection, upheld=True, note="经核实，异议成立。", actor=second_list_manager()
    )
    batch.refresh_from_db()
    return batch


# The list of batches


def test_published_batches_newest_first_drafts_hidden(client, make_batch):
    older = make_batch(number=1)
    newer = make_batch(court_code="黑0903", number=1)
    make_batch(number=2, publish=False)
    ListBatch.objects.filter(pk=older.pk).update(published_at=timezone.now() - datetime.timedelta(days=30))
    response = client.get("/honor-roll/")
    assert response.status_code == 200
    assert listed_batches(response) == [
        f"{newer.court.name} 2025年第1期",
        f"{older.court.name} 2025年第1期",
    ]
    text = soup_of(response).get_text()
    assert "2025年第2期" not in text
    assert "已发布 2 期" in text
    assert "共 6 条" in text
    assert "已更正" not in text
    assert soup_of(response).find("h1").get_text(strip=True) == "诚信履行名单"


def test_a_corrected_batch_shows_its_revision_and_the_remaining_count(client, make_batch, list_manager):
    uphold_objection(make_batch(), "李小明", list_manager)
    item = soup_of(client.get("/honor-roll/")).select_one(".batch-item")
    assert "共 5 条" in item.get_text()
    assert "已更正，第2版" in item.get_text()


def test_the_list_of_batches_has_twenty_per_page(client):
    court = Court.objects.get(code="黑0902")
    now = timezone.now()
    ListBatch.objects.bulk_create(
        ListBatch(
            court=court,
            year=2024,
            number=n,
            status=ListBatch.Status.PUBLISHED,
            published_at=now - datetime.timedelta(days=n),
            revision=1,
        )
        for n in range(1, 23)
    )
    first = client.get("/honor-roll/")
    assert listed_batches(first) == [f"{court.name} 2024年第{n}期" for n in range(1, 21)]
    second = client.get("/honor-roll/?page=2")
    assert listed_batches(second) == [f"{court.name} 2024年第{n}期" for n in (21, 22)]
    assert "第 2 页 / 共 2 页" in soup_of(second).get_text()


def test_no_batch_published_yet(client, make_batch):
    make_batch(publish=False)
    response = client.get("/honor-roll/")
    assert response.status_code == 200
    assert "暂无已发布的诚信履行名单" in response.content.decode()


# A batch


def test_a_batch_shows_the_public_form(client, make_batch):
    batch = make_batch()
    response = client.get(f"/honor-roll/{batch.pk}/")
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.find("h1").get_text(strip=True) == "七台河市新兴区人民法院诚信履行名单（2025年第3期）"
    assert soup.title.get_text().startswith("七台河市新兴区人民法院诚信履行名单（2025年第3期） - ")
    rows = table_rows(response)
    assert [row[1] for row in rows] == [*MASKED, ORGANISATION[0]]
    assert rows[0] == [
        "1",
        "欧阳某某",
        "—无",  # persons have no credit code
        "（2025）黑0902民初1号",
        "民间借贷纠纷",
        "七台河市新兴区人民法院",
        "2025年6月1日",
    ]
    assert rows[-1][2] == ORGANISATION[1]
    assert "本期共 6 条" in soup.get_text()
    table = soup.select_one(".entry-table")
    assert table.caption.get_text(strip=True).startswith("七台河市新兴区人民法院诚信履行名单")
    assert all(th.get("scope") == "col" for th in table.select("thead th"))
    assert all(th.get("scope") == "row" for th in table.select("tbody th"))
    for name in ("q", "court", "cause"):
        field = soup.find(attrs={"name": name})
        assert soup.find("label", attrs={"for": field["id"]}) is not None


def test_drafts_and_unknown_batches_are_not_found(client, make_batch):
    draft = make_batch(publish=False)
    for path in (
        f"/honor-roll/{draft.pk}/",
        f"/honor-roll/{draft.pk}/download.csv",
        f"/honor-roll/{draft.pk}/download.xlsx",
        "/honor-roll/99999/",
        "/honor-roll/99999999999999999999999/",
    ):
        assert client.get(path).status_code == 404, path


def test_filter_by_a_fragment_of_the_public_name(client, make_batch):
    batch = make_batch()
    response = client.get(f"/honor-roll/{batch.pk}/", {"q": "张某"})
    assert listed_names(response) == ["张某1", "张某2"]
    assert "符合条件的共 2 条" in soup_of(response).get_text()
    assert listed_names(client.get(f"/honor-roll/{batch.pk}/", {"q": " 建设工程 "})) == [ORGANISATION[0]]


@pytest.mark.parametrize("real", ["娜娜", "欧阳娜娜", "艾力", "买买提", "张三", "小明"])
def test_the_real_name_finds_nothing(client, make_batch, real):
    batch = make_batch()
    response = client.get(f"/honor-roll/{batch.pk}/", {"q": real})
    assert response.status_code == 200
    assert table_rows(response) == []
    assert "没有符合条件的当事人" in soup_of(response).get_text()


def test_filter_by_court_and_cause(client, make_batch):
    batch = make_batch(publish=False)
    other_court = Court.objects.get(code="黑0903")
    other_cause = CauseOfAction.objects.exclude(name="民间借贷纠纷").order_by("pk").first()
    add_entry(batch, "王小红", court=other_court, serial=20)
    add_entry(batch, "赵大刚", cause=other_cause, serial=21)
    publish(batch)
    url = f"/honor-roll/{batch.pk}/"

    soup = soup_of(client.get(url))
    courts = [option.get_text() for option in soup.select("select[name=court] option")]
    assert courts == ["全部法院", "七台河市新兴区人民法院", "七台河市桃山区人民法院"]
    causes = [option.get_text() for option in soup.select("select[name=cause] option")]
    assert sorted(causes[1:]) == sorted(["民间借贷纠纷", other_cause.name]) and causes[0] == "全部案由"

    assert listed_names(client.get(url, {"court": other_court.pk})) == ["王某某"]
    assert listed_names(client.get(url, {"cause": other_cause.pk})) == ["赵某某"]
    assert listed_names(client.get(url, {"cause": other_cause.pk, "q": "王"})) == []
    response = client.get(url, {"court": batch.court.pk, "q": "某"})
    assert listed_names(response) == [*MASKED, ORGANISATION[0], "赵某某"]  # 七台河市某建设…
    selected = soup_of(response).select_one("select[name=court] option[selected]")
    assert selected.get_text() == "七台河市新兴区人民法院"


def test_fifty_per_page_and_page_links_keep_the_filters(client, make_batch):
    people = [f"王{a}{b}" for a in "一二三四五六七八" for b in "甲乙丙丁戊己庚辛"]  # 64 people
    batch = make_batch(people=people)
    cause = CauseOfAction.objects.get(name="民间借贷纠纷")
    url = f"/honor-roll/{batch.pk}/"

    first = client.get(url, {"q": "王某某", "cause": cause.pk})
    assert listed_names(first) == [f"王某某{n}" for n in range(1, 51)]
    assert "符合条件的共 64 条" in soup_of(first).get_text()
    next_link = soup_of(first).select_one(".pagination a[rel=next]")["href"]
    assert parse_qs(urlsplit(next_link).query) == {"q": ["王某某"], "cause": [str(cause.pk)], "page": ["2"]}

    second = client.get(url + next_link)
    rows = table_rows(second)
    assert [row[1] for row in rows] == [f"王某某{n}" for n in range(51, 65)]
    assert rows[0][0] == "51"  # numbering continues across pages
    previous = soup_of(second).select_one(".pagination a[rel=prev]")["href"]
    assert parse_qs(urlsplit(previous).query)["q"] == ["王某某"]

    # Unfiltered: 64 people and the organisation, on two pages.
    assert len(table_rows(client.get(url, {"page": 2}))) == 15


def test_removed_entries_disappear_everywhere(client, make_batch, list_manager):
    batch = uphold_objection(make_batch(), "李小明", list_manager)
    response = client.get(f"/honor-roll/{batch.pk}/")
    assert listed_names(response) == [*MASKED[:-1], ORGANISATION[0]]
    assert "已更正，第2版" in soup_of(response).get_text()
    assert "李某某" not in response.content.decode()
    assert listed_names(client.get(f"/honor-roll/{batch.pk}/", {"q": "李"})) == []
    assert "李某某" not in [row[1] for row in csv_rows(client.get(f"/honor-roll/{batch.pk}/download.csv"))]
    assert "李某某" not in [row[1] for row in xlsx_rows(client.get(f"/honor-roll/{batch.pk}/download.xlsx"))]


def test_a_correction_replaces_the_downloads(client, make_batch, list_manager):
    batch = make_batch()
    for suffix, rows_of in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        assert "李某某" in [
            row[1] for row in rows_of(client.get(f"/honor-roll/{batch.pk}/download.{suffix}"))
        ]
    uphold_objection(batch, "李小明", list_manager)
    for suffix, rows_of in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        rows = rows_of(client.get(f"/honor-roll/{batch.pk}/download.{suffix}"))
        assert [row[1] for row in rows[1:]] == [*MASKED[:-1], ORGANISATION[0]], suffix


# Downloads


def test_csv_download_is_the_public_form_with_a_bom(client, make_batch):
    batch = make_batch()
    response = client.get(f"/honor-roll/{batch.pk}/download.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="honor-roll-0902-2025-3.csv"; ')
    encoded = re.search(r"filename\*=UTF-8''(\S+)$", disposition).group(1)
    assert unquote(encoded) == "七台河市新兴区人民法院诚信履行名单2025年第3期.csv"
    disposition.encode("ascii")  # the header itself is plain ASCII
    rows = csv_rows(response)
    assert rows[0] == HEADER
    assert [row[1] for row in rows[1:]] == [*MASKED, ORGANISATION[0]]
    assert rows[1] == [
        "1",
        "欧阳某某",
        "",
        "（2025）黑0902民初1号",
        "民间借贷纠纷",
        "七台河市新兴区人民法院",
        "2025-06-01",
        "",
    ]
    assert rows[-1] == [
        "6",
        ORGANISATION[0],
        ORGANISATION[1],
        "（2025）黑0902民初6号",
        "民间借贷纠纷",
        "七台河市新兴区人民法院",
        "2025-06-02",
        "150000.00",
    ]


def test_the_whole_batch_is_downloaded_whatever_the_filter(client, make_batch):
    batch = make_batch()
    rows = csv_rows(client.get(f"/honor-roll/{batch.pk}/download.csv", {"q": "张某", "page": "2"}))
    assert len(rows) == 1 + 6


def test_xlsx_download_is_the_public_form(client, make_batch):
    batch = make_batch()
    response = client.get(f"/honor-roll/{batch.pk}/download.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="honor-roll-0902-2025-3.xlsx"' in response["Content-Disposition"]
    rows = xlsx_rows(response)
    assert rows[0] == HEADER
    assert [row[1] for row in rows[1:]] == [*MASKED, ORGANISATION[0]]
    assert rows[1][0] == 1 and rows[1][2] is None and rows[1][6].date() == datetime.date(2025, 6, 1)
    assert rows[-1][2] == ORGANISATION[1]
    assert rows[-1][7] == 150000


def test_a_name_that_looks_like_a_formula_stays_text(client, make_batch):
    batch = make_batch(people=[], organisations=(('=HYPERLINK("http://x")有限公司', "91230900MA1B2C3D4F"),))
    csv_name = csv_rows(client.get(f"/honor-roll/{batch.pk}/download.csv"))[1][1]
    assert csv_name == '\'=HYPERLINK("http://x")有限公司'
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/honor-roll/{batch.pk}/download.xlsx").content))
    cell = book.active["B2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")


# Privacy: no public output carries a person's real name


def test_no_public_output_reveals_a_real_name(client, make_batch, demo_content, list_manager):
    people = [*PEOPLE, "张三", "司马相如", "诸葛小明"]  # the same person twice, compound surnames
    batch = make_batch(people=people)
    other = make_batch(court_code="黑0903", number=1, people=["欧阳娜娜", "张四"])
    uphold_objection(other, "张四", list_manager)
    names = {e.party_name: e.public_name for e in batch.entries.all()}
    assert names["张三"] == "张某1" and names["司马相如"] == "司马某某" and names["诸葛小明"] == "诸葛某某"
    cause = CauseOfAction.objects.get(name="民间借贷纠纷")

    outputs = {}
    for path, params in [
        ("/", {}),
        ("/honor-roll/", {}),
        (f"/honor-roll/{batch.pk}/", {}),
        (f"/honor-roll/{batch.pk}/", {"q": "某", "cause": cause.pk, "court": batch.court.pk}),
        (f"/honor-roll/{batch.pk}/", {"q": "张"}),
        (f"/honor-roll/{other.pk}/", {}),
        (f"/honor-roll/{batch.pk}/download.csv", {}),
        (f"/honor-roll/{other.pk}/download.csv", {}),
    ]:
        response = client.get(path, params)
        assert response.status_code == 200, path
        outputs[f"{path}?{params}"] = response.content.decode("utf-8-sig")
    for pk in (batch.pk, other.pk):
        rows = xlsx_rows(client.get(f"/honor-roll/{pk}/download.xlsx"))
        outputs[f"xlsx {pk}"] = "\n".join(" ".join(str(v) for v in row if v is not None) for row in rows)

    assert "张某1" in outputs[f"/honor-roll/{batch.pk}/?{{}}"]
    real_names = set(ListEntry.objects.filter(party_kind="person").values_list("party_name", flat=True))
    assert set(people) <= real_names  # ours, and the demo batch's if it has one
    forbidden = [*real_names, "娜娜", "艾力", "买买提", "小明", "相如"]
    for where, text in outputs.items():
        for name in forbidden:
            assert name not in text, f"{name} in {where}"
    # Decoded in every form a page might carry it (percent-encoded links, HTML entities).
    for where, text in outputs.items():
        assert "%E5%BC%A0%E4%B8%89" not in text.upper(), where  # 张三 percent-encoded


# Bad input never makes an error page


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "9999"},
        {"page": "-1"},
        {"page": "99999999999999999999999"},
        {"court": "xyz"},
        {"court": "99999"},
        {"cause": "xyz"},
        {"cause": "1.5"},
        {"q": "张" * 500},
        {"q": "张\x00"},
        {"q": "%_"},
        {"q": "张", "court": "xyz", "cause": "", "page": "abc"},
    ],
)
def test_bad_input_never_makes_an_error(client, make_batch, params):
    batch = make_batch()
    response = client.get(f"/honor-roll/{batch.pk}/", params)
    assert response.status_code == 200
    assert client.get("/honor-roll/", params).status_code == 200


def test_bad_filters_are_ignored_with_a_chinese_message(client, make_batch):
    batch = make_batch()
    url = f"/honor-roll/{batch.pk}/"
    response = client.get(url, {"q": "张" * 500, "court": "xyz"})
    soup = soup_of(response)
    errors = [p.get_text(strip=True) for p in soup.select(".error-text")]
    assert errors == ["当事人名称最多 50 个字，已忽略该条件。", "请从列表中选择审理法院，已忽略该条件。"]
    assert len(table_rows(response)) == 6  # the bad filters are left out
    assert listed_names(client.get(url, {"page": "9999"})) == [*MASKED, ORGANISATION[0]]
    assert listed_names(client.get(url, {"q": "%"})) == []


def test_a_batch_page_costs_the_same_queries_for_any_size_and_never_reads_real_names(client, make_batch):
    small = make_batch(number=1)
    large = make_batch(number=2, people=[f"王{a}{b}" for a in "一二三四五六七八" for b in "甲乙丙丁戊己庚辛"])
    client.get(f"/honor-roll/{small.pk}/")  # warm the site settings
    counts = {}
    for batch in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/honor-roll/{batch.pk}/", {"q": "某", "page": "1"}).status_code == 200
        counts[batch.pk] = len(queries)
        assert not [q["sql"] for q in queries if "party_name" in q["sql"]]
    assert counts[small.pk] == counts[large.pk] <= 10, counts
    for suffix in ("download.csv", "download.xlsx"):
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/honor-roll/{large.pk}/{suffix}")
        assert not [q["sql"] for q in queries if "party_name" in q["sql"]]
