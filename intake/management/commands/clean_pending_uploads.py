"""Settle the evidence files a killed server left pending (run from cron, e.g. hourly).

A file staged for an application whose transaction never committed is deleted; a file
whose row was committed just before the crash keeps its place and loses its `.pending`
marker (intake/storage.py explains the protocol)."""

from django.core.management.base import BaseCommand

from intake.models import EvidenceFile
from intake.storage import clean_pending


class Command(BaseCommand):
    help = "清理服务器中断后遗留的待确认履行凭证文件（未提交成功的申请的文件）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=60,
            metavar="MINUTES",
            help="只处理超过该分钟数的待确认文件（默认 60），正在提交的申请不受影响。",
        )

    def handle(self, *args, older_than, verbosity, **options):
        field = EvidenceFile._meta.get_field("file")
        kept, removed = clean_pending(
            field.storage,
            lambda name: EvidenceFile.objects.filter(file=name).exists(),
            older_than * 60,
        )
        if verbosity:
            self.stdout.write(
                f"已确认 {kept} 个已保存的文件，已删除 {removed} 个未保存成功的申请遗留的文件。"
            )
