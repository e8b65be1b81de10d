"""Template filters that show intelligence codes by their translated labels (``intel.labels``)."""

from django import template

from corridor.intel import labels

register = template.Library()

register.filter("role_labels", labels.role_labels)
register.filter("kind_label", labels.kind_label)
register.filter("part_label", labels.part_label)
register.filter("detail_rows", labels.detail_rows)
