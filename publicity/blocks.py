"""StreamField blocks of typical cases: the standard sections court pages use (domain §7)."""

from wagtail import blocks

from portal.blocks import BodyBlock

CASE_SECTIONS = ("基本案情", "履行情况", "典型意义")


class CaseSectionBlock(blocks.StructBlock):
    heading = blocks.ChoiceBlock(
        label="栏目",
        choices=[(name, name) for name in CASE_SECTIONS],
    )
    text = blocks.RichTextBlock(label="内容", features=["bold", "italic", "ol", "ul", "link"])

    class Meta:
        icon = "doc-full"
        label = "标准栏目"
        template = "publicity/blocks/case_section.html"


class CaseBodyBlock(BodyBlock):
    """基本案情 / 履行情况 / 典型意义 sections, plus the paragraphs, quotes and images of any page."""

    section = CaseSectionBlock()

    class Meta:
        label = "正文"
        block_counts = {"section": {"min_num": 1}}
