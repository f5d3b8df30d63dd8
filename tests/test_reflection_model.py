"""The competency model of the reflection scorer: its data file, its errors and its explanations."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from careerkit import reflection as R
from careerkit.catalog import COMPETENCY_IDS
from careerkit.errors import DataError
from careerkit.files import read_yaml
from careerkit.reflection_model import CompetencyModel, LinearModel, spell, stem, tokens

ROOT = Path(__file__).resolve().parent.parent
TEAMWORK = (
    "I interviewed a product manager at a medical device start-up. Every Monday she and the two engineers split the "
    "week's bug reports between them, and on Friday they swap and check each other's fixes before release. "
    "That is how our bridge design group worked in my capstone: I did the load calculations, Sam did the drawings, "
    "and we traded drafts every week, although I never counted it as a skill. "
    "I will ask Sam on Thursday to help me write that up for my CV."
)


def _model_json() -> dict:
    return json.loads(gzip.decompress((ROOT / "data" / "reflection_model.json.gz").read_bytes()))


def test_the_shipped_models_match_the_catalog_and_the_lexicon():
    """A lexicon edit that drops a cue group must come with refitted models (make train-reflection)."""
    raw = _model_json()
    assert raw["competencies"]["labels"] == raw["competency_sentences"]["labels"] == list(COMPETENCY_IDS)
    assert raw["level"]["labels"] == ["0", "1", "2", "3"]
    mix = raw["competency_mix"]
    assert 0 < mix["document"] <= 1 and abs(mix["document"] + mix["sentences"] - 1) < 1e-6 and mix["sharpness"] > 0
    lexicon = read_yaml(ROOT / "data" / "reflection_lexicon.yaml")["competencies"]
    for part in ("competencies", "competency_sentences", "level"):
        n = len(raw[part]["labels"])
        assert len(raw[part]["bias"]) == n
        for feature, weights in raw[part]["weights"].items():
            assert len(weights) == n, feature
            if feature.startswith("cue:"):
                _, cid, group = feature.split(":")
                assert int(group) < len(lexicon[cid]), feature
        assert len(raw[part]["weights"]) > 1000  # words and word pairs, not only the rules' signals
    assert any(f.startswith("rule:") for f in raw["level"]["weights"])  # the level model reads the rules' verdict


def test_a_model_for_other_labels_or_a_broken_one_is_a_clear_error():
    raw = _model_json()["competencies"]
    with pytest.raises(DataError, match="retrain"):
        LinearModel.from_json({**raw, "labels": ["teamwork"]}, COMPETENCY_IDS, "competency")
    with pytest.raises(DataError, match="no usable competency model"):
        LinearModel.from_json({"labels": list(COMPETENCY_IDS)}, COMPETENCY_IDS, "competency")
    with pytest.raises(DataError, match="no usable level model"):
        LinearModel.from_json(None, ("0", "1", "2", "3"), "level")


def test_a_competency_model_needs_both_parts_and_its_mix():
    raw = _model_json()
    with pytest.raises(DataError, match="competency sentence model"):
        CompetencyModel.from_json({**raw, "competency_sentences": {}}, COMPETENCY_IDS)
    with pytest.raises(DataError, match="competency mix"):
        CompetencyModel.from_json({**raw, "competency_mix": {"document": 0.5}}, COMPETENCY_IDS)
    with pytest.raises(DataError, match="sharpness"):
        CompetencyModel.from_json({**raw, "competency_mix": {**raw["competency_mix"], "sharpness": 0}}, COMPETENCY_IDS)


def test_the_competency_decision_mixes_the_whole_text_and_its_best_sentence():
    """score = document * d + sentences * softmax(sentence scores) + offset; the soft maximum is at least the best sentence."""
    doc = {"labels": ["a"], "bias": [-1.0], "weights": {"w:x": [2.0]}}
    sent = {"labels": ["a"], "bias": [-3.0], "weights": {"w:x": [1.0], "w:y": [4.0]}}
    raw = {"competencies": doc, "competency_sentences": sent, "competency_mix": {"document": 0.5, "sentences": 0.5, "offset": 0.25, "sharpness": 4}}
    model = CompetencyModel.from_json(raw, ("a",))
    (z,), per = model.scores(["w:x"], [["w:x"], ["w:y"]])
    assert per == [[-2.0], [1.0]]
    assert 0.5 * 1.0 + 0.5 * 1.0 + 0.25 <= z < 0.5 * 1.0 + 0.5 * 1.1 + 0.25  # the best sentence (1.0) dominates the soft maximum
    (alone,), _ = model.scores(["w:x"], [["w:y"]])
    assert alone == pytest.approx(1.25)
    (empty,), none = model.scores([], [])
    assert none == [] and empty == pytest.approx(0.5 * -1.0 + 0.25)


def test_the_model_reorders_to_the_catalog_order():
    raw = {"labels": ["b", "a"], "bias": [-1.0, -2.0], "weights": {"w:x": [0.5, 3.0]}}
    model = LinearModel.from_json(raw, ("a", "b"), "test")
    assert model.scores(["w:x", "w:unknown"]) == [1.0, -0.5]
    assert model.scores([]) == [-2.0, -1.0]
    assert model.explain(["w:x", "w:unknown"], "a") == ["x"]
    p = model.probabilities(["w:x"])
    assert p[0] > p[1] and abs(sum(p) - 1) < 1e-9


def test_typos_with_doubled_letters_share_a_stem():
    assert stem("comunication") == stem("communication") == stem("commmunication")
    assert tokens(["we", "split", "the", "bugs"], frozenset({"the"})) == ["w:we", "w:split", "w:bugs", "b:we_split", "b:split_the", "b:the_bugs"]


def test_each_competency_shown_says_which_words_carried_it():
    result = R.score(TEAMWORK)
    assert result.level == 3
    assert "teamwork" in result.competencies
    why = [r for r in result.reasons if r.startswith("shows ")]
    assert len(why) == len(result.competencies)
    assert any(r.startswith("shows teamwork: ") for r in why)


def test_evidence_is_the_sentence_the_model_scores_highest():
    result = R.score(TEAMWORK)
    lead = result.competencies["teamwork"][0]
    assert lead in TEAMWORK
    assert "split" in lead or "traded" in lead


def test_without_a_model_the_scorer_still_gives_levels(monkeypatch: pytest.MonkeyPatch):
    """While tools/train_reflection.py refits stale models, the rules alone give levels and no competency is shown."""

    def stale(*args: object, **kwargs: object) -> LinearModel:
        raise DataError("stale")

    monkeypatch.setattr(R.LinearModel, "from_json", stale)
    monkeypatch.setattr(R, "MODEL_REQUIRED", False)
    R._models.cache_clear()
    try:
        result = R.score(TEAMWORK)
        assert result.level == 3 and not result.competencies
        monkeypatch.setattr(R, "MODEL_REQUIRED", True)
        R._models.cache_clear()
        with pytest.raises(DataError, match="stale"):
            R.score(TEAMWORK)
    finally:
        R._models.cache_clear()


def test_explanations_use_the_writers_own_words():
    """Stems are for the model; a TA reads "capstone", not "capsto"."""
    words = ["our", "capstone", "group", "traded", "drafts"]
    assert spell("w:capsto", words) == "capstone"
    assert spell("b:trade_draft", words) == "traded drafts"
    assert spell("w:unseen", words) == "unseen"
    why = next(r for r in R.score(TEAMWORK).reasons if r.startswith("shows teamwork: "))
    assert all(w in TEAMWORK.lower() for w in why.removeprefix("shows teamwork: ").split(", "))


def test_explanations_name_telling_words_not_function_words():
    """"shows leadership: when the, each" tells a TA nothing: a word list never holds a pair of function words."""
    from careerkit.reflection_model import KEEP
    from careerkit.reflection_rules import lexicon

    function_words = lexicon().english - KEEP
    rows = [json.loads(line) for line in (ROOT / "data" / "reflections" / "dev_b.jsonl").read_text(encoding="utf-8").splitlines()[:40]]
    listed = 0
    for row in rows:
        for reason in R.score(row["text"]).reasons:
            if reason.startswith("shows "):
                for words in reason.partition(": ")[2].split(", "):
                    listed += 1
                    assert any(w not in function_words for w in words.split()), (row["id"], reason)
    assert listed > 100


def test_the_same_text_gets_the_same_explanation_in_every_process():
    """Ties between equally weighted words are broken by name, not by Python's per-process string hashing."""
    import os
    import subprocess
    import sys

    # Development reflections whose explanations once changed with the hash seed.
    code = (
        "import json; from careerkit.reflection import score; "
        "rows = [json.loads(l) for n in ('dev', 'dev_d') for l in open(f'data/reflections/{n}.jsonl')]; "
        "print([score(r['text']).reasons for r in rows if r['id'] in ('dev-028', 'dev-043', 'dd-025', 'dd-073', 'dd-096')])"
    )
    outs = {
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outs) == 1


def test_a_missing_or_damaged_model_file_is_a_clear_error(tmp_path: Path):
    from careerkit.reflection_model import read_models

    cases = {
        "missing.json.gz": None,
        "plain.json.gz": b'{"level": {}}',  # not compressed
        "cut.json.gz": gzip.compress(b'{"level": {}}' * 50)[:40],
        "text.json.gz": gzip.compress(b"not json"),
        "list.json.gz": gzip.compress(b"[1, 2]"),
    }
    for name, data in cases.items():
        path = tmp_path / name
        if data is not None:
            path.write_bytes(data)
        with pytest.raises(DataError, match="train_reflection") as info:
            read_models(path)
        assert name in str(info.value)
    assert set(read_models(ROOT / "data" / "reflection_model.json.gz")) == {"competencies", "competency_sentences", "competency_mix", "level"}
