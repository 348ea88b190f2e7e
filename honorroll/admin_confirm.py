"""The confirmation pages of the list's irreversible steps (publishing a batch, deciding
an objection): what will happen, checked as the step will check it (portal.admin_ui)."""

from django.urls import reverse

from honorroll import corrections, publishing
from honorroll.models import Objection
from portal.admin_ui import Listing, confirmation, is_confirmed

# The decision buttons' values → corrections' outcomes ("upheld" is the remove button).
DECISION_OUTCOMES = {
    "upheld": corrections.REMOVE,
    "correct": corrections.CORRECT,
    "dismissed": corrections.DISMISS,
}


def confirm_publication(request, batch):
    """Publishing freezes the public names: the page names the batch, its size, the courts
    of its cases and the names as they will be published."""
    if is_confirmed(request):
        return None  # publish() computes the names itself; a large batch is not read twice
    entries = batch.entries.only("pk", "party_kind", "party_name").order_by("pk")
    names = list(publishing.public_names(entries).values())
    courts = batch.entries.order_by("court__code").values_list("court__name", flat=True).distinct()
    return confirmation(
        request,
        title="确认发布名单",
        subtitle=str(batch),
        summary=f"将发布{batch}诚信履行名单，共 {len(names)} 条。",
        facts=[
            ("名单", str(batch)),
            ("条目数", f"{len(names)} 条"),
            ("案件所属法院", "、".join(courts)),
            ("公开名称（发布时冻结）", Listing(names)),
        ],
        consequences=[
            "发布后名单即在网站和数据接口公开，公开名称按上表冻结，不再随条目更改。",
            "发布不能撤回；发布后的更正只能通过异议程序办理（登记异议，作出决定后重新发布）。",
        ],
        button="确认发布",
        back_url=reverse("honorroll_batch", args=[batch.pk]),
    )


# The decisions on an objection, by the posted value: what the confirmation calls it and
# what follows ({revision}: the batch's next revision). A new outcome adds its row here.
OBJECTION_DECISIONS = {
    "upheld": (
        "异议成立，移除条目并重新发布第 {revision} 版",
        "该条目将从公开名单、下载文件和数据接口中移除，批次重新发布为第 {revision} 版。",
    ),
    "correct": (
        "异议成立，更正条目并重新发布第 {revision} 版",
        "原条目在第 {revision} 版中撤下，更正后的条目（新的条目编号）同时加入；已报送的接收单位需重新报送。",
    ),
    "dismissed": ("异议不成立", "该条目保持公开，名单不作更改。"),
}


def confirm_objection_decision(request, batch, objection):
    """The input is checked as the decision will check it (a decision, a note), then the
    page names the entry, the objector, the decision and the note."""
    decision = OBJECTION_DECISIONS.get(request.POST.get("decision"))
    if decision is None:
        raise publishing.ListError("请选择处理决定。")
    note = request.POST.get("note", "").strip()
    if not note:
        raise publishing.ListError("请填写处理意见。")
    if corrections.second_person_required(objection, request.user):
        raise publishing.ListError("异议须由登记人以外的名单管理人员处理（见“诚信履行名单设置”）。")
    label, consequence = (text.format(revision=batch.revision + 1) for text in decision)
    entry = objection.entry
    correction = ()
    if DECISION_OUTCOMES[request.POST.get("decision")] == corrections.CORRECT:
        field, value = corrections.corrected_value(
            entry, request.POST.get("field"), request.POST.get("value")
        )
        correction = (("更正事项", Objection.CORRECTABLE_FIELDS[field]), ("更正后的内容", str(value)))
    return confirmation(
        request,
        title="确认异议处理决定",
        subtitle=str(batch),
        summary=f"将对{entry.public_name}（{entry.case_number}）的异议作出决定：{label}。",
        facts=[
            ("条目（公开名称）", entry.public_name),
            ("案号", entry.case_number),
            ("异议人", objection.requested_by),
            ("异议理由", objection.reason),
            ("处理决定", label),
            *correction,
            ("处理意见", note),
        ],
        consequences=[consequence, "决定作出后不能更改或撤销。"],
        button="确认作出决定",
        back_url=reverse("honorroll_batch", args=[batch.pk]),
    )
