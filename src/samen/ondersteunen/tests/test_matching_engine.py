"""The pure ranking engine of the explained matching: properties (hypothesis) and the Dutch sentences."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samen.kwaliteit.vocabulary import Interest, Language, LonelinessKind, PartOfDay, Recognition, TargetGroup
from samen.ondersteunen import matching_weights
from samen.ondersteunen.matching import engine
from samen.ondersteunen.matching.engine import Candidate, InterventionRef, Live, Need

INTERESTS = st.frozensets(st.sampled_from(Interest.values), max_size=4)
SLOTS = st.frozensets(st.tuples(st.integers(0, 6), st.sampled_from(PartOfDay.values)), max_size=3)
BARRIERS = st.frozensets(st.sampled_from(["mobility", "wheelchair", "money", "language", "hearing_sight",
                                          "care_duties", "anxiety"]), max_size=3)


@st.composite
def candidates(draw, ident=None):
    pk = ident if ident is not None else draw(st.integers(1, 10_000))
    return Candidate(
        id=pk, title=draw(st.sampled_from(["Koffie", "Wandelclub", "Eettafel", "koffie", "Zang"])),
        organisation_id=draw(st.integers(1, 3)), organisation="Org",
        wijk_id=draw(st.sampled_from([None, 1, 2])), buurt_id=draw(st.sampled_from([None, 11, 12, 21])),
        lat=draw(st.one_of(st.none(), st.floats(52.2, 52.25))), lon=draw(st.one_of(st.none(), st.floats(5.15, 5.2))),
        online=draw(st.booleans()), slots=draw(SLOTS), cost_type=draw(st.sampled_from(["free", "amount", "donation"])),
        cost_amount=Decimal("2.50"), wheelchair=draw(st.booleans()), hearing_loop=draw(st.booleans()),
        near_transport=draw(st.booleans()),
        target_groups=draw(st.frozensets(st.sampled_from(TargetGroup.values), max_size=2)),
        loneliness_kinds=draw(st.frozensets(st.sampled_from(LonelinessKind.values), max_size=2)),
        interests=draw(INTERESTS), languages=draw(st.frozensets(st.sampled_from(Language.values), max_size=2)),
        capacity=draw(st.one_of(st.none(), st.integers(0, 10))),
        interventions=tuple(draw(st.lists(st.builds(InterventionRef, st.integers(1, 4), st.just("Methode"),
                                                    st.sampled_from(Recognition.values)),
                                          max_size=2, unique_by=lambda r: r.id))))


@st.composite
def catalogues(draw):
    ids = draw(st.lists(st.integers(1, 10_000), min_size=1, max_size=12, unique=True))
    return [draw(candidates(ident=pk)) for pk in ids]


needs = st.builds(
    Need, interests=INTERESTS, availability=SLOTS, barriers=BARRIERS, free_only=st.booleans(),
    languages=st.frozensets(st.sampled_from(Language.values), max_size=2),
    loneliness_kinds=st.frozensets(st.sampled_from(LonelinessKind.values), max_size=2), online_ok=st.booleans(),
    wants_to_volunteer=st.booleans(), buurt_id=st.sampled_from([None, 11, 21]), wijk_id=st.sampled_from([None, 1, 2]),
    point=st.one_of(st.none(), st.tuples(st.floats(5.15, 5.2), st.floats(52.2, 52.25))),
    age=st.one_of(st.none(), st.integers(16, 99)))


@st.composite
def lives(draw, rows):
    taken = {c.id: draw(st.integers(0, 4)) for c in rows}
    went = {c.id: draw(st.integers(0, 20)) for c in rows}
    still = {pk: draw(st.integers(0, n)) for pk, n in went.items()}
    return Live(taken, went, still)


weights = st.fixed_dictionaries({name: st.floats(0, 10) for name in matching_weights.FACTORS})
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def scores(rows, need, **kwargs) -> dict:
    result = engine.rank(engine.build(rows), need, limit=None, **kwargs)
    return {(s.kind, s.id): s.score for s in result.suggestions}


@SETTINGS
@given(data=st.data(), need=needs, w=weights)
def test_adding_a_shared_interest_never_lowers_the_score(data, need, w):
    row = data.draw(candidates())
    interest = data.draw(st.sampled_from(sorted(row.interests | {Interest.MUSIC.value})))
    row = dataclasses.replace(row, interests=row.interests | {interest})
    before = scores([row], need, weights=w)
    after = scores([row], dataclasses.replace(need, interests=need.interests | {interest}), weights=w)
    assert set(before) == set(after)
    for key, score in before.items():
        assert after[key] >= score - 1e-9


@SETTINGS
@given(rows=catalogues(), need=needs, data=st.data())
def test_a_hard_need_always_excludes(rows, need, data):
    live = data.draw(lives(rows))
    result = engine.rank(engine.build(rows), need, live=live, limit=None)
    by_id = {c.id: c for c in rows}
    for suggestion in result.suggestions:
        c = by_id[suggestion.activity_id]
        if "wheelchair" in need.barriers:
            assert c.wheelchair or c.online
        if need.free_only:
            assert c.cost_type == "free"
        assert not c.languages or c.languages & need.spoken
        assert c.capacity is None or c.capacity - live.taken.get(c.id, 0) > 0


@SETTINGS
@given(rows=catalogues(), need=needs, w=weights, factor=st.sampled_from(sorted(matching_weights.FACTORS)),
       other=needs)
def test_weight_zero_makes_a_factor_irrelevant(rows, need, w, factor, other):
    """With the factor's weight 0, changing only what that factor reads changes no score."""
    w = {**w, factor: 0.0}
    changed = {
        "interests": dataclasses.replace(need, interests=other.interests),
        "distance": dataclasses.replace(need, point=other.point, buurt_id=other.buurt_id, wijk_id=other.wijk_id,
                                        online_ok=other.online_ok),
        "schedule": dataclasses.replace(need, availability=other.availability),
        "target_group": dataclasses.replace(need, age=other.age),
        "loneliness_kind": dataclasses.replace(need, loneliness_kinds=other.loneliness_kinds),
    }.get(factor)
    if factor == "local_evidence":  # read from the live counts: change those
        live_a = Live({}, {c.id: 0 for c in rows}, {})
        live_b = Live({}, {c.id: 30 for c in rows}, {c.id: 7 for c in rows})
        assert scores(rows, need, weights=w, live=live_a) == pytest.approx(scores(rows, need, weights=w, live=live_b))
    elif changed is not None:  # nothing else reads these: every score stays the same
        assert scores(rows, need, weights=w) == pytest.approx(scores(rows, changed, weights=w))
    else:  # a factor of the catalogue: its values may differ, its part of each score is 0
        for s in engine.rank(engine.build(rows), need, weights=w, limit=None).suggestions:
            assert s.score == pytest.approx(sum(w[n] * s.factors[n] for n in w if n != factor), abs=1e-3)


def test_weight_zero_on_distance_leaves_the_order_to_the_rest():
    near = Candidate(id=1, title="Dichtbij", organisation_id=1, buurt_id=11, wijk_id=1, interests=frozenset())
    liked = Candidate(id=2, title="Verweg", organisation_id=1, buurt_id=99, wijk_id=9,
                      interests=frozenset({"music"}))
    need = Need(interests=frozenset({"music"}), buurt_id=11, wijk_id=1)
    only_distance = dict.fromkeys(matching_weights.FACTORS, 0.0) | {"distance": 1.0}
    assert [s.id for s in engine.rank(engine.build([near, liked]), need, weights=only_distance).suggestions] == [1, 2]
    no_distance = {**matching_weights.DEFAULT_WEIGHTS, "distance": 0.0}
    assert [s.id for s in engine.rank(engine.build([near, liked]), need, weights=no_distance).suggestions] == [2, 1]


@SETTINGS
@given(rows=catalogues(), need=needs, data=st.data(), minimum=st.integers(1, 25))
def test_evidence_below_the_cell_size_never_shows_and_does_not_change_the_rank(rows, need, data, minimum):
    live = data.draw(lives(rows))
    result = engine.rank(engine.build(rows), need, live=live, min_cell=minimum, limit=None)
    without = engine.rank(engine.build(rows), need, live=Live(live.taken, {}, {}), min_cell=minimum, limit=None)
    small = {pk for pk, n in live.went.items() if n < minimum}
    for suggestion in result.suggestions:
        if suggestion.activity_id in small:
            assert not suggestion.evidence.shown
            assert suggestion.evidence.went is None and suggestion.evidence.still is None
            assert not any(ch.isdigit() for ch in suggestion.evidence.sentence)
    scored = {(s.kind, s.id): s.score for s in result.suggestions}
    for s in without.suggestions:  # an intervention follows its best activity, which other evidence may change
        if s.activity_id in small and s.kind != "intervention":
            assert scored[(s.kind, s.id)] == pytest.approx(s.score)


@SETTINGS
@given(rows=catalogues(), need=needs, w=weights, data=st.data())
def test_the_order_is_total_and_stable(rows, need, w, data):
    shuffled = data.draw(st.permutations(rows))
    first = engine.rank(engine.build(rows), need, weights=w, limit=None).suggestions
    second = engine.rank(engine.build(shuffled), need, weights=w, limit=None).suggestions
    assert [(s.kind, s.id) for s in first] == [(s.kind, s.id) for s in second]
    keys = [(s.kind, s.id) for s in first]
    assert len(keys) == len(set(keys))
    assert all(a.score >= b.score - 1e-9 for a, b in zip(first, first[1:], strict=False))
    limit = data.draw(st.integers(1, max(1, len(first))))
    head = engine.rank(engine.build(rows), need, weights=w, limit=limit).suggestions
    assert [(s.kind, s.id) for s in head] == keys[:limit]


def test_a_suggestion_says_why_in_plain_dutch():
    tuesday = Candidate(
        id=7, title="Koffieochtend", organisation_id=1, organisation="Wijkcentrum", wijk_id=1, buurt_id=11,
        lat=52.2210, lon=5.1750, slots=frozenset({(1, "morning")}), cost_type="free", wheelchair=True,
        interests=frozenset({"conversation"}))
    saturday = Candidate(id=8, title="Zaterdagzang", organisation_id=1, wijk_id=2, buurt_id=21,
                         slots=frozenset({(5, "morning"), (5, "afternoon")}), cost_type="amount",
                         cost_amount=Decimal("3.50"), interests=frozenset({"music"}))
    need = Need(interests=frozenset({"conversation"}), availability=frozenset({(1, "morning")}),
                barriers=frozenset({"money"}), buurt_id=11, wijk_id=1, point=(5.1750, 52.2264),
                point_is_rough=False, age=80)
    live = Live({}, {7: 9}, {7: 7})
    first, second = engine.rank(engine.build([tuesday, saturday]), need, live=live, min_cell=5).suggestions
    assert first.id == 7
    assert first.sentence == ("dinsdagochtend, in de eigen buurt, 600 m, gratis, rolstoeltoegankelijk, "
                              "houdt van praten en ontmoeten; 7 van de 9 inwoners die hierheen gingen komen er nog")
    assert "alleen op zaterdag" in second.misses
    assert "kost € 3,50" in second.misses
    assert second.evidence.sentence == ""
    suppressed = engine.rank(engine.build([tuesday]), need, live=live, min_cell=10).suggestions[0]
    assert suppressed.evidence.sentence == "lokale ervaring: te weinig gegevens"


def test_interventions_and_volunteer_roles_are_suggested_too():
    applies = Candidate(id=1, title="Welzijn op Recept Zuid", organisation_id=1,
                        interventions=(InterventionRef(5, "Welzijn op Recept", "good"),))
    role = Candidate(id=2, title="Gastvrouw bij de eettafel", organisation_id=2,
                     interests=frozenset({"volunteering"}))
    result = engine.rank(engine.build([applies, role]), Need(wants_to_volunteer=True))
    kinds = {(s.kind, s.id) for s in result.suggestions}
    assert kinds == {("activity", 1), ("intervention", 5), ("volunteering", 2)}
    intervention = next(s for s in result.suggestions if s.kind == "intervention")
    assert intervention.via == "Welzijn op Recept Zuid" and intervention.activity_id == 1
    assert "Welzijn op Recept: effectief volgens goede aanwijzingen" in intervention.fits
    giver = next(s for s in result.suggestions if s.kind == "volunteering")
    assert "houdt van vrijwilligerswerk" in giver.fits


def test_weights_are_validated_with_a_dutch_message():
    from django.core.exceptions import ValidationError

    assert matching_weights.validate({"distance": "2,5"})["distance"] == 2.5
    with pytest.raises(ValidationError) as refused:
        matching_weights.validate({"distance": 11, "nonsense": 1, "cost": "veel"})
    errors = refused.value.message_dict
    assert errors["distance"] == ["Het gewicht van 'afstand (zelfde buurt, zelfde wijk, elders, online)' ligt "
                                  "tussen 0 en 10."]
    assert errors["nonsense"] == ["Onbekende factor: nonsense."]
    assert "geen getal" in errors["cost"][0]
    assert engine.weights_from({"distance": -1, "cost": float("nan"), "x": 3}) == matching_weights.DEFAULT_WEIGHTS
