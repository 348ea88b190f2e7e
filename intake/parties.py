"""Who performed the obligation, on an application: the party the list names (the
被告/被执行人), never an agent or the creditor, with that party's own two consents."""

import re

from intake.models import ApplicantRole, PartyKind
from portal.identifiers import IdentifierError, validate_credit_code, validate_resident_id

# The two separate consents of the performing party (PIPL Art. 23 and 25), each with its text.
LIST_CONSENT_TEXT = (
    "履行义务的当事人（被告本人，或经其授权的委托代理人代为表示）同意将其自动履行情况列入"
    "诚信履行名单，在法院网站公开并推送有关部门（可选）"
)
IDENTITY_CONSENT_TEXT = (
    "履行义务的当事人另行同意法院将其真实姓名（名称）和身份证号码（统一社会信用代码）"
    "提供给名单接收单位（信用信息共享平台、发展改革、市场监管、税务部门和金融机构），"
    "用于信用评价和激励（可选，以同意列入名单为前提）"
)


def is_blank_name(text):
    """A name of spaces and punctuation only: as good as empty."""
    return not text.strip("　 ·.，,")


def clean_performing_party(form, data):
    """Who performed (the defendant): the applicant, or the agent's principal; the
    consents are that party's, so a plaintiff cannot give them."""
    role, defendant = data.get("applicant_role"), data.get("defendant_name", "")
    if not role or not defendant or is_blank_name(defendant):
        return
    if data.get("applicant_kind") == PartyKind.ORGANISATION and is_blank_name(data.get("handler_name", "")):
        form.add_error("handler_name", "单位申请的，请填写经办人姓名。")
    if data.get("consent_identity") and not data.get("consent_list"):
        form.add_error(
            "consent_identity", "向接收单位提供身份信息须以同意列入诚信履行名单为前提，请同时勾选或取消。"
        )
    if role == ApplicantRole.DEFENDANT:
        name = data.get("applicant_name", "")
        if name and not is_blank_name(name) and not same_party(name, defendant):
            form.add_error(
                "applicant_name",
                f"申请人身份为被告（被执行人）时，申请人应为本案被告“{defendant.strip()}”；"
                "代他人申请请选择“委托代理人”。",
            )
        if data.get("applicant_kind") and data.get("defendant_kind") != data["applicant_kind"]:
            form.add_error("applicant_kind", "申请人身份为被告（被执行人）时，申请人类型应与被告类型一致。")
        data["performer_name"] = name.strip()
        data["performer_kind"] = data.get("applicant_kind")
        data["performer_id_number"] = data.get("id_number", "")
        return
    name = data.get("performer_name", "").strip() or defendant.strip()
    kind = data.get("performer_kind") or data.get("defendant_kind")
    if kind != data.get("defendant_kind"):
        form.add_error("performer_kind", "履行义务的当事人类型应与被告类型一致，请核对。")
    if not same_party(name, defendant):
        form.add_error(
            "performer_name", f"履行义务的当事人应为本案被告（被执行人）“{defendant.strip()}”，请核对。"
        )
    data["performer_name"], data["performer_kind"] = name, kind
    # A plaintiff cannot consent for the debtor, so the debtor's number would serve nothing:
    # it is not kept (data minimisation, PIPL Art. 6).
    number = "" if role == ApplicantRole.PLAINTIFF else data.get("performer_id_number", "").strip()
    data["performer_id_number"] = number
    if role == ApplicantRole.AGENT and not number:
        form.add_error(
            "performer_id_number", "委托代理人申请的，请填写被代理人的身份证号码或统一社会信用代码。"
        )
    if role == ApplicantRole.AGENT and not data.get("authorization") and "authorization" not in form.errors:
        form.add_error("authorization", "委托代理人申请的，请上传授权委托书。")
    if number and kind:
        try:
            check = validate_resident_id if kind == PartyKind.PERSON else validate_credit_code
            data["performer_id_number"] = check(number)
        except IdentifierError as error:
            form.add_error("performer_id_number", error.message)
    if role == ApplicantRole.PLAINTIFF and (data.get("consent_list") or data.get("consent_identity")):
        form.add_error(
            "consent_list",
            "原告（申请执行人）不能代履行义务的当事人同意列入名单，请取消勾选；被告本人或其委托代理人申请时可以同意。",
        )


def same_party(name, defendants):
    """Whether `name` is the defendant, or one of the defendants written as “甲、乙”."""
    name = re.sub(r"\s+", "", name)
    parts = {re.sub(r"\s+", "", part) for part in re.split(r"[、，,；;]", defendants)}
    return bool(name) and (name in parts or name == re.sub(r"\s+", "", defendants))
