from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_meeting_reminders"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="pending_email",
            field=models.EmailField(blank=True, default="", max_length=254),
        ),
        migrations.AddField(
            model_name="person",
            name="pending_email_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
