"""Load the demo content and demo staff accounts, once.

Idempotent: a second run finds what the first created and neither duplicates nor
overwrites it (an edited page or a changed password stays as the user left it).
Refuses to run where the settings do not allow demo accounts (production).
"""

import io
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Site

from portal.models import CourtSiteSettings, HomePage, NoticePage, StandardPage

# Demo accounts: (username, password, group or None for the superuser, what they do).
DEMO_ACCOUNTS = (
    ("admin", "demo-admin-2025", None, "系统管理员（超级用户）"),
    ("xuanchuan", "demo-xuanchuan-2025", "宣传", "宣传部门：撰写典型案例、新闻与页面"),
    ("lian", "demo-lian-2025", "立案审查", "立案审查：审查网上申请、出具证明书"),
    ("shenhe", "demo-shenhe-2025", "宣传审核", "宣传审核：审批并发布典型案例与新闻"),
    ("mingdan", "demo-mingdan-2025", "名单管理", "名单管理：编制并发布诚信履行名单"),
)

HOME_INTRO = (
    "对自动履行生效裁判的当事人，法院依申请出具《自动履行证明书》、依法减免案件受理费，"
    "并经本人同意列入诚信履行名单，推送至发改、市场监管、税务等部门和金融机构。"
)

ENTRY_POINTS = (
    ("典型案例", "自动履行典型案例，按案由、履行方式查阅", "/cases/"),
    ("诚信履行名单", "定期发布的自动履行当事人名单", "/honor-roll/"),
    ("申请自动履行证明书", "履行完毕后网上申请，可用于信用评价与信用修复", "/apply/certificate/"),
    ("申请减免诉讼费", "自动履行的当事人可申请依法减免案件受理费", "/apply/fee-reduction/"),
    ("诉讼费计算", "按《诉讼费用交纳办法》计算案件受理费", "/fee-calculator/"),
    ("查询申请进度", "凭受理编号和查询码查看办理情况", "/apply/status/"),
    ("自动履行告知书", "自动履行的好处与拒不履行的后果", "/notice/"),
)

NOTICE_INTRO = (
    "根据《七台河市中级人民法院关于推行生效裁判自动履行激励机制的实施方案》，"
    "法院在先行调解、案件审判阶段向双方当事人送达本告知书。"
)


def _paragraph(html):
    return {"type": "paragraph", "value": html}


def _heading(text):
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


STANDARD_PAGES = (
    (
        "how-to-apply",
        "如何申请自动履行证明书",
        "案件生效法律文书确定的义务履行完毕后，当事人可以在网上申请，无需到法院窗口。",
        [
            _heading("谁可以申请"),
            _paragraph(
                "<p>生效判决书、调解书或执行裁定书确定的义务已经自动履行完毕的案件当事人，"
                "包括履行了义务的被告（被执行人），均可申请出具《自动履行证明书》。</p>"
            ),
            _heading("需要准备的材料"),
            _paragraph(
                "<ul><li>案号，例如（2025）黑09民初123号；</li>"
                "<li>申请人的居民身份证号码或统一社会信用代码、手机号码；</li>"
                "<li>付款凭证等履行证明（PDF、JPG 或 PNG 文件，每份不超过 10MB）。</li></ul>"
            ),
            _heading("办理流程"),
            _paragraph(
                "<ol><li>在线填写申请并上传履行凭证，提交后获得受理编号和查询码；</li>"
                "<li>承办法官向原告（申请执行人）核实履行情况；</li>"
                "<li>审查通过后，凭受理编号和查询码下载加盖院印的证明书。</li></ol>"
            ),
            _paragraph(
                "<p>证明书经协调本地金融机构，可作为当事人信用评价与信用修复的依据。"
                "如有疑问，请拨打 12368 诉讼服务热线。</p>"
            ),
        ],
    ),
    (
        "about",
        "关于生效裁判自动履行激励机制",
        "七台河市中级人民法院于 2025 年 6 月印发实施方案，在全市法院推行生效裁判自动履行激励机制。",
        [
            _heading("为什么推行"),
            _paragraph(
                "<p>为提高自动履行率，优化企业信用环境，增强市场主体诚信意识，坚持立案、审判与执行"
                "多环节、多部门衔接配合，助推社会信用体系建设，优化法治营商环境。</p>"
            ),
            _heading("激励措施"),
            _paragraph(
                "<ul><li>对于自动履行完毕的案件，经当事人申请，可依法适当减免案件受理费；</li>"
                "<li>经当事人申请，可出具《自动履行证明书》，作为信用评价与信用修补文件；</li>"
                "<li>定期将诚信履行名单推送至发改、市场监管、税务等部门和金融机构、信用信息共享平台。</li></ul>"
            ),
            {
                "type": "quote",
                "value": {
                    "text": "营造“诚信履行光荣、抗拒执行可耻”的良好社会氛围。",
                    "attribution": "七台河市中级人民法院实施方案",
                },
            },
        ],
    ),
)


class Command(BaseCommand):
    help = "载入演示内容与演示账号（可重复执行，不会重复创建或覆盖已有内容）。"

    def handle(self, *args, **options):
        if not getattr(settings, "PORTAL_DEMO_ALLOWED", False):
            raise CommandError(
                "当前设置不允许载入演示内容和演示账号（生产环境禁止使用 load_demo；"
                "开发环境仅限本地 SQLite 数据库，或显式设置 PORTAL_DEMO=1）。"
            )
        with transaction.atomic():
            site = Site.objects.select_related("root_page").get(is_default_site=True)
            home = site.root_page.specific
            if not isinstance(home, HomePage):
                raise CommandError("默认站点的根页面不是首页（HomePage），请先执行 migrate。")
            created = []
            created += self._site_settings(site)
            created += self._home(home)
            created += self._pages(home)
            created += self._accounts()
            created += self._app_content(home)
        if created:
            self.stdout.write("已载入演示内容：" + "、".join(created))
        else:
            self.stdout.write("演示内容已存在，未作改动。")
            # Pages published above are indexed as they are saved; pages loaded earlier may
            # have been indexed before the admin's search segmented Chinese text
            # (search/wagtail_backend.py), so the admin search index is rebuilt (seconds).
            call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
            self.stdout.write("后台搜索索引已重建。")
        self.stdout.write("演示账号（仅限开发环境）：")
        for username, password, _group, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} 密码 {password:<22} {role}")

    def _site_settings(self, site):
        court = CourtSiteSettings.for_site(site)
        if court.address:
            return []
        court.address = "黑龙江省七台河市桃山区（演示地址）"
        court.postcode = "154600"
        court.office_hours = "工作日 8:30—11:30，13:30—17:00"
        court.save()
        return ["网站设置"]

    def _home(self, home):
        if home.entry_points:
            return []
        home.hero_intro = HOME_INTRO
        home.entry_points = [
            ("entry", {"title": title, "description": text, "url": url}) for title, text, url in ENTRY_POINTS
        ]
        home.save_revision().publish()
        return ["首页"]

    def _pages(self, home):
        created = []
        children = home.get_children()
        if not children.filter(slug="notice").exists():
            notice = NoticePage(title="自动履行告知书", slug="notice", intro=NOTICE_INTRO)
            home.add_child(instance=notice)
            notice.save_revision().publish()
            created.append("自动履行告知书")
        for slug, title, intro, body in STANDARD_PAGES:
            if children.filter(slug=slug).exists():
                continue
            page = StandardPage(title=title, slug=slug, intro=intro, body=body)
            home.add_child(instance=page)
            page.save_revision().publish()
            created.append(title)
        return created

    def _app_content(self, home):
        """Each project app may ship `<app>/demo.py` with `load(home)` for its own content."""
        created = []
        for app_config in apps.get_app_configs():
            if not app_config.path.startswith(str(settings.BASE_DIR)):
                continue
            try:
                module = import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app_config.name}.demo":
                    raise
                continue
            created += module.load(home)
        return created

    def _accounts(self):
        created = []
        User = get_user_model()
        for username, password, group_name, _role in DEMO_ACCOUNTS:
            if User.objects.filter(username=username).exists():
                continue
            if group_name is None:
                User.objects.create_superuser(username, f"{username}@demo.invalid", password)
            else:
                user = User.objects.create_user(
                    username, f"{username}@demo.invalid", password, is_staff=False
                )
                user.groups.add(Group.objects.get(name=group_name))
            created.append(f"账号 {username}")
        return created
