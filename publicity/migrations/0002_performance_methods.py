"""Performance methods named by the plan (实施方案 一、五至九)."""

from django.db import migrations

METHODS = [
    ("当庭履行", "实施方案第五条", "对标的额较小、权利义务明确的案件，债务人在开庭或调解时当庭履行。"),
    ("调解后自动履行", "实施方案第一条、第四条", "达成调解协议后，债务人按协议期限自动履行。"),
    ("判决后自动履行", "实施方案第一条", "判决生效后，债务人在履行期限内自动履行，未进入执行程序。"),
    (
        "冻结资金扣划履行",
        "实施方案第八条",
        "经当事人协商一致，将已冻结资金扣划至法院账户，作为自动履行的标的。",
    ),
    ("担保履行", "实施方案第七条", "调解协议设立担保条款，由债务人、其他当事人或案外人提供担保，促成履行。"),
    (
        "违约条款促成履行",
        "实施方案第六条",
        "调解协议设立违约金、提前履行等违约限制条款，促使债务人按期履行。",
    ),
    ("基层组织督促履行", "实施方案第九条", "借助村、社区等基层组织和网格员力量，督促债务人自动履行。"),
]


def load(apps, schema_editor):
    PerformanceMethod = apps.get_model("publicity", "PerformanceMethod")
    for order, (name, reference, description) in enumerate(METHODS, start=1):
        PerformanceMethod.objects.update_or_create(
            name=name,
            defaults={"plan_reference": reference, "description": description, "sort_order": order * 10},
        )


def unload(apps, schema_editor):
    apps.get_model("publicity", "PerformanceMethod").objects.filter(name__in=[m[0] for m in METHODS]).delete()


class Migration(migrations.Migration):
    dependencies = [("publicity", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
