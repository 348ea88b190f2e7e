"""The public application form. Every message tells the applicant what to fix, in Chinese."""

import re
import secrets

from django import forms
from django.utils import timezone

from intake import fees
from intake.models import (
    ApplicantRole,
    Application,
    ApplicationKind,
    DocumentType,
    FeePaymentMethod,
    PartyKind,
    submission_key_hash,
)
from intake.parties import IDENTITY_CONSENT_TEXT, LIST_CONSENT_TEXT, clean_performing_party, is_blank_name
from intake.uploads import AuthorizationField, EvidenceField
from portal import crypto
from portal.identifiers import (
    FORMULA_NAME_MESSAGE,
    IdentifierError,
    parse_case_number,
    reads_as_formula,
    validate_credit_code,
    validate_resident_id,
)
from portal.models import CauseOfAction, Court
from portal.validators import CaseNumberField, MobileField, court_mismatch

# What a form's submission key looks like (secrets.token_urlsafe); anything else is ignored.
SUBMISSION_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


PARTY_HELP = "自然人填写姓名，单位填写全称。"


def party_kind_field(label):
    """自然人 / 法人或其他组织, as radio buttons, a natural person by default."""
    return forms.ChoiceField(
        initial=PartyKind.PERSON,
        label=label,
        choices=PartyKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": f"请选择{label}。"},
    )


class CertificateApplicationForm(forms.Form):
    """The case, the parties, the applicant and the evidence: what every application needs."""

    kind = ApplicationKind.CERTIFICATE

    court = forms.ModelChoiceField(
        label="审理法院",
        queryset=Court.objects.filter(is_active=True),
        empty_label="请选择法院",
        error_messages={"required": "请选择审理法院。", "invalid_choice": "请从列表中选择法院。"},
    )
    case_number = CaseNumberField(
        label="案号",
        help_text="例如（2025）黑09民初123号；半角括号和空格会自动规范。",
        error_messages={"required": "请填写案号。"},
    )
    document_type = forms.ChoiceField(
        label="法律文书类型",
        choices=DocumentType.choices,
        error_messages={"required": "请选择法律文书类型。"},
    )
    document_date = forms.DateField(
        label="法律文书制作日期",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="判决书、调解书或裁定书落款的日期。",
        error_messages={
            "required": "请填写法律文书制作日期。",
            "invalid": "日期格式不正确，例如 2025-03-04。",
        },
    )
    cause = forms.ModelChoiceField(
        label="案由",
        queryset=CauseOfAction.objects.filter(is_active=True),
        empty_label="请选择案由",
        error_messages={"required": "请选择案由。", "invalid_choice": "请从列表中选择案由。"},
    )
    plaintiff_name = forms.CharField(
        label="原告（申请执行人）",
        max_length=100,
        help_text=PARTY_HELP,
        error_messages={"required": "请填写原告。"},
    )
    plaintiff_kind = party_kind_field("原告类型")
    defendant_name = forms.CharField(
        label="被告（被执行人）",
        max_length=100,
        help_text=PARTY_HELP,
        error_messages={"required": "请填写被告。"},
    )
    defendant_kind = party_kind_field("被告类型")
    applicant_role = forms.ChoiceField(
        label="申请人身份", choices=ApplicantRole.choices, error_messages={"required": "请选择申请人身份。"}
    )
    applicant_name = forms.CharField(
        label="申请人姓名或名称", max_length=100, error_messages={"required": "请填写申请人姓名或单位名称。"}
    )
    applicant_kind = party_kind_field("申请人类型")
    id_number = forms.CharField(
        label="身份证号码或统一社会信用代码",
        max_length=30,
        help_text="自然人填写 18 位居民身份证号码；单位填写 18 位统一社会信用代码。",
        error_messages={"required": "请填写证件号码。"},
    )
    phone = MobileField(label="手机号码", error_messages={"required": "请填写手机号码。"})
    email = forms.EmailField(
        label="电子邮箱（选填）",
        required=False,
        # The column's length (Django's form field would let 320 characters through).
        max_length=Application._meta.get_field("email").max_length,
        error_messages={"invalid": "电子邮箱格式不正确。", "max_length": "电子邮箱过长，请核对。"},
    )
    performed_on = forms.DateField(
        label="履行完毕日期",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"required": "请填写履行完毕日期。", "invalid": "日期格式不正确，例如 2025-06-18。"},
    )
    evidence = EvidenceField(
        label="履行凭证", help_text="付款凭证等，PDF、JPG 或 PNG，每个不超过 10MB，最多 5 个。"
    )
    consent_processing = forms.BooleanField(
        label="我同意法院为办理本申请处理我提供的个人信息（必选）",
        error_messages={"required": "须同意处理个人信息，法院才能办理申请。"},
    )
    performer_name = forms.CharField(
        label="履行义务的当事人（被代理人）",
        max_length=100,
        required=False,
        help_text="委托代理人申请时填写被代理的被告（被执行人）全称；被告本人申请的无需填写。",
    )
    performer_kind = forms.ChoiceField(
        label="履行义务的当事人类型",
        choices=[("", "与被告类型相同")] + PartyKind.choices,
        required=False,
    )
    performer_id_number = forms.CharField(
        label="履行义务的当事人身份证号码或统一社会信用代码",
        max_length=30,
        required=False,
        help_text="委托代理人申请时必填。",
    )
    handler_name = forms.CharField(
        label="经办人姓名",
        max_length=100,
        required=False,
        help_text="单位申请时填写代表单位办理本申请的工作人员。",
    )
    authorization = AuthorizationField(
        label="授权委托书", help_text="委托代理人申请时必须上传，PDF、JPG 或 PNG，不超过 10MB。"
    )
    consent_list = forms.BooleanField(
        label=LIST_CONSENT_TEXT,
        required=False,
        help_text="自然人在名单中只公开姓氏（如“张某”），不公开证件号码；单位公开全称和统一社会信用代码。",
    )
    consent_identity = forms.BooleanField(
        label=IDENTITY_CONSENT_TEXT,
        required=False,
        help_text="不同意的，报送时只提供与网站公开内容相同的信息。",
    )
    # A random key per opened form (see Application.submission_key_hash); anything else sent
    # in its place is ignored, never an error the applicant could not see or correct.
    submission_key = forms.CharField(required=False, widget=forms.HiddenInput, strip=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.resubmission_of = None
        if not self.is_bound:
            self.initial.setdefault("submission_key", secrets.token_urlsafe(24))

    def clean_submission_key(self):
        key = self.cleaned_data.get("submission_key") or ""
        return key if SUBMISSION_KEY.fullmatch(key) else ""

    def clean_performed_on(self):
        performed_on = self.cleaned_data["performed_on"]
        if performed_on > timezone.localdate():
            raise forms.ValidationError("履行完毕日期不能晚于今天。")
        return performed_on

    def clean(self):
        data = super().clean()
        court, case_number = data.get("court"), data.get("case_number")
        if court and case_number:
            parsed = parse_case_number(case_number)
            mismatch = court_mismatch(case_number, court)
            if mismatch:
                self.add_error("case_number", mismatch)
            performed_on, document_date = data.get("performed_on"), data.get("document_date")
            if performed_on and performed_on.year < parsed.year:
                self.add_error("performed_on", f"履行完毕日期早于案件收案年度（{parsed.year} 年），请核对。")
            if document_date and document_date.year < parsed.year:
                self.add_error(
                    "document_date", f"法律文书制作日期早于案件收案年度（{parsed.year} 年），请核对。"
                )
            elif document_date and document_date > timezone.localdate():
                self.add_error("document_date", "法律文书制作日期不能晚于今天。")
            elif document_date and performed_on and performed_on < document_date:
                self.add_error("performed_on", "履行完毕日期不能早于法律文书制作日期。")
        kind, number = data.get("applicant_kind"), data.get("id_number")
        if kind and number:
            try:
                if kind == PartyKind.PERSON:
                    data["id_number"] = validate_resident_id(number)
                else:
                    data["id_number"] = validate_credit_code(number)
            except IdentifierError as error:
                self.add_error("id_number", error.message)
        for field in ("plaintiff_name", "defendant_name", "applicant_name"):
            if field in data and is_blank_name(data[field]):
                self.add_error(field, "请填写名称。")
        for field in ("plaintiff_name", "defendant_name", "applicant_name", "performer_name", "handler_name"):
            # Names reach the agencies' spreadsheets: one that reads as a formula is refused.
            if reads_as_formula((data.get(field) or "").strip()):
                self.add_error(field, FORMULA_NAME_MESSAGE)
        clean_performing_party(self, data)
        if not self.errors and case_number and data.get("id_number"):
            # One query: usually no row, at most the one pending application of this case.
            pending = list(
                Application.objects.filter(
                    kind=self.kind,
                    case_number=case_number,
                    id_number_hash=crypto.keyed_hash(data["id_number"]),
                    status__in=Application.PENDING,
                ).order_by("pk")
            )
            key = data.get("submission_key")
            key_hash = submission_key_hash(key) if key else None
            same_form = next((a for a in pending if key_hash and a.submission_key_hash == key_hash), None)
            if same_form is not None:
                # This very form was sent before (a lost answer, a second click): the
                # applicant gets its receipt again (intake.views), nothing new is stored.
                self.resubmission_of = same_form
            elif pending:
                raise forms.ValidationError(
                    "您已就该案提交过申请，正在办理中，请勿重复提交；可凭受理编号和查询码查询进度。"
                )
        return data


class MoneyField(forms.CharField):
    """An amount in 元, to the fen: the calculator's own parsing, so the page, the API and
    the form refuse the same inputs with the same Chinese messages."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        try:
            return fees.parse_amount(value)
        except fees.FeeError as error:
            raise forms.ValidationError(str(error)) from None


# The kinds of case whose acceptance fee can be reduced (not the Art. 14 application fees).
ACCEPTANCE_FEE_KINDS = [
    (kind.value, label) for kind, label in fees.KIND_LABELS.items() if kind not in fees.APPLICATION_FEE_KINDS
]


class FeeReductionApplicationForm(CertificateApplicationForm):
    """减免诉讼费用: the certificate application's fields plus the fee and the reason."""

    kind = ApplicationKind.FEE_REDUCTION

    # The reduction rewards the party who performed: the defendant, or their agent.
    applicant_role = forms.ChoiceField(
        label="申请人身份",
        choices=[(role.value, role.label) for role in (ApplicantRole.DEFENDANT, ApplicantRole.AGENT)],
        help_text="减免诉讼费用由自动履行义务的被告（被执行人）或其委托代理人申请。",
        error_messages={
            "required": "请选择申请人身份。",
            "invalid_choice": "减免诉讼费用只能由被告（被执行人）或其委托代理人申请。",
        },
    )
    case_kind = forms.ChoiceField(
        label="案件类型",
        choices=ACCEPTANCE_FEE_KINDS,
        initial=fees.CaseKind.PROPERTY.value,
        error_messages={"required": "请选择案件类型。", "invalid_choice": "请从列表中选择案件类型。"},
    )
    claim_amount = MoneyField(
        label="诉讼请求金额（元，选填）",
        required=False,
        help_text="财产案件填写诉讼请求金额，页面将按《诉讼费用交纳办法》算出应交受理费供您核对。",
    )
    fee_assessed = MoneyField(
        label="案件受理费（元）",
        help_text="法院在本案中核定的案件受理费总额。",
        error_messages={"required": "请填写案件受理费。"},
    )
    fee_borne = MoneyField(
        label="其中由申请人负担（元）",
        help_text="判决书、调解书确定由您负担的部分。",
        error_messages={"required": "请填写由申请人负担的受理费。"},
    )
    payment_method = forms.ChoiceField(
        label="交纳方式", choices=FeePaymentMethod.choices, error_messages={"required": "请选择交纳方式。"}
    )
    reason = forms.CharField(
        label="申请理由",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="请说明自动履行的情况，例如在履行期限内一次性付清。",
        error_messages={"required": "请填写申请理由。", "max_length": "申请理由请控制在 1000 字以内。"},
    )

    def clean(self):
        data = super().clean()
        assessed, borne = data.get("fee_assessed"), data.get("fee_borne")
        if assessed is not None and borne is not None and borne > assessed:
            self.add_error("fee_borne", f"由申请人负担的部分不能超过案件受理费 {assessed} 元。")
        kind, claim = data.get("case_kind"), data.get("claim_amount")
        if kind and claim is not None and kind not in {k.value for k in fees.AMOUNT_LABELS}:
            try:
                fees.calculate(kind, claim)
            except fees.FeeError as error:  # the calculator says what to do instead
                self.add_error("claim_amount", str(error))
        return data
