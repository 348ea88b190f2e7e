from django import template

from portal import caching

register = template.Library()


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context, page):
    """[(text, url)] of the page's ancestors below the root, the home page as 首页 (kept
    in the data cache until the content changes)."""
    request = context.get("request")
    site = getattr(request, "_wagtail_site", None)

    def read():
        return [
            ("首页" if ancestor.depth == 2 else ancestor.title, ancestor.get_url(request))
            for ancestor in page.get_ancestors().filter(depth__gt=1)
        ]

    return caching.remembered(f"breadcrumbs:{site.pk if site else ''}:{page.pk}", read)
