"""Organization.search_text holds the name only (issue 16, finding 2): contacts leave it."""

from django.db import migrations


def public_search_text(apps, schema_editor):
    from catalog.text import search_blob

    Organization = apps.get_model("accounts", "Organization")
    for organization in Organization.objects.only("pk", "name").iterator():
        Organization.objects.filter(pk=organization.pk).update(
            search_text=search_blob(organization.name)
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_certificates")]

    operations = [migrations.RunPython(public_search_text, migrations.RunPython.noop)]
