"""The confirmation pages of review's irreversible steps (approving and issuing a
certificate or a fee decision, revoking a certificate): what will happen (portal.admin_ui)."""

from django.urls import reverse

from portal.admin_ui import confirmation


def confirm_certificate(request, application):
    return confirmation(
        request,
        title="确认批准并出具证明书",
        subtitle=application.tracking_number,
        summary=f"将批准该申请，为{application.court.name}编号出具自动履行证明书。",
        facts=[
            ("出具法院", f"{application.court.name}（证书编号按本院年度顺序分配）"),
            ("案号", application.case_number),
            ("案由", application.cause.name),
            ("原告（申请执行人）", application.plaintiff_name),
            ("被告（被执行人）", application.defendant_name),
            ("申请人", f"{application.applicant_name}（{application.get_applicant_role_display()}）"),
            ("履行义务的当事人", application.performer_name),
            ("履行完毕日期", f"{application.performed_on:%Y-%m-%d}"),
        ],
        consequences=[
            "批准后申请人即可凭受理编号和查询码下载证明书，任何人可在网站核验其真伪。",
            (
                f"履行义务的当事人{application.performer_name}同意列入诚信履行名单，批准后将列为名单候选人。"
                if not application.list_consent_problem
                else f"不列入诚信履行名单：{application.list_consent_problem}"
            ),
            "证明书出具后不能删除；如有错误，只能撤销。",
        ],
        button="确认批准并出具证明书",
        back_url=reverse("intake_review", args=[application.pk]),
    )


def confirm_fee_decision(request, application, *, granted_amount, legal_basis):
    fee_request = application.fee_request
    kind = "免交" if granted_amount == fee_request.fee_borne else "减交"
    return confirmation(
        request,
        title="确认作出减免决定",
        subtitle=application.tracking_number,
        summary=f"将作出减免诉讼费用决定：准予{kind} {granted_amount} 元。",
        facts=[
            ("决定法院", f"{application.court.name}（决定书编号按本院年度顺序分配）"),
            ("案号", application.case_number),
            ("减免当事人（被告）", application.defendant_name),
            ("申请人", f"{application.applicant_name}（{application.get_applicant_role_display()}）"),
            ("申请人负担的受理费", f"{fee_request.fee_borne} 元"),
            ("准予减免", f"{kind} {granted_amount} 元"),
            ("减免后仍须交纳", f"{fee_request.fee_borne - granted_amount} 元"),
            ("法律依据", legal_basis),
        ],
        consequences=[
            "决定作出后申请人即可凭受理编号和查询码下载减免诉讼费用决定书。",
            "决定书出具后不能修改或撤回。",
        ],
        button="确认作出减免决定",
        back_url=reverse("intake_review", args=[application.pk]),
    )


def confirm_revocation(request, certificate, reason):
    return confirmation(
        request,
        title="确认撤销证明书",
        subtitle=certificate.serial,
        summary=f"将撤销自动履行证明书 {certificate.serial}。",
        facts=[("证书编号", certificate.serial), ("撤销理由（申请人可见）", reason)],
        consequences=[
            "撤销后，网站核验页面将显示该证明书“已撤销”，申请人不能再下载该证明书。",
            "诚信履行名单随之更正：尚未列入批次的候选人即撤回，草稿批次中的条目即移除；"
            "已发布的条目将登记更正，由名单管理人员处理后发布新版次。",
            "撤销不能恢复。",
        ],
        button="确认撤销证明书",
        back_url=reverse("intake_review", args=[certificate.application_id]),
    )
