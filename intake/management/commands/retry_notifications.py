"""Resend the submission notices that failed (run from cron, e.g. every 10 minutes)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from intake.services import retry_failed_notifications


class Command(BaseCommand):
    help = "重新发送发送失败的受理通知（受理编号和查询码）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=5,
            metavar="MINUTES",
            help="只处理提交超过该分钟数的申请（默认 5），刚提交的申请由提交请求自己发送。",
        )

    def handle(self, *args, older_than, **options):
        sent, failing = retry_failed_notifications(datetime.timedelta(minutes=older_than))
        self.stdout.write(f"已重新发送 {sent} 条通知，仍失败 {failing} 条。")
        if failing:
            # A non-zero exit, so that cron or monitoring notices a channel that stays down.
            raise CommandError(f"{failing} 条通知仍未发送成功，请检查邮件或短信服务。")
