import time

from django.core.management.base import BaseCommand

from search import indexing


class Command(BaseCommand):
    help = "从已发布的典型案例和新闻重建内置搜索索引。"

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = indexing.rebuild()
        self.stdout.write(f"已索引 {count} 个页面，用时 {time.perf_counter() - started:.1f} 秒。")
