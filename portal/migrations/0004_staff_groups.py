"""The court's staff groups and what each may do in the Wagtail admin.

宣传 writes pages (publishing goes through moderation); 立案审查 and 名单管理 reach the
admin, where their apps add their own views and permissions.
"""

from django.db import migrations

GROUPS = ("宣传", "立案审查", "名单管理")


def permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    perm, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return perm


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    access_admin = permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")
    view_court = permission(apps, "portal", "court", "view_court", "Can view 法院")
    view_cause = permission(apps, "portal", "causeofaction", "view_causeofaction", "Can view 案由")

    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin, view_court, view_cause)

    propaganda = Group.objects.get(name="宣传")
    root_page = Page.objects.get(depth=1)
    for codename, label in (("add_page", "Can add page"), ("change_page", "Can change page")):
        GroupPagePermission.objects.get_or_create(
            group=propaganda,
            page=root_page,
            permission=permission(apps, "wagtailcore", "page", codename, label),
        )
    root_collection = Collection.objects.get(depth=1)
    for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
        for action in ("add", "change", "choose"):
            GroupCollectionPermission.objects.get_or_create(
                group=propaganda,
                collection=root_collection,
                permission=permission(apps, app_label, model, f"{action}_{model}", f"Can {action} {model}"),
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_create_homepage"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
