"""Identities for the recipient agencies: a person who gave the second consent (identity to
the agencies) is sent with the real name and ID number, in the agency files and the feed;
a person who consented to the list only is sent masked, as the public sees it. Every
disclosure is counted (Delivery.identities_disclosed, ApiKeyUse.identities_disclosed), and
nothing public ever shows a real name or an ID number."""

import csv
import datetime
import io
import zipfile

import openpyxl
import pytest
from django.utils import timezone

from honorroll import corrections, publishing
from honorroll.exports import export_batch
from honorroll.models import AgencyApiKey, ApiKeyUse, Delivery, ListEntry, Nomination, Recipient
from tests.factories import nominate_party, second_list_manager
from tests.honorroll.conftest import ORGANISATION, PEOPLE

pytestmark = pytest.mark.django_db

AGENCY = "七台河市发展和改革委员会"
BATCHES = "/api/v1/honor-roll/batches/"
CONSENTING, CONSENTING_ID = "王五", "230902198501011236"
LIST_ONLY, LIST_ONLY_ID = "赵六", "230902199002154560"
NAME, REAL_NAME, NUMBER = 2, 4, 5  # columns of the agency file
FORMULA = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def recipient():
    return Recipient.objects.create(name=AGENCY)


@pytest.fixture
def batch(make_batch, list_manager):
    """The fixture's people (no identity consent) and organisation, 王五 who gave both
    consents and 赵六 who consented to the list only, published."""
    draft = make_batch(publish=False)
    both = nominate_party(
        CONSENTING, number=101, identity=CONSENTING_ID, identity_consented_at=timezone.now()
    )
    list_only = nominate_party(LIST_ONLY, number=102, identity=LIST_ONLY_ID)
    assert publishing.add_nominations(draft, [both, list_only]) == 2
    publishing.publish(draft, actor=list_manager)
    draft.refresh_from_db()
    return draft


def rows_of(content, fmt):
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
        return [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def raw_text(content, fmt):
    if fmt == "csv":
        return content.decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return "".join(package.read(name).decode("utf-8", "replace") for name in package.namelist())


def test_without_the_second_consent_no_identity_is_kept(batch):
    assert Nomination.objects.get(party_name=LIST_ONLY).identity_encrypted == ""
    assert batch.entries.get(party_name=LIST_ONLY).identity == ""
    entry = batch.entries.get(party_name=CONSENTING)
    assert entry.identity == CONSENTING_ID and CONSENTING_ID not in entry.identity_encrypted


# ---------------------------------------------------------------------------
# Agency files
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_agency_file_names_the_person_who_consented(batch, recipient, list_manager, fmt):
    content, filename, _type = export_batch(batch, recipient, fmt, list_manager)

    rows = {row[NAME]: row for row in rows_of(content, fmt)[1:]}
    assert (rows["王某"][REAL_NAME], rows["王某"][NUMBER]) == (CONSENTING, CONSENTING_ID)
    assert isinstance(rows["王某"][NUMBER], str)  # an ID number stays text, all 18 digits
    assert (rows["赵某"][REAL_NAME], rows["赵某"][NUMBER]) == ("", "")
    assert (rows[ORGANISATION[0]][REAL_NAME], rows[ORGANISATION[0]][NUMBER]) == ORGANISATION
    text = raw_text(content, fmt)
    for private in (LIST_ONLY, LIST_ONLY_ID, *PEOPLE, "娜娜", "艾力", "小明"):
        assert private not in text, private
    assert AGENCY in filename
    delivery = Delivery.objects.get()
    assert (delivery.entry_count, delivery.identities_disclosed) == (8, 1)


def test_the_agency_workbook_keeps_dates_and_amounts_typed(batch, recipient, list_manager):
    content, filename, _type = export_batch(batch, recipient, "xlsx", list_manager)

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.title == "七台河市新兴区人民法院2025年第3期"
    header = [cell.value for cell in sheet[1]]
    date_column, amount_column = header.index("履行完毕日期") + 1, header.index("履行金额（元）") + 1
    organisation = next(row for row in sheet.iter_rows(min_row=2) if row[NAME].value == ORGANISATION[0])
    date, amount = organisation[date_column - 1], organisation[amount_column - 1]
    assert date.is_date and date.value == datetime.datetime(2025, 6, 2)
    assert (amount.data_type, amount.value, amount.number_format) == ("n", 150000, "0.00")
    assert filename == f"诚信履行名单-七台河市新兴区人民法院-2025年第3期-第1版-报送{AGENCY}.xlsx"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_name_that_looks_like_a_formula_is_written_as_text(make_batch, recipient, list_manager, fmt):
    draft = make_batch(people=[], organisations=((FORMULA, ORGANISATION[1]),), publish=False)
    publishing.publish(draft, actor=list_manager)

    content, _filename, _type = export_batch(draft, recipient, fmt, list_manager)

    row = rows_of(content, fmt)[1]
    assert row[NAME] == row[REAL_NAME] == "'" + FORMULA
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        cell = workbook.active.cell(row=2, column=NAME + 1)
        assert cell.data_type == "s"
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            sheet_xml = package.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet_xml and "<f " not in sheet_xml


# ---------------------------------------------------------------------------
# The feed
# ---------------------------------------------------------------------------


@pytest.fixture
def api(client, recipient):
    _key, plaintext = AgencyApiKey.issue(recipient)

    def get(path):
        return client.get(path, HTTP_AUTHORIZATION=f"Bearer {plaintext}")

    return get


def test_the_feed_gives_identities_only_with_consent(api, batch):
    url = f"{BATCHES}{batch.pk}/entries/"

    results = api(url).json()["results"]

    identities = {e["name"]: e["identity"] for e in results}
    assert identities == {
        "欧阳某某": None,
        "买某": None,
        "张某1": None,
        "张某2": None,
        "李某某": None,
        ORGANISATION[0]: {"name": ORGANISATION[0], "number": ORGANISATION[1]},
        "王某": {"name": CONSENTING, "number": CONSENTING_ID},
        "赵某": None,
    }
    body = api(url).content.decode()
    for private in (LIST_ONLY, LIST_ONLY_ID, *PEOPLE):
        assert private not in body, private


def test_each_answer_counts_the_identities_it_gave(api, batch, list_manager):
    url = f"{BATCHES}{batch.pk}/entries/"
    api(url)  # every entry: 王五 is disclosed
    api(f"{url}?page_size=2")  # 欧阳某某 and 买某: none
    api(f"{url}?page_size=7&page=2")  # 赵某 only: none
    api(f"{BATCHES}{batch.pk}/versions/")
    entry = batch.entries.get(party_name=CONSENTING)
    objection = corrections.record_objection(
        entry, requested_by=CONSENTING, reason="金额有误。", actor=list_manager
    )
    corrections.decide_objection(
        objection, outcome="correct", field="amount", value="5000", note="更正。", actor=second_list_manager()
    )
    changes = api(f"{BATCHES}{batch.pk}/changes/?since=1").json()

    copy = ListEntry.objects.get(replaces=entry)
    assert [(c["change"], c["id"]) for c in changes["results"]] == [
        ("withdrawn", entry.pk),
        ("added", copy.pk),
    ]
    assert "identity" not in changes["results"][0]  # a withdrawal names the id only
    assert changes["results"][1]["identity"] == {"name": CONSENTING, "number": CONSENTING_ID}
    uses = list(ApiKeyUse.objects.order_by("pk").values_list("status", "identities_disclosed"))
    assert uses == [(200, 1), (200, 0), (200, 0), (200, 0), (200, 1)]


def test_an_api_delivery_counts_the_identities_of_the_version_pulled(api, batch):
    api(f"{BATCHES}{batch.pk}/entries/?page_size=2")  # the first page of the current version
    assert not Delivery.objects.exists()  # not held yet: pages 2 to 4 are still to come
    api(f"{BATCHES}{batch.pk}/entries/?page_size=2&page=4")  # the last page

    delivery = Delivery.objects.get()
    assert (delivery.method, delivery.entry_count, delivery.identities_disclosed) == ("api", 8, 1)


# ---------------------------------------------------------------------------
# Nothing public
# ---------------------------------------------------------------------------


def test_the_public_never_sees_a_consented_identity(client, batch):
    page = client.get(f"/honor-roll/{batch.pk}/").content.decode()
    csv_file = client.get(f"/honor-roll/{batch.pk}/download.csv").content.decode("utf-8-sig")
    xlsx_file = raw_text(client.get(f"/honor-roll/{batch.pk}/download.xlsx").content, "xlsx")
    for text in (page, csv_file, xlsx_file):
        assert "王某" in text
        for private in (CONSENTING, CONSENTING_ID, LIST_ONLY, LIST_ONLY_ID):
            assert private not in text, private
