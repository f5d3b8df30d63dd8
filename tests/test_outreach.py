"""Outreach messages (limits, no job talk, connection first) and the meeting-safety check."""

from __future__ import annotations

import datetime as dt

import pytest

from careerkit.catalog import Catalog, load_catalog
from careerkit.errors import LimitError, UsageError
from careerkit.files import data_path
from careerkit.outreach import (
    KINDS,
    LINKEDIN_CHARS,
    LOCATION_TYPES,
    SAFE_LOCATIONS,
    WORD_LIMITS,
    cold_email,
    compose_message,
    follow_up,
    linkedin_note,
    lower_title,
    meeting_safety,
    peer_message,
    thank_you,
    with_article,
    word_count,
)
from careerkit.profile import Profile, load_profile, neutral_profile

from conftest import DATA

CONNECTION = "Dr. Amara Osei, who supervised my master's project, suggested I write to you"
ADVICE = "volunteer at one public event this term"


@pytest.fixture(scope="module")
def student(kit: Catalog) -> Profile:
    """A chemistry student."""
    return load_profile(DATA / "profile" / "valid.json", catalog=kit)


def test_cold_email_is_short_leads_with_the_connection_and_asks_no_job(kit, student):
    """The cold email is under 100 words, opens with the connection, and mentions no job or attachment."""
    m = cold_email(student, kit.career("beta-writer"), to_role="features editor", connection=CONNECTION, catalog=kit)
    assert m.kind == "email" and m.subject
    assert m.word_count < 100 and m.word_count == word_count(m.body)
    first_sentence = m.body.split("\n\n")[1]
    assert first_sentence.startswith(CONNECTION[0].upper() + CONNECTION[1:] + ".")
    assert "Chemistry" in m.body and "beta writer" in m.body
    assert m.check() == ()


def test_cold_email_over_100_words_is_refused_with_the_count(kit, student):
    """A connection text that pushes the email to 100 words or more raises LimitError with the word count."""
    long = "We met at the regional chemistry conference last spring " * 6
    with pytest.raises(LimitError, match=r"an email must stay under 100 words; this one has \d+ \(cut at least \d+"):
        cold_email(student, kit.career("beta-writer"), connection=long, catalog=kit)


def test_linkedin_note_fits_300_characters(kit, student):
    """The LinkedIn note with a normal connection stays within 300 characters."""
    m = linkedin_note(student, kit.career("delta-scientist"), to_role="data scientist", connection=CONNECTION, catalog=kit)
    assert m.char_count <= LINKEDIN_CHARS and m.subject == "" and CONNECTION[1:] in m.body
    assert m.check() == ()


def test_linkedin_note_over_300_characters_says_how_many_over(kit, student):
    """A LinkedIn note over 300 characters raises LimitError saying exactly how many characters over."""
    short = linkedin_note(student, kit.career("delta-scientist"), to_role="data scientist", connection="We met at PyCon", catalog=kit)
    extra = " and talked about reproducible notebooks for a long while" * 3
    expected = short.char_count + len(extra) - LINKEDIN_CHARS
    assert expected > 0
    with pytest.raises(LimitError) as info:
        linkedin_note(student, kit.career("delta-scientist"), to_role="data scientist", connection="We met at PyCon" + extra, catalog=kit)
    assert f"{expected + LINKEDIN_CHARS} characters, {expected} over the limit of 300" in str(info.value)


def test_peer_message_asks_classmates_for_people_they_know(kit, student):
    """The peer message goes to a classmate by default and asks who they know in the sector."""
    m = peer_message(student, kit.career("alpha-analyst"), catalog=kit)
    assert m.kind == "peer" and m.to_role == "classmate"
    assert "Do you know anyone in consulting" in m.body and m.check() == ()
    alumnus = peer_message(student, kit.career("alpha-analyst"), to_role="alumna of our programme", connection="We overlapped in the Rivera lab", catalog=kit)
    assert alumnus.body.startswith("Hi,\n\nWe overlapped in the Rivera lab.")


def test_follow_up_is_short_and_names_the_first_date(kit, student):
    """The single follow-up stays under its word limit and recalls when the first message went out."""
    m = follow_up(student, kit.career("alpha-analyst"), sent_on=dt.date(2026, 3, 2), catalog=kit)
    assert "02 March" in m.body and m.word_count < WORD_LIMITS["followup"] and m.check() == ()


def test_thank_you_names_the_advice_and_is_due_within_24_hours(kit, student):
    """The thank-you note quotes the advice and is due 24 hours after the interview."""
    when = dt.datetime(2026, 3, 10, 15, 30)
    m = thank_you(student, kit.career("epsilon-curator"), advice=ADVICE, interviewed_at=when, catalog=kit)
    assert ADVICE in m.body and m.due == when + dt.timedelta(hours=24)
    assert "Send by Wednesday 11 March 2026, 15:30" in str(m)
    by_date = thank_you(student, kit.career("epsilon-curator"), advice=ADVICE, interviewed_at=dt.date(2026, 3, 10), catalog=kit)
    assert by_date.due == dt.datetime(2026, 3, 11, 23, 59)


@pytest.mark.parametrize("advice", ["", "   ", "network", "Be curious"])
def test_thank_you_without_specific_advice_is_refused(kit, student, advice):
    """A thank-you note needs one specific piece of advice (a few words), not an empty or one-word placeholder."""
    with pytest.raises(UsageError, match="specific piece of advice"):
        thank_you(student, kit.career("epsilon-curator"), advice=advice, interviewed_at=dt.date(2026, 3, 10), catalog=kit)


@pytest.mark.parametrize(
    ("body", "flag"),
    [
        ("Hello, are you hiring at the moment?", "'hiring'"),
        ("Are there any open positions in your team?", "'positions'"),
        ("I saw the job posting and wanted to ask.", "'job'"),
        ("I have attached my CV for reference.", "'attached'"),
        ("Please find my resume below.", "'resume'"),
    ],
)
def test_check_flags_job_talk_and_attachments_after_an_edit(kit, student, body, flag):
    """A student's edit that asks for a job or attaches a CV is flagged by check()."""
    m = cold_email(student, kit.career("alpha-analyst"), catalog=kit).edit(body=body)
    problems = m.check()
    assert len(problems) == 1 and flag in problems[0]


def test_check_flags_the_word_and_character_limits(kit, student):
    """check() flags an email of 100 words or more and a LinkedIn note over 300 characters."""
    email = cold_email(student, kit.career("alpha-analyst"), catalog=kit).edit(body="word " * 104)
    assert "104 words; keep an email under 100 words (cut at least 5)" in email.check()[0]
    note = linkedin_note(student, kit.career("alpha-analyst"), catalog=kit).edit(body="x" * 320)
    assert "320 characters, 20 over" in note.check()[0]


def test_every_builder_is_clean_for_every_shipped_career(catalog):
    """For the example profile and each shipped career, every kind of message passes its own check."""
    profile = load_profile(data_path("examples/profile.json"), catalog=catalog)
    for career in catalog:
        for kind in KINDS:
            m = compose_message(kind, career.id, advice=ADVICE, interviewed_at=dt.date(2026, 3, 10), catalog=catalog)
            assert m.check() == (), (career.id, kind, m.check())
        assert cold_email(profile, career, catalog=catalog).check() == ()


def test_compose_message_needs_advice_for_thanks_and_a_known_kind(catalog):
    """compose_message refuses a thank-you without advice and an unknown kind, with a suggestion."""
    career = catalog.careers[0].id
    with pytest.raises(UsageError, match="--advice"):
        compose_message("thanks", career)
    with pytest.raises(UsageError, match="did you mean 'email'"):
        compose_message("emial", career)
    assert compose_message("peer", career, profile=data_path("examples/profile.json")).to_role == "classmate"


@pytest.mark.parametrize("location", SAFE_LOCATIONS)
def test_public_places_workplaces_and_calls_are_safe(location):
    """A public place, the interviewee's workplace, a phone or a video call is a safe meeting."""
    check = meeting_safety(location)
    assert check and check.safe and check.reason


@pytest.mark.parametrize(
    ("location", "words"),
    [("private_home", "private home"), ("Private home", "private home"), ("other", "not one of the safe places"), ("their flat", "not one of the safe places")],
)
def test_private_homes_and_anything_else_are_flagged_in_plain_words(location, words):
    """A private home, or any place not on the safe list, is flagged with a plain-language reason."""
    check = meeting_safety(location)
    assert not check and words in check.reason and str(check).startswith("NOT SAFE")


def test_location_types_cover_the_safe_ones():
    """Every safe location is a location type the interview log accepts."""
    assert set(SAFE_LOCATIONS) < set(LOCATION_TYPES)


def test_word_count_and_text_helpers():
    """Words count as a reader counts them; titles keep acronyms; a/an follows the sound."""
    assert word_count("Don't e-mail me on 2026-03-01, please!") == 6
    assert lower_title("UX Researcher") == "UX researcher" and lower_title("Medical Writer") == "medical writer"
    assert with_article("analyst") == "an analyst" and with_article("UX researcher") == "a UX researcher"
    assert with_article("ESG investment analyst") == "an ESG investment analyst" and with_article("university adviser") == "a university adviser"


def test_message_str_shows_counts_and_problems():
    """The printed message shows its subject, counts and any problem."""
    m = cold_email(neutral_profile(), load_catalog(DATA / "profile" / "catalog").career("beta-writer"), catalog=load_catalog(DATA / "profile" / "catalog"))
    text = str(m)
    assert text.startswith("Subject: ") and f"({m.word_count} words, {m.char_count} characters)" in text
    assert "! It mentions 'job'" in str(m.edit(body="Any job for me?"))
