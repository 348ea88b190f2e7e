"""Two-step moderation: 宣传 drafts and submits, 宣传审核 approves and publishes.

The workflow hangs on the home page, so it governs every page of the public site.
"""

from django.db import migrations

APPROVERS = "宣传审核"
WORKFLOW = "宣传审核流程"
TASK = "宣传审核组审批"


def permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    perm, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return perm


def create(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    approvers, _ = Group.objects.get_or_create(name=APPROVERS)
    approvers.permissions.add(
        permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
        permission(apps, "portal", "court", "view_court", "Can view 法院"),
        permission(apps, "portal", "causeofaction", "view_causeofaction", "Can view 案由"),
    )
    editors = Group.objects.filter(name="宣传").first()
    for group in (approvers, editors):
        if group is None:
            continue
        group.permissions.add(
            permission(apps, "publicity", "performancemethod", "view_performancemethod", "Can view 履行方式")
        )
    root_page = Page.objects.get(depth=1)
    for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"):
        GroupPagePermission.objects.get_or_create(
            group=approvers,
            page=root_page,
            permission=permission(apps, "wagtailcore", "page", codename, f"Can {codename.replace('_', ' ')}"),
        )
    root_collection = Collection.objects.get(depth=1)
    for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
        for action in ("add", "change", "choose"):
            GroupCollectionPermission.objects.get_or_create(
                group=approvers,
                collection=root_collection,
                permission=permission(apps, app_label, model, f"{action}_{model}", f"Can {action} {model}"),
            )

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK, content_type=task_type, active=True)
    task.groups.set([approvers])
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    home = Page.objects.filter(depth=2).order_by("path").first()
    if home is not None:
        WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})


def remove(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK).delete()
    apps.get_model("auth", "Group").objects.filter(name=APPROVERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0002_performance_methods"),
        ("portal", "0005_chinese_names_for_wagtail_defaults"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create, remove)]
