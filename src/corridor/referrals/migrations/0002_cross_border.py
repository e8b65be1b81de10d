"""Cross-border referrals move here from the federation app: the models are taken over in the
migration state only, on the tables ``federation.0002_outbound_topic`` renamed for them, so
every existing referral and its timeline stay as they are."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import corridor.core.crypto

STATUS_CHOICES = [
    ("sent", "Sent"),
    ("received", "Received"),
    ("info_requested", "Information requested"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("in_progress", "In progress"),
    ("return_planned", "Return planned"),
    ("returned", "Returned"),
    ("reintegration_follow_up", "Reintegration follow-up"),
    ("closed", "Closed"),
]
KIND_CHOICES = [
    ("status", "Status"),
    ("family_traced", "Family traced"),
    ("bid_approved", "Best-interest determination approved"),
    ("return_date", "Return date"),
    ("follow_up_visit", "Follow-up visit"),
    ("info_provided", "Information provided"),
    ("note", "Note"),
    ("consent_withdrawn", "Consent withdrawn"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("cases", "0002_initial"),
        ("federation", "0002_outbound_topic"),
        ("referrals", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="CrossBorderReferral",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("uid", models.UUIDField(default=uuid.uuid4, editable=False)),
                        (
                            "direction",
                            models.CharField(
                                choices=[
                                    ("out", "Sent by this node"),
                                    ("in", "Received from the other node"),
                                ],
                                max_length=3,
                                verbose_name="direction",
                            ),
                        ),
                        ("purpose", models.CharField(max_length=20, verbose_name="purpose")),
                        (
                            "status",
                            models.CharField(
                                choices=STATUS_CHOICES,
                                default="sent",
                                max_length=30,
                                verbose_name="shared status",
                            ),
                        ),
                        (
                            "reason",
                            corridor.core.crypto.EncryptedTextField(
                                blank=True, verbose_name="reason for the referral"
                            ),
                        ),
                        (
                            "shared_data",
                            corridor.core.crypto.EncryptedTextField(
                                blank=True, verbose_name="data shared"
                            ),
                        ),
                        (
                            "remote_case_ref",
                            models.CharField(
                                max_length=40, verbose_name="case reference on the other node"
                            ),
                        ),
                        (
                            "legal_basis",
                            models.CharField(
                                blank=True, max_length=60, verbose_name="consent or legal ground"
                            ),
                        ),
                        (
                            "sharing_stopped",
                            models.BooleanField(
                                default=False, verbose_name="consent withdrawn: sharing stopped"
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "agency",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.agency",
                                verbose_name="agency in charge",
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="cross_border_referrals",
                                to="cases.case",
                                verbose_name="case on this node",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "peer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="cross_border_referrals",
                                to="federation.peer",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "cross-border referral",
                        "ordering": ["-created_at", "-id"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("peer", "uid"), name="referral_uid_per_peer"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="CrossBorderReferralEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=KIND_CHOICES, max_length=20, verbose_name="kind"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(blank=True, max_length=30, verbose_name="status"),
                        ),
                        (
                            "text",
                            corridor.core.crypto.EncryptedTextField(
                                blank=True, verbose_name="details"
                            ),
                        ),
                        ("date", models.DateField(blank=True, null=True, verbose_name="date")),
                        ("by_node", models.CharField(max_length=40, verbose_name="node")),
                        (
                            "by_name",
                            models.CharField(blank=True, max_length=150, verbose_name="by"),
                        ),
                        ("at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("message_id", models.UUIDField(blank=True, null=True)),
                        (
                            "referral",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="events",
                                to="referrals.crossborderreferral",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "cross-border referral event",
                        "ordering": ["at", "id"],
                    },
                ),
            ],
        )
    ]
