"""StreamField blocks shared by the portal's pages."""

from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="标题文字", max_length=80)
    level = blocks.ChoiceBlock(
        label="级别",
        choices=[("h2", "二级标题"), ("h3", "三级标题")],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = "小标题"
        template = "portal/blocks/heading_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="引文")
    attribution = blocks.CharBlock(label="出处", required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = "引文"
        template = "portal/blocks/quote_block.html"


class EntryPointBlock(blocks.StructBlock):
    """A service entry on the home page (典型案例, 诚信履行名单, 申请证明书 …)."""

    title = blocks.CharBlock(label="名称", max_length=30)
    description = blocks.CharBlock(label="说明", max_length=80, required=False)
    # A site path such as /cases/: entries may point at parts that are still being built.
    url = blocks.RegexBlock(
        label="链接",
        regex=r"^(/[^\s]*|https?://[^\s]+)$",
        error_messages={"invalid": "请填写以 / 开头的站内路径或完整网址。"},
        max_length=200,
    )

    class Meta:
        icon = "link"
        label = "服务入口"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label="段落",
        features=["bold", "italic", "ol", "ul", "link", "document-link"],
    )
    quote = QuoteBlock()
    image = ImageBlock(label="图片")

    class Meta:
        label = "正文"
