"""The outbox no longer points at a referral (the transport knows nothing of referrals): each
message carries an opaque ``topic`` instead, ``referral:<uid>`` for a referral's messages.
The referral tables are renamed for the referrals app, which takes their models over in
``referrals.0002_cross_border`` (the rows stay where they are)."""

from django.db import migrations, models


def topics_from_referrals(apps, schema_editor):
    OutboundMessage = apps.get_model("federation", "OutboundMessage")
    Referral = apps.get_model("federation", "Referral")
    referral_ids = OutboundMessage.objects.exclude(referral=None).values("referral_id")
    for pk, uid in Referral.objects.filter(pk__in=referral_ids).values_list("pk", "uid"):
        OutboundMessage.objects.filter(referral_id=pk).update(topic=f"referral:{uid}")


def referrals_from_topics(apps, schema_editor):
    OutboundMessage = apps.get_model("federation", "OutboundMessage")
    Referral = apps.get_model("federation", "Referral")
    for referral in Referral.objects.all():
        OutboundMessage.objects.filter(
            topic=f"referral:{referral.uid}", peer_id=referral.peer_id
        ).update(referral=referral)


class Migration(migrations.Migration):
    dependencies = [("federation", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="outboundmessage",
            name="topic",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text="Set by the sending app (e.g. one referral's messages); delivered in order.",
                max_length=80,
                verbose_name="topic",
            ),
        ),
        migrations.RunPython(topics_from_referrals, referrals_from_topics),
        migrations.RemoveField(model_name="outboundmessage", name="referral"),
        migrations.AlterModelTable(name="referral", table="referrals_crossborderreferral"),
        migrations.AlterModelTable(
            name="referralevent", table="referrals_crossborderreferralevent"
        ),
    ]
