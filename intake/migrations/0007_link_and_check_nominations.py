"""Candidates of the list made before the performing party was recorded: link each to its
certificate (so a revocation reaches it), and withdraw those that cannot stand — made from
an application by an agent or the plaintiff (they named the applicant, not the party who
performed, with a consent that was not the party's), or whose certificate is already
revoked. A withdrawn candidate on a draft batch leaves it; one already published gets a
correction registered by the system for 名单管理 to decide. Counts are printed;
`manage.py performing_party_report` lists the rest by tracking number."""

from django.db import migrations
from django.utils import timezone


def _withdraw(apps, nomination, reason, origin):
    ListEntry = apps.get_model("honorroll", "ListEntry")
    Objection = apps.get_model("honorroll", "Objection")
    nomination.withdrawn_at = timezone.now()
    nomination.withdrawal_reason = reason
    entry = ListEntry.objects.select_related("batch").filter(nomination=nomination).first()
    if entry is None:
        return "candidate"
    if entry.batch.status != "published":
        entry.delete()
        return "draft"
    if entry.removed_in is None:
        Objection.objects.create(
            entry=entry, origin=origin, requested_by="系统（升级核查）", reason=reason, recorded_by=None
        )
        return "published"
    return "candidate"


def link_and_check(apps, schema_editor):
    Application = apps.get_model("intake", "Application")
    Certificate = apps.get_model("intake", "Certificate")
    Nomination = apps.get_model("honorroll", "Nomination")
    counts = {"linked": 0, "candidate": 0, "draft": 0, "published": 0}
    for nomination in Nomination.objects.exclude(reference="").filter(withdrawn_at__isnull=True):
        application = Application.objects.filter(tracking_number=nomination.reference).first()
        if application is None:
            continue
        certificate = (
            Certificate.objects.filter(
                court_id=application.court_id,
                application__case_number=application.case_number,
                application__performer_name=application.performer_name,
            )
            .order_by("-pk")
            .first()
        )
        if certificate is not None and not nomination.certificate_serial:
            nomination.certificate_serial = certificate.serial
            counts["linked"] += 1
        reason, origin = "", "check"
        if application.applicant_role != "defendant":
            reason = "该候选由代理人或原告的申请产生，所列并非履行义务的当事人本人或未经其本人同意（升级核查撤回）。"
        elif certificate is not None and certificate.revoked_at is not None:
            reason = f"证明书 {certificate.serial} 已撤销：{certificate.revocation_reason}"[:1000]
            origin = "revocation"
        if reason:
            counts[_withdraw(apps, nomination, reason, origin)] += 1
        nomination.save()
    withdrawn = counts["candidate"] + counts["draft"] + counts["published"]
    if counts["linked"] or withdrawn:
        print(
            f"\n  名单候选：{counts['linked']} 个已关联证明书；撤回 {withdrawn} 个"
            f"（其中 {counts['draft']} 个移出草稿批次，{counts['published']} 个已发布的登记了更正，待名单管理人员处理）。"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0006_performing_party"),
        ("honorroll", "0007_objection_origin_check"),
    ]

    operations = [migrations.RunPython(link_and_check, migrations.RunPython.noop)]
