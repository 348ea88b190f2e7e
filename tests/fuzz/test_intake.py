"""Fuzzing the public intake forms and the fee calculator (see tests/fuzz/__init__.py)."""

import datetime
import os
import re

from django.core import mail
from django.test import RequestFactory
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from intake.models import Application, ApplicationEvent, EvidenceFile, FeeReductionRequest
from intake.verification import VERIFY_THROTTLE
from intake.views import STATUS_THROTTLE
from portal import identifiers
from tests.fuzz import strategies as s
from tests.fuzz.conftest import (
    CJK,
    ENGLISH,
    FUZZ,
    assert_chinese_errors,
    assert_chinese_json_error,
    assert_chinese_page,
    assert_not_500,
    counts,
    example_state,
    files_under,
)
from tests.fuzz.http import ENCODINGS, post

TODAY = min(timezone.localdate(), datetime.date.today())
INTAKE_MODELS = (Application, EvidenceFile, ApplicationEvent, FeeReductionRequest)
DOCUMENT_TYPES = ["judgment", "mediation", "enforcement_ruling", "ruling"]
PAYMENT_METHODS = ["online", "bank", "counter", "via_plaintiff", "unpaid"]


# --- the application forms ----------------------------------------------------------------
def invalid_value(world, field, draw):
    """A wrong value that looks like the field's own."""
    by_field = {
        "court": st.sampled_from(
            [str(world.other_court_id), str(world.inactive_court_id), "999999", "abc", "-1", "1.0", "１"]
        ),
        "cause": st.sampled_from(["999999", "abc", "0", str(2**63), "1e3"]),
        "case_number": s.case_number(valid=False),
        "id_number": st.one_of(s.resident_id(valid=False), s.credit_code(valid=False)),
        "phone": s.phone(valid=False),
        "email": st.sampled_from(["a@", "@b.cn", "a b@c.cn", "x" * 250 + "@example.com", "张三@", "a@b@c"]),
        "document_date": s.BAD_DATES,
        "performed_on": s.BAD_DATES,
        "document_type": st.sampled_from(["judgement", "JUDGMENT", "criminal"]),
        "plaintiff_kind": st.sampled_from(["people", "Person", "1"]),
        "defendant_kind": st.sampled_from(["people", "Person", "1"]),
        "applicant_kind": st.sampled_from(["person", "organisation", "company"]),
        "applicant_role": st.sampled_from(["plaintiff", "judge", "defendant", "agent"]),
        "consent_processing": st.sampled_from(["", "off", "false", "0"]),
        "case_kind": st.sampled_from(["enforcement", "divorce", "ip", "preservation", "xx"]),
        "claim_amount": s.amount(valid=False),
        "fee_assessed": s.amount(valid=False),
        "fee_borne": st.one_of(s.amount(valid=False), s.amount(minimum=10_000_001, maximum=10**12)),
        "payment_method": st.sampled_from(["cash", "ONLINE", "bitcoin"]),
        "reason": st.sampled_from(["", "   ", "理" * 1001, "\x00"]),
    }
    return draw(by_field.get(field, s.HOSTILE))


@st.composite
def application_request(draw, world, fee):
    """(fields, files, mutations): a valid application of the kind, then 0-3 mutations."""
    year = draw(st.integers(2016, TODAY.year))
    document_date = draw(st.dates(datetime.date(year, 1, 1), TODAY))
    performed_on = draw(st.dates(document_date, TODAY))
    applicant_kind = draw(st.sampled_from(["person", "organisation"]))
    role = draw(st.sampled_from(["defendant", "agent"] if fee else ["defendant", "plaintiff", "agent"]))
    defendant_name = draw(s.cjk_text(1, 30))
    defendant_kind = draw(st.sampled_from(["person", "organisation"]))
    data = {
        "court": str(world.court_id),
        "case_number": draw(s.case_number(year=year)),
        "document_type": draw(st.sampled_from(DOCUMENT_TYPES)),
        "document_date": document_date.isoformat(),
        "cause": str(world.cause_id),
        "plaintiff_name": draw(s.cjk_text(1, 30)),
        "plaintiff_kind": draw(st.sampled_from(["person", "organisation"])),
        "defendant_name": defendant_name,
        "defendant_kind": defendant_kind,
        "applicant_role": role,
        # The defendant applying is the defendant; an agent or the plaintiff is someone else.
        "applicant_name": defendant_name if role == "defendant" else draw(s.cjk_text(1, 30)),
        "applicant_kind": applicant_kind,
        "id_number": draw(s.resident_id() if applicant_kind == "person" else s.credit_code()),
        "phone": draw(s.phone()),
        "email": draw(st.sampled_from(["", "yang@example.com", "li.si+court@qq.com"])),
        "performed_on": performed_on.isoformat(),
        "consent_processing": draw(st.sampled_from(["on", "1", "true"])),
    }
    if applicant_kind == "organisation":
        data["handler_name"] = draw(s.cjk_text(1, 20))
    if role == "defendant":
        data["applicant_kind"] = applicant_kind = defendant_kind
        data["id_number"] = draw(s.resident_id() if applicant_kind == "person" else s.credit_code())
        if applicant_kind == "organisation":
            data["handler_name"] = draw(s.cjk_text(1, 20))
    if role == "agent":  # the principal's number; the power of attorney is among the files
        data["performer_id_number"] = draw(s.resident_id() if defendant_kind == "person" else s.credit_code())
    if role != "plaintiff" and draw(st.booleans()):  # only the performing party consents
        data["consent_list"] = "on"
        if draw(st.booleans()):
            data["consent_identity"] = "on"
    if fee:
        assessed = draw(st.integers(100, 10_000_000))  # fen
        borne = draw(st.integers(1, assessed))
        data.update(
            {
                "case_kind": "property",
                "claim_amount": draw(st.one_of(st.just(""), s.amount())),
                "fee_assessed": f"{assessed / 100:.2f}",
                "fee_borne": f"{borne / 100:.2f}",
                "payment_method": draw(st.sampled_from(PAYMENT_METHODS)),
                "reason": draw(s.cjk_text(1, 200)),
            }
        )
    fields = list(data.items())
    files = [
        ("evidence", name, content) for name, content in draw(st.lists(s.GOOD_FILES, min_size=1, max_size=3))
    ]
    if role == "agent":
        files.append(("authorization", *draw(s.GOOD_FILES)))
    mutations = draw(st.sampled_from([0, 0, 0, 1, 1, 1, 2, 2, 3]))
    for _ in range(mutations):
        action = draw(st.integers(0, 7))
        index = draw(st.integers(0, len(fields) - 1)) if fields else 0
        if action == 0 and fields:  # a field left out
            del fields[index]
        elif action == 1 and fields:  # the field's own kind of mistake
            fields[index] = (fields[index][0], invalid_value(world, fields[index][0], draw))
        elif action == 2 and fields:  # anything at all
            fields[index] = (fields[index][0], draw(s.HOSTILE))
        elif action == 3 and fields:  # the key twice (an array where a scalar is expected)
            fields.insert(index, (fields[index][0], draw(st.one_of(s.HOSTILE, st.just(fields[index][1])))))
        elif action == 4:  # an unknown field
            fields.append(
                (
                    draw(st.sampled_from(["status", "tracking_number", "id", "is_staff", "evidence[]"])),
                    draw(s.HOSTILE),
                )
            )
        elif action == 5:  # bad or missing files
            files = [("evidence", name, content) for name, content in draw(s.evidence_files())]
            if draw(st.integers(0, 3)) == 0:
                files = []
        elif action == 6:  # a lone surrogate (sent as invalid UTF-8)
            if fields:
                fields[index] = (fields[index][0], fields[index][1] + "\ud800")
        elif fields:  # a value sent as a file, and a file name sent as a value
            name, value = fields.pop(index)
            files.append((name, "x.txt", str(value).encode("utf-8", "surrogatepass")))
            fields.append(("evidence", "receipt.pdf"))
    encoding = draw(ENCODINGS) if mutations else "multipart"
    return fields, files, mutations, encoding


def fits_the_model(instance):
    """Every stored text fits its column (SQLite does not check; PostgreSQL refuses)."""
    for field in type(instance)._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(value, str) and getattr(field, "max_length", None):
            assert len(value) <= field.max_length, (field.name, len(value), field.max_length)


def check_stored_application(application, files_sent, fee):
    fits_the_model(application)
    assert identifiers.normalise_case_number(application.case_number) == application.case_number
    assert application.court_id and application.cause_id
    assert application.document_date <= TODAY + datetime.timedelta(days=1)
    assert application.document_date <= application.performed_on <= TODAY + datetime.timedelta(days=1)
    if application.applicant_kind == "person":
        identifiers.validate_resident_id(application.id_number)
    else:
        identifiers.validate_credit_code(application.id_number)
    identifiers.validate_mobile(application.phone)
    for name in (application.plaintiff_name, application.defendant_name, application.applicant_name):
        assert name.strip() and "\x00" not in name
    evidence = list(application.evidence.filter(kind="evidence"))
    assert 1 <= len(evidence) <= 5 and len(evidence) <= files_sent
    assert application.performer_name.strip() and application.performer_kind in ("person", "organisation")
    if application.applicant_role == "plaintiff":
        assert not application.consents_to_list and not application.consents_to_identity
    if application.consents_to_identity:
        assert application.consents_to_list
    for item in evidence:
        fits_the_model(item)
        assert (
            item.content_type in {"application/pdf", "image/png", "image/jpeg"}
            and item.size <= 10 * 1024 * 1024
        )
    if fee:
        request = application.fee_request
        fits_the_model(request)
        assert request.fee_assessed > 0 and 0 < request.fee_borne <= request.fee_assessed, (
            request.fee_assessed,
            request.fee_borne,
        )
        assert request.claim_amount is None or request.claim_amount > 0
        assert request.reason.strip()


def fuzz_application_form(client, world, url, fee):
    @FUZZ
    @given(request=application_request(world, fee))
    def run(request):
        fields, files, mutations, encoding = request
        with example_state():
            mail.outbox = []
            before, disk_before = counts(*INTAKE_MODELS), files_under(world_private_root())
            response = post(client, url, encoding, fields, files)
            assert_not_500(response)
            after, disk_after = counts(*INTAKE_MODELS), files_under(world_private_root())
            html = response.content.decode()
            if "data-tracking-number" in html:  # accepted: exactly one application
                assert response.status_code == 200
                new = after["EvidenceFile"] - before["EvidenceFile"]
                assert after["Application"] == before["Application"] + 1
                assert after["FeeReductionRequest"] == before["FeeReductionRequest"] + (1 if fee else 0)
                added = set(disk_after) - set(disk_before)
                assert len([p for p in added if not p.endswith(".pending")]) == new, added
                application = Application.objects.order_by("-pk").first()
                assert application.tracking_number in html
                check_stored_application(application, len(files), fee)
                for path in added:  # the example's rollback leaves its files
                    os.remove(path)
            else:
                assert mutations, "a valid application was refused: " + " / ".join(
                    re.findall(r'role="alert">(.*?)</', html)
                )
                assert after == before and disk_after == disk_before
                if response.status_code == 400:
                    assert_chinese_page(response)
                else:
                    assert response.status_code == 200, response.status_code
                    assert_chinese_errors(response)

    def world_private_root():
        from django.conf import settings

        return settings.PRIVATE_MEDIA_ROOT

    run()


def test_certificate_application(fuzz_client, world):
    fuzz_application_form(fuzz_client, world, "/apply/certificate/", fee=False)


def test_fee_reduction_application(fuzz_client, world):
    fuzz_application_form(fuzz_client, world, "/apply/fee-reduction/", fee=True)


# --- status look-up and document downloads ------------------------------------------------
def credentials(world):
    """(tracking number, code) pairs: real ones, real ones mangled, and rubbish."""
    real = [
        (world.certificate_number, world.certificate_code),
        (world.pending_number, world.pending_code),
        (world.decision_number, world.decision_code),
    ]

    def mangle(text):
        return st.sampled_from(
            [
                text,
                text.lower(),
                f"  {text}  ",
                text[:-1],
                text + "2",
                text.translate(str.maketrans("0123456789ABCDEFGH", "０１２３４５６７８９ＡＢＣＤＥＦＧＨ")),
                text.replace("-", ""),
                text.replace("2", "Z"),
            ]
        )

    real_pair = st.sampled_from(real).flatmap(lambda pair: st.tuples(mangle(pair[0]), mangle(pair[1])))
    crossed = st.tuples(st.sampled_from([p[0] for p in real]), st.sampled_from([p[1] for p in real]))
    rubbish = st.tuples(s.HOSTILE, s.HOSTILE)
    return st.one_of(real_pair, crossed, rubbish, st.tuples(st.sampled_from([p[0] for p in real]), s.HOSTILE))


@st.composite
def status_request(draw, world):
    number, code = draw(credentials(world))
    fields = [("tracking_number", number), ("access_code", code)]
    if draw(st.integers(0, 3)) == 0:
        fields.pop(draw(st.integers(0, 1)))
    if draw(st.integers(0, 4)) == 0:
        fields.append((draw(st.sampled_from(["tracking_number", "access_code", "x"])), draw(s.HOSTILE)))
    method = draw(st.sampled_from(["POST"] * 6 + ["GET", "PUT", "HEAD"]))
    encoding = draw(st.sampled_from(["urlencoded"] * 4 + ["multipart", "json", "text"]))
    throttled = draw(st.integers(0, 9)) == 0
    return method, encoding, fields, throttled


# What a FailureThrottle reads of a request: the test client's address.
ClientAddress = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")


def exhaust_throttle(throttle):
    """As many failures as the throttle allows, counted by the throttle itself (that wrong
    codes are counted is tested in tests/intake; 25 real requests per example cost more
    than the rest of the example)."""
    for _ in range(throttle.attempts):
        throttle.failed(ClientAddress)


def fuzz_status(client, world, url, document):
    @FUZZ
    @given(request=status_request(world))
    def run(request):
        method, encoding, fields, throttled = request
        with example_state():
            if throttled:
                exhaust_throttle(STATUS_THROTTLE)
            before = counts(*INTAKE_MODELS)
            if method == "POST":
                response = post(client, url, encoding, fields)
            else:
                response = client.generic(method, url)
            assert_not_500(response)
            assert counts(*INTAKE_MODELS) == before
            if response.get("Content-Type") == "application/pdf":
                assert document and method == "POST" and not throttled
                assert response.content.startswith(b"%PDF")
                number = dict(fields).get("tracking_number", "").strip().upper()
                assert number in (world.certificate_number, world.decision_number)
                return
            if method == "HEAD":
                return
            if method == "POST" or document:
                html = response.content.decode()
                if "<dd data-status>" in html:  # the application shown
                    assert not document and not throttled
                else:
                    assert response.status_code in (200, 400, 404, 405, 429), response.status_code
                    assert_chinese_errors(response, required=method == "POST")

    run()


def test_status_lookup(fuzz_client, world):
    fuzz_status(fuzz_client, world, "/apply/status/", document=False)


def test_certificate_download(fuzz_client, world):
    fuzz_status(fuzz_client, world, "/apply/status/certificate.pdf", document=True)


def test_decision_download(fuzz_client, world):
    fuzz_status(fuzz_client, world, "/apply/status/decision.pdf", document=True)


# --- certificate verification (/verify/) --------------------------------------------------
def test_verify_certificate(fuzz_client, world):
    serial = st.sampled_from(
        [world.certificate_serial, world.certificate_serial + "1", world.certificate_serial[:-1]]
    )
    code = st.sampled_from([world.verification_code, world.verification_code.lower(), "WRONG123"])
    params = {"serial": st.one_of(serial, s.HOSTILE), "code": st.one_of(code, s.HOSTILE)}

    @FUZZ
    @given(query=s.query_string(params), throttled=st.integers(0, 9))
    def run(query, throttled):
        with example_state():
            if throttled == 0:
                exhaust_throttle(VERIFY_THROTTLE)
            before = counts(*INTAKE_MODELS)
            response = fuzz_client.get(f"/verify/?{query}")
            assert_not_500(response)
            assert counts(*INTAKE_MODELS) == before
            assert response.status_code in (200, 429)
            assert_chinese_errors(response, required=False)

    run()


# --- the fee calculator page and its API --------------------------------------------------
KINDS = st.sampled_from(
    [
        "property",
        "divorce",
        "personality",
        "non_property",
        "ip",
        "labour",
        "administrative",
        "administrative_special",
        "jurisdiction_objection",
        "enforcement",
        "preservation",
        "PROPERTY",
        " property ",
    ]
)
FLAGS = st.sampled_from(["", "1", "0", "on", "true", "false", "TRUE", "yes", "2", "-1", "１"])


def test_fee_calculator_page(fuzz_client, world):
    params = {
        "kind": st.one_of(KINDS, s.HOSTILE),
        "amount": st.one_of(s.amount(), s.amount(valid=False), s.HOSTILE),
        "mediated": st.one_of(FLAGS, s.HOSTILE),
        "summary": st.one_of(FLAGS, s.HOSTILE),
    }

    @FUZZ
    @given(query=s.query_string(params))
    def run(query):
        response = fuzz_client.get(f"/fee-calculator/?{query}")
        assert_not_500(response)
        assert response.status_code == 200
        assert_chinese_errors(response, required=False)

    run()


def test_fee_api(fuzz_client, world):
    params = {
        "kind": st.one_of(KINDS, s.HOSTILE),
        "claim": st.one_of(s.amount(), s.amount(valid=False), s.HOSTILE),
        "mediated": st.one_of(FLAGS, s.HOSTILE),
        "summary": st.one_of(FLAGS, s.HOSTILE),
    }

    @FUZZ
    @given(query=s.query_string(params), method=st.sampled_from(["GET"] * 8 + ["POST", "PUT", "DELETE"]))
    def run(query, method):
        response = fuzz_client.generic(method, f"/api/v1/fee/?{query}")
        assert_not_500(response)
        if method != "GET":
            assert response.status_code == 405
            return
        assert response.status_code in (200, 400), response.status_code
        assert response["Content-Type"].startswith("application/json")
        if response.status_code == 400:
            assert_chinese_json_error(response)
        else:
            data = response.json()
            assert re.fullmatch(r"[0-9]+\.[0-9]{2}", data["fee"]) and CJK.search(data["kind_label"])
            assert not ENGLISH.search(data["basis"])

    run()
