"""Writes of flow-monitoring data, by subject; every write is audited in its own transaction.

- ``points``: the node's points and who staffs them; the check every entry makes;
- ``counts``: daily sheets, groups from the field, archive loads, the daily pre-aggregate;
- ``surveys``: survey interviews;
- ``alerts``: unusual counts, alerts and coordinators' notifications;
- ``submissions``: ODK Central / KoboToolbox submissions.
"""
