"""What migration intake/0006 could not decide about applications stored before the
performing party was recorded: who performed is known (the case's defendant), but its ID
number is not, and a consent given by an agent or the plaintiff was not the party's own.

Lists, by tracking number only (no personal data on the terminal or in a log), the
applications whose performer has no ID number and those whose list consent was cleared,
and the candidates of the list that name someone other than the performing party, for
名单管理 to check and withdraw by hand. Exits 1 while such candidates wait on the list.
"""

from django.core.management.base import BaseCommand

from honorroll.models import Nomination
from intake.models import ApplicantRole, Application


class Command(BaseCommand):
    help = "列出履行义务的当事人无法确定的申请和需要人工核对的名单候选（迁移 intake/0006 之后）。"

    def handle(self, *args, **options):
        undecided = Application.objects.exclude(applicant_role=ApplicantRole.DEFENDANT).filter(
            performer_id_encrypted=""
        )
        self.stdout.write(f"由代理人或原告提出、未登记履行义务的当事人证件号码的申请：{undecided.count()} 件")
        for application in undecided.order_by("submitted_at").iterator():
            self.stdout.write(
                f"  {application.tracking_number}（{application.get_applicant_role_display()}）"
            )
        performers = dict(Application.objects.values_list("tracking_number", "performer_name").iterator())
        wrong = [
            nomination
            for nomination in Nomination.objects.exclude(reference="").filter(withdrawn_at__isnull=True)
            if nomination.reference in performers
            and performers[nomination.reference] != nomination.party_name
        ]
        self.stdout.write(f"名单候选中当事人与履行义务的当事人不一致、需要人工核对的：{len(wrong)} 个")
        for nomination in wrong:
            state = "已列入批次" if hasattr(nomination, "entry") else "尚未列入批次"
            self.stdout.write(f"  名单候选 #{nomination.pk}，申请 {nomination.reference}，{state}")
        if wrong:
            raise SystemExit(1)
