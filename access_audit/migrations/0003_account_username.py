from django.db import migrations


class Migration(migrations.Migration):
    """The account's name there is its username in the business system (issue 12)."""

    dependencies = [("access_audit", "0002_text_limits")]

    operations = [
        migrations.RemoveConstraint(model_name="loginright", name="login_right_one_active_per_person"),
        migrations.RenameField(model_name="loginright", old_name="account", new_name="username"),
        migrations.RenameField(model_name="historicalloginright", old_name="account", new_name="username"),
    ]
