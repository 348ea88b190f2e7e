"""Courts (domain/README.md §1) and common causes of action (民事案件案由规定)."""

from django.db import migrations

COURTS = [
    ("黑09", "七台河市中级人民法院", "intermediate"),
    ("黑0902", "七台河市新兴区人民法院", "basic"),
    ("黑0903", "七台河市桃山区人民法院", "basic"),
    ("黑0904", "七台河市茄子河区人民法院", "basic"),
    ("黑0921", "勃利县人民法院", "basic"),
]

CAUSES = [
    ("民间借贷纠纷", "合同纠纷"),
    ("买卖合同纠纷", "合同纠纷"),
    ("劳动争议", "劳动争议"),
    ("离婚纠纷", "婚姻家庭纠纷"),
    ("赡养纠纷", "婚姻家庭纠纷"),
    ("物业服务合同纠纷", "合同纠纷"),
    ("机动车交通事故责任纠纷", "侵权责任纠纷"),
    ("金融借款合同纠纷", "合同纠纷"),
    ("租赁合同纠纷", "合同纠纷"),
    ("建设工程施工合同纠纷", "合同纠纷"),
    ("追索劳动报酬纠纷", "劳动争议"),
    ("房屋租赁合同纠纷", "合同纠纷"),
    ("借款合同纠纷", "合同纠纷"),
    ("信用卡纠纷", "合同纠纷"),
    ("服务合同纠纷", "合同纠纷"),
    ("承揽合同纠纷", "合同纠纷"),
    ("劳务合同纠纷", "合同纠纷"),
    ("运输合同纠纷", "合同纠纷"),
    ("抚养纠纷", "婚姻家庭纠纷"),
    ("扶养纠纷", "婚姻家庭纠纷"),
    ("离婚后财产纠纷", "婚姻家庭纠纷"),
    ("确认劳动关系纠纷", "劳动争议"),
    ("经济补偿金纠纷", "劳动争议"),
    ("提供劳务者受害责任纠纷", "侵权责任纠纷"),
    ("生命权、身体权、健康权纠纷", "人格权纠纷"),
    ("侵害作品信息网络传播权纠纷", "知识产权纠纷"),
    ("不当得利纠纷", "不当得利纠纷"),
]


def load(apps, schema_editor):
    Court = apps.get_model("portal", "Court")
    CauseOfAction = apps.get_model("portal", "CauseOfAction")
    for order, (code, name, level) in enumerate(COURTS, start=1):
        Court.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "sort_order": order * 10}
        )
    for order, (name, category) in enumerate(CAUSES, start=1):
        CauseOfAction.objects.update_or_create(
            name=name, defaults={"category": category, "sort_order": order * 10}
        )


def unload(apps, schema_editor):
    apps.get_model("portal", "Court").objects.filter(code__in=[c[0] for c in COURTS]).delete()
    apps.get_model("portal", "CauseOfAction").objects.filter(name__in=[c[0] for c in CAUSES]).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
