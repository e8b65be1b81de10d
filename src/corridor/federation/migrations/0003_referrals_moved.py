"""Cross-border referrals now belong to the referrals app (``referrals.0002_cross_border``):
they leave the federation's migration state; their tables and rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("federation", "0002_outbound_topic"),
        ("referrals", "0002_cross_border"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(model_name="referralevent", name="referral"),
                migrations.DeleteModel(name="Referral"),
                migrations.DeleteModel(name="ReferralEvent"),
            ],
        )
    ]
