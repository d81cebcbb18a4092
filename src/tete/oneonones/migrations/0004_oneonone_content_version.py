from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("oneonones", "0003_shared_note_html"),
    ]

    operations = [
        migrations.AddField(
            model_name="oneonone",
            name="content_version",
            field=models.BigIntegerField(default=0, editable=False),
        ),
    ]
