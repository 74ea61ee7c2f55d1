"""`hide=` itself (issue 12, item 6): entries are trimmed and read in any case; an entry that
names no control is named in the notice exactly as typed; a parameter that partly applied is
not reported as having fallen back to its defaults."""

from __future__ import annotations

import re
from dataclasses import fields

from hypothesis import given
from hypothesis import strategies as st

from playground.session.url import hidden_from_query, single_values
from playground.settings.config import DEFAULT, HIDEABLE, Config
from tests.playground.session import app, shown

PADDING = st.sampled_from(["", " ", "  ", "\t"])


@st.composite
def typed(draw, name: str) -> str:
    """`name` as a teacher might type it: any letter in either case, spaces around it."""
    cases = draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    word = "".join(c.upper() if up else c for c, up in zip(name, cases, strict=True))
    return draw(PADDING) + word + draw(PADDING)


@given(st.lists(st.sampled_from(HIDEABLE), min_size=1, max_size=10).flatmap(
    lambda names: st.tuples(st.just(names), st.tuples(*[typed(n) for n in names]))))
def test_entries_are_trimmed_and_read_in_any_case(case):
    names, entries = case
    hide = hidden_from_query({"hide": ",".join(entries)})
    assert set(hide.names) == set(names) and hide.unknown == () and not hide.too_long


def markdown_shown(text: str) -> str:
    """What st.markdown shows of `text` (a backslash before punctuation shows the mark itself)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def widget_keys(at) -> set[str]:
    return {w.key for w in (*at.sidebar.selectbox, *at.sidebar.slider)}


def test_a_link_with_mixed_case_spaces_and_a_typo_hides_what_it_names_and_names_the_typo():
    at = app(hide=" Learning_Rate , DATASET,lerning_rate ")
    assert {"w_learning_rate", "w_dataset"}.isdisjoint(widget_keys(at))
    assert [w.value for w in at.warning] == [
        "Not all of this link could be used: In `hide`, \\'lerning\\_rate\\' names no control and was "
        "skipped, the other 2 are hidden."]
    assert "fell back" not in at.warning[0].value and "default" not in at.warning[0].value


def test_unknown_entries_are_shown_exactly_as_typed_and_nothing_renders_as_markup():
    at = app(hide="**bold**,<b>x</b>")
    (notice,) = [w.value for w in at.warning]
    assert markdown_shown(notice) == ("Not all of this link could be used: In `hide`, '**bold**' and "
                                      "'<b>x</b>' name no control, so no control is hidden.")
    assert {"w_learning_rate", "w_dataset"} <= widget_keys(at)


def test_a_partly_applied_link_says_what_applied_and_what_did_not():
    at = app(hide="dataset,bogus", noise="abc", colour="red")
    (notice,) = [w.value for w in at.warning]
    assert notice == ("Not all of this link could be used: `noise` had an invalid value and is at its "
                      "default. `colour` is not a setting and was ignored. In `hide`, \\'bogus\\' names "
                      "no control and was skipped, the other one is hidden.")
    assert "w_dataset" not in widget_keys(at)
    assert at.session_state.config.noise == 0  # circle's default noise


# --- a parameter given more than once (?dataset=spiral&dataset=xor) ------------------------------

SETTING_NAMES = [f.name for f in fields(Config)]
VALUES = st.lists(st.sampled_from(["spiral", "xor", "0.1", "3", "", "x"]), min_size=1, max_size=4)


@given(st.dictionaries(st.sampled_from([*SETTING_NAMES[:6], "hide", "bogus"]), VALUES, max_size=6))
def test_every_parameter_gets_one_value_and_a_setting_given_two_is_named(query):
    params, repeated = single_values(query)
    for name, values in query.items():
        if name == "hide":
            assert params[name] == ",".join(values)  # every hide= counts
        elif name in SETTING_NAMES and len(set(values)) > 1:
            assert name in repeated and name not in params
        else:
            assert params[name] == values[-1] and name not in repeated


def test_a_setting_given_two_values_is_at_its_default_and_the_notice_says_so():
    """Regression (a fresh student's run): ?dataset=spiral&dataset=xor opened xor without a word,
    and the address kept both: a shared link reading "spiral" showed xor."""
    at = app(dataset=["spiral", "xor"], noise=["10", "10"], hide=["dataset", "seed"])
    assert not at.exception
    assert at.session_state.config.dataset == DEFAULT.dataset and at.session_state.config.noise == 10
    notice = shown(at.warning[0].value)
    assert "dataset was given different values and is at its default" in notice
    assert at.query_params["dataset"] == DEFAULT.dataset  # written once
    assert at.query_params["hide"] == "dataset,seed"
