from django.conf import settings
from django.db import migrations, models


def release_what_was_shown(apps, schema_editor):
    """Answers by public link that results already showed (rounds of at least the minimum)
    become the first step; the others wait for enough newer ones."""
    Round = apps.get_model("surveys", "Round")
    Response = apps.get_model("surveys", "Response")
    k = max(3, int(getattr(settings, "TETE_MIN_GROUP_SIZE", 5)))
    for round_ in Round.objects.filter(survey__audience="public"):
        responses = Response.objects.filter(round=round_)
        if responses.count() >= k:
            responses.update(release=1)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_checkins"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="release",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(release_what_was_shown, migrations.RunPython.noop),
    ]
