"""A cross-border referral's codes as a person reads them: its purpose and its legal basis."""

from django import template

from corridor.referrals.cross_border_fields import basis_label, purpose_label

register = template.Library()

register.filter("purpose_label", purpose_label)
register.filter("basis_label", basis_label)
