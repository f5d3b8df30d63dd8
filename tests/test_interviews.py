"""The interview log: validation with clear errors, personal data kept private, progress toward the target."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest


from careerkit.errors import DataError, UsageError
from careerkit.files import data_path
from careerkit.interviews import (
    OUTCOMES,
    PERSONAL_FIELDS,
    SOURCES,
    Interview,
    load_log,
    save_log,
    summarise_log,
    summary,
)

from conftest import DATA

LOGS = DATA / "interviews"
TODAY = dt.date(2026, 3, 20)


def test_valid_csv_log_loads(kit):
    """A valid CSV log loads with dates, outcomes, consent and normalised fields."""
    log = load_log(LOGS / "valid.csv", catalog=kit, today=TODAY)
    assert len(log) == 5
    first = log.interviews[0]
    assert first.date == dt.date(2026, 3, 2) and first.outcomes == ("referral", "lead") and first.consent_to_share
    assert first.line == 2 and log.interviews[1].thank_you_date is None and not log.interviews[4].consent_to_share


def test_csv_and_json_logs_hold_the_same_interviews(kit):
    """The same interviews as CSV and as JSON load to equal entries."""
    assert load_log(LOGS / "valid.csv", catalog=kit, today=TODAY).interviews == load_log(LOGS / "valid.json", catalog=kit, today=TODAY).interviews


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_save_then_load_round_trips(kit, tmp_path: Path, suffix: str):
    """A saved log (CSV or JSON) loads back equal, phone numbers starting with '+' included."""
    log = load_log(LOGS / "valid.csv", catalog=kit, today=TODAY)
    path = save_log(log, tmp_path / f"log{suffix}")
    again = load_log(path, catalog=kit, today=TODAY)
    assert again.interviews == log.interviews
    assert again.interviews[1].interviewee_contact == "+1 555 0100"


@pytest.mark.parametrize(
    ("fixture", "fragments"),
    [
        ("future_date.csv", ["line 3 (date)", "2026-04-01 is in the future"]),
        ("future_thank_you.csv", ["line 3 (thank_you_date)", "in the future"]),
        ("negative_minutes.csv", ["line 3 (minutes)", "-10", "1 to 180"]),
        ("absurd_minutes.csv", ["line 3 (minutes)", "600"]),
        ("minutes_not_a_number.csv", ["line 3 (minutes)", "'half an hour'"]),
        ("unknown_career.csv", ["line 3 (career_id)", "'alpha-analist'", "did you mean 'alpha-analyst'"]),
        ("thanks_before_interview.csv", ["line 3 (thank_you_date)", "2026-03-09 is before the interview on 2026-03-10"]),
        ("unknown_source.csv", ["line 3 (source)", "did you mean 'alumni'"]),
        ("unknown_format.csv", ["line 3 (format)", "did you mean 'video'"]),
        ("unknown_outcome.csv", ["line 3 (outcomes)", "did you mean 'referral'"]),
        ("unknown_location.csv", ["line 3 (location)", "'parc'"]),
        ("format_location_mismatch.csv", ["line 3 (location)", "does not fit format 'phone'"]),
        ("bad_date.csv", ["line 3 (date)", "'03/12/2026' is not a date", "YYYY-MM-DD"]),
        ("bad_consent.csv", ["line 3 (consent_to_share)", "'maybe' is not yes or no"]),
        ("empty_role.csv", ["line 3 (interviewee_role)", "empty"]),
        ("missing_column.csv", ["line 1", "missing column 'minutes'"]),
        ("unknown_field.json", ["entry 2 (minuts)", "did you mean 'minutes'"]),
        ("negative_minutes.json", ["entry 2 (minutes)", "-5"]),
    ],
)
def test_each_bad_log_entry_is_a_clear_error(kit, fixture: str, fragments: list[str]):
    """Each broken log raises a DataError naming the file, the line (or entry) and the field."""
    with pytest.raises(DataError) as info:
        load_log(LOGS / fixture, catalog=kit, today=TODAY)
    message = str(info.value)
    assert fixture in message
    for fragment in fragments:
        assert fragment in message


def test_name_and_contact_are_marked_personal():
    """The interviewee's name and contact are the fields marked personal."""
    assert PERSONAL_FIELDS == ("interviewee_name", "interviewee_contact")
    marked = {f.name for f in dataclasses.fields(Interview) if f.metadata.get("personal")}
    assert marked == set(PERSONAL_FIELDS)


def test_public_records_hold_no_personal_data(kit):
    """Public records drop name and contact, drop takeaways without consent and blank the name inside takeaways."""
    log = load_log(LOGS / "valid.csv", catalog=kit, today=TODAY)
    records = log.to_public_records()
    text = repr(records)
    for i in log:
        assert i.interviewee_contact not in text
        for part in i.interviewee_name.split():
            assert part not in text
    assert all(not set(PERSONAL_FIELDS) & set(r) for r in records)
    assert records[0]["takeaways"] == "[name] said case practice matters more than frameworks; [name] also runs a case club."
    assert records[1]["takeaways"] == ""  # no consent
    assert records[0]["career_id"] == "alpha-analyst" and records[0]["organisation"] == "Northbridge Advisory"


def test_summary_counts_by_career_outcome_and_source(kit):
    """The summary counts interviews by career, outcome and contact source, and the percent of the target."""
    progress = summary(load_log(LOGS / "valid.csv", catalog=kit, today=TODAY), target=20, today=TODAY)
    assert progress.total == 5 and progress.percent == 25.0 and progress.minutes == 170
    assert dict(progress.by_career) == {"alpha-analyst": 2, "beta-writer": 1, "delta-scientist": 1, "epsilon-curator": 1}
    assert list(progress.by_outcome) == list(OUTCOMES) and progress.by_outcome["lead"] == 1 and progress.by_outcome["offer"] == 0
    assert list(progress.by_source) == list(SOURCES) and all(n == 1 for n in progress.by_source.values())


def test_thank_you_notes_are_overdue_after_24_hours(kit):
    """An interview with no thank-you date is overdue once more than a day has passed, relative to today."""
    log = load_log(LOGS / "valid.csv", catalog=kit, today=TODAY)
    overdue = summary(log, today=TODAY).overdue
    assert [i.date for i in overdue] == [dt.date(2026, 3, 5), dt.date(2026, 3, 18)]
    assert [i.date for i in summary(log, today=dt.date(2026, 3, 6)).overdue] == []


def test_unsafe_meeting_places_are_listed(kit):
    """A meeting in a private home is listed in the summary with the plain-language reason."""
    progress = summary(load_log(LOGS / "valid.csv", catalog=kit, today=TODAY), today=TODAY)
    assert [i.location for i in progress.unsafe] == ["private_home"]
    assert "Do not meet in a private home" in str(progress)


def test_summary_table_reads_well(kit):
    """The printed summary has the headline, one table per count and the overdue notes with their lines."""
    text = str(summary(load_log(LOGS / "valid.csv", catalog=kit, today=TODAY), target=100, today=TODAY))
    assert text.startswith("5 of 100 interviews (5%)")
    assert "career" in text and "contact source" in text and "champion outcome" in text
    assert "Thank-you notes overdue (2)" in text and "(line 3)" in text
    assert "<table>" in summary(load_log(LOGS / "valid.csv", catalog=kit, today=TODAY), today=TODAY)._repr_html_()


@pytest.mark.parametrize("target", [0, -5, True])
def test_target_must_be_positive(kit, target):
    """A target of zero or less is refused."""
    with pytest.raises(UsageError, match="target"):
        summary(load_log(LOGS / "valid.csv", catalog=kit, today=TODAY), target=target)


def test_example_log_loads_with_the_shipped_catalog(catalog):
    """data/examples/interview_log.csv loads against the shipped catalog and summarises."""
    progress = summarise_log(data_path("examples/interview_log.csv"), target=100, today=dt.date(2025, 10, 20), catalog=catalog)
    assert progress.total >= 4 and len(progress.overdue) == 1 and progress.unsafe == ()
