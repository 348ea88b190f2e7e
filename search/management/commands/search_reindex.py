from django.core.management.base import BaseCommand, CommandError

from search import engine


class Command(BaseCommand):
    help = "在搜索引擎中重建案例索引：写入新索引后原子切换别名，重建期间检索始终使用旧的完整索引。"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000, help="每次批量写入的文档数（默认 1000）")

    def handle(self, *args, batch_size, **options):
        if not engine.enabled():
            raise CommandError("未配置搜索引擎（ELASTICSEARCH_URL），站内检索使用数据库，无需重建引擎索引。")
        try:
            count = engine.reindex(batch_size=max(1, batch_size))
        except engine.ENGINE_ERRORS as error:
            raise CommandError(
                f"重建中断（{engine._describe(error)}）：别名仍指向原索引，检索不受影响。请在搜索引擎恢复后重试。"
            ) from error
        self.stdout.write(f"已索引 {count} 个已发布页面，别名 {engine.alias_name()} 已切换到新索引。")
