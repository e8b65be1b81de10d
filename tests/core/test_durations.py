"""A hand-off's time on the clock, as a person reads a clock."""


def test_a_duration_reads_as_a_clock():
    from corridor.core.templatetags.corridor import hours_minutes

    assert hours_minutes(2.3) == "2 h 18 min"
    assert hours_minutes(26) == "26 h 00 min"
    assert hours_minutes(0.01) == "0 h 01 min"
    assert hours_minutes(None) == ""
