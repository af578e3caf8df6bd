"""One mark per database session *and concern* (a part of what the outcome figures read), so
that a change re-counts only the part it touched (``matchmaking.outcome_version``). The rows of
0022 (one per session) are dropped: the figures are counted once more after this migration."""

from django.db import migrations, models

from matchmaking import outcome_version


def install(apps, schema_editor):
    outcome_version.install(schema_editor)


def uninstall(apps, schema_editor):
    outcome_version.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("matchmaking", "0022_outcome_change"),
    ]

    operations = [
        migrations.DeleteModel(name="OutcomeChange"),
        migrations.CreateModel(
            name="OutcomeChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("backend", models.IntegerField(verbose_name="database session")),
                ("concern", models.CharField(max_length=40, verbose_name="concern")),
                (
                    "mark",
                    models.DecimalField(
                        decimal_places=0, max_digits=40, verbose_name="change mark"
                    ),
                ),
            ],
            options={
                "verbose_name": "outcome change",
                "verbose_name_plural": "outcome changes",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("backend", "concern"), name="outcome_change_once"
                    )
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
