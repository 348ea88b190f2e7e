"""Give the records Wagtail's migrations create (root page, default groups and workflow)
Chinese names: they are data, so no translation catalogue reaches them."""

from django.db import migrations

RENAMES = {
    "root_page": ("Root", "根目录"),
    "groups": {"Moderators": "审核员", "Editors": "编辑"},
    "workflow": ("Moderators approval", "审核员审批"),
    "task": ("Moderators approval", "审核员审批"),
}


def rename(apps, schema_editor, reverse=False):
    Page = apps.get_model("wagtailcore", "Page")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")

    def pair(names):
        return (names[1], names[0]) if reverse else names

    old, new = pair(RENAMES["root_page"])
    Page.objects.filter(depth=1, title=old).update(title=new, draft_title=new)
    for english, chinese in RENAMES["groups"].items():
        old, new = pair((english, chinese))
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)
    old, new = pair(RENAMES["workflow"])
    Workflow.objects.filter(name=old).update(name=new)
    old, new = pair(RENAMES["task"])
    Task.objects.filter(name=old).update(name=new)


def unrename(apps, schema_editor):
    rename(apps, schema_editor, reverse=True)


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_staff_groups")]

    operations = [migrations.RunPython(rename, unrename)]
