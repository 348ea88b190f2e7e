from django.core.management.base import BaseCommand, CommandError

from search import engine, sync


class Command(BaseCommand):
    help = "把待同步队列中的页面更新送入搜索引擎（引擎恢复后运行，可放入定时任务）；索引丢失时先重建。"

    def handle(self, *args, **options):
        if not engine.enabled():
            self.stdout.write("未配置搜索引擎（ELASTICSEARCH_URL），无需同步。")
            return
        try:
            delivered, left, rebuilt = sync.drain()
        except engine.ENGINE_ERRORS as error:
            engine.record_failure(error, "同步")
            raise CommandError(
                f"搜索引擎不可用（{engine._describe(error)}），待同步 {sync.SearchOutbox.objects.count()} 个页面，稍后重试。"
            ) from error
        if rebuilt:
            self.stdout.write("搜索引擎中没有索引，已从已发布页面重建。")
        self.stdout.write(f"已同步 {delivered} 个页面，剩余 {left} 个。")
        if left:
            raise CommandError(f"仍有 {left} 个页面未能同步，搜索引擎可能仍不可用，稍后重试。")
