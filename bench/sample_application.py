"""One sample applicant's certificate or fee-reduction application, for the benches and the
tests: the form data of POST /apply/certificate/ (and /apply/fee-reduction/), and the
parties, ID number and phone the benches also set on an `Application` directly.

Importing it needs no Django settings; tests import it too (tests/intake/, tests/fuzz/).
"""

# The parties of case （2025）黑0902民初123号: the defendant (杨某) applies.
PARTIES = {
    "plaintiff_name": "李某",
    "plaintiff_kind": "person",
    "defendant_name": "杨某",
    "defendant_kind": "person",
    "applicant_role": "defendant",
    "applicant_name": "杨某",
    "applicant_kind": "person",
}
ID_NUMBER = "11010519491231002X"
PHONE = "13912345678"


def certificate_application(court, cause, number=123, /, **overrides):
    """The form data of a complete certificate application for case number `number` (the
    half-width brackets an applicant types; the form stores full-width ones). `court` and
    `cause` are primary keys; `overrides` replace or add fields, and a field overridden with
    None is left out."""
    data = {
        "court": court,
        "case_number": f"(2025)黑0902民初{number}号",
        "document_type": "mediation",
        "document_date": "2025-06-10",
        "cause": cause,
        **PARTIES,
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "email": "yang@example.com",
        "performed_on": "2025-06-18",
        "consent_processing": "on",
        **overrides,
    }
    return {key: value for key, value in data.items() if value is not None}


def fee_reduction_fields(**overrides):
    """The fields a fee-reduction application adds to a certificate application's: a
    property case whose applicant bears half of the fee, paid through the plaintiff."""
    return {
        "case_kind": "property",
        "claim_amount": "150000",
        "fee_assessed": "3300",
        "fee_borne": "1650",
        "payment_method": "via_plaintiff",
        "reason": "调解书确定的款项已在履行期限内一次性付清。",
        **overrides,
    }
