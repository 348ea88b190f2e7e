"""RSS feeds of published typical cases and news (Django's syndication framework).

Items carry what the public pages show: a case number only where the editor ticked 公开案号.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed


class _IndexFeed(Feed):
    feed_type = Rss201rev2Feed
    limit = 30

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index_page

    def title(self, index):
        return f"{index.get_site().site_name or '七台河市中级人民法院'} - {index.title}"

    def link(self, index):
        return index.get_url(self.request)

    def description(self, index):
        return index.intro or index.title

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        day = self.item_date(item)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


class TypicalCaseFeed(_IndexFeed):
    def items(self, index):
        return index.published_cases()[: self.limit]

    def item_date(self, item):
        return item.performance_date

    def item_description(self, item):
        facts = f"{item.court.name}｜{item.cause.name}｜{item.method.name}"
        if item.show_case_number and item.case_number:
            facts += f"｜{item.case_number}"
        return f"{facts}。{item.summary}"

    def item_categories(self, item):
        return [item.cause.name, item.method.name]


class ArticleFeed(_IndexFeed):
    def items(self, index):
        return index.published_articles()[: self.limit]

    def item_date(self, item):
        return item.date

    def item_description(self, item):
        return item.lead
