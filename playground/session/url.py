"""The URL: every setting as plain text, parsed strictly, and the classroom link.

The URL carries every setting of the Config as a plain parameter. Parsing never evaluates
anything: each parameter is matched against a small grammar and then validated by `Config`;
whatever fails falls back to its default and is reported by name. Besides the Config's fields, a
classroom link may carry `hide=<names>`: controls the page does not draw (settings.config.HIDEABLE);
it stays in the URL for the whole session, and `?lesson=<id>` opens a lesson (consumed on the
first run). Only the functions at the end read or write `st.query_params`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import fields
from urllib.parse import urlencode

import streamlit as st

from core import FEATURES
from playground.settings.config import DEFAULT, HIDEABLE, Config, fit_output

MAX_PARAM_LENGTH = 100
MAX_HIDE_LENGTH = 400  # every hideable name fits
HIDE = "hide"
SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,40}")  # parameter names the notice may repeat
_INT = re.compile(r"\d{1,6}")
_FLOAT = re.compile(r"\d{1,6}(\.\d{1,8})?(e-?\d{1,2})?", re.IGNORECASE)
_NAME = re.compile(r"[a-z0-9_()^*]{1,20}", re.IGNORECASE)
_NAME_LIST = re.compile(r"[a-z0-9_]{1,20}(,[a-z0-9_]{1,20}){0,15}", re.IGNORECASE)  # per-layer activations
_BOOLS = {"1": True, "true": True, "0": False, "false": False}
_GROUPS = (("output_activation", "loss"),)  # parameters that are only valid together


# --- URL <-> Config (pure) ----------------------------------------------------------------------

def _format(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value) if value else "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def config_to_query(config: Config) -> dict[str, str]:
    """Every setting as a URL parameter: field name -> text."""
    return {name: _format(value) for name, value in config.to_dict().items()}


def _parse(name: str, raw: str):
    """The typed value of one parameter; ValueError when it does not match its grammar."""
    default = getattr(DEFAULT, name)
    if len(raw) > MAX_PARAM_LENGTH:
        raise ValueError("too long")
    if isinstance(default, bool):
        if raw.lower() not in _BOOLS:
            raise ValueError("not a boolean")
        return _BOOLS[raw.lower()]
    if isinstance(default, int):
        if not _INT.fullmatch(raw):
            raise ValueError("not an integer")
        return int(raw)
    if isinstance(default, float):
        if not _FLOAT.fullmatch(raw) or not math.isfinite(float(raw)):
            raise ValueError("not a number")
        return float(raw)
    if isinstance(default, tuple):
        items = [] if raw in ("", "none") else raw.split(",")
        if isinstance(default[0], int):
            if not all(_INT.fullmatch(i) for i in items):
                raise ValueError("not a list of integers")
            return tuple(int(i) for i in items)
        if not all(_NAME.fullmatch(i) for i in items):
            raise ValueError("not a list of names")
        return tuple(sorted(items, key=lambda f: FEATURES.index(f) if f in FEATURES else -1))
    if not (_NAME_LIST if name == "activation" else _NAME).fullmatch(raw):
        raise ValueError("not a name")
    return raw


def hidden_from_query(params: Mapping[str, str]) -> tuple[tuple[str, ...], bool]:
    """The controls `hide=` names (known names only, in HIDEABLE order) and whether anything in
    it was ignored (an unknown or malformed name, or a parameter too long to read)."""
    raw = params.get(HIDE)
    if raw is None:
        return (), False
    raw = str(raw)
    if len(raw) > MAX_HIDE_LENGTH:
        return (), True
    names = set(raw.split(",")) - {""}
    return tuple(n for n in HIDEABLE if n in names), not names <= set(HIDEABLE)


def config_from_query(params: Mapping[str, str]) -> tuple[Config, list[str]]:
    """The Config a URL describes, and the names of the parameters that were ignored.

    Parameters are applied one at a time in field order (output activation and loss as a pair),
    each kept only if the Config stays valid; unknown names are ignored too (names that are not
    plain words are only counted, so link text never reaches the page). Never raises.
    """
    known = {f.name for f in fields(Config)}
    unknown = [str(k) for k in params if k not in known and k != HIDE]
    ignored = [k for k in unknown if SAFE_NAME.fullmatch(k)]  # others never reach the page
    unreadable = len(unknown) - len(ignored)
    parsed = {}
    for name in known & set(params):
        try:
            parsed[name] = _parse(name, str(params[name]))
        except ValueError:
            ignored.append(name)
    values = DEFAULT.to_dict()
    grouped = {n: group for group in _GROUPS for n in group}
    for f in fields(Config):
        group = grouped.get(f.name, (f.name,))
        given = [n for n in group if n in parsed]
        if f.name != group[0] or not given:
            continue
        candidate = {**values, **{n: parsed[n] for n in given}}
        if f.name == "dataset":
            candidate = fit_output(candidate)
        try:
            Config(**candidate)
        except (ValueError, TypeError):
            ignored.extend(given)
            continue
        values = candidate
    if hidden_from_query(params)[1]:
        ignored.append(HIDE)
    ignored = sorted(set(ignored))
    if unreadable:
        ignored.append(f"{unreadable} unreadable parameter name{'s' if unreadable > 1 else ''}")
    return Config(**values), ignored


def classroom_url(base: str, config: Config, hide: tuple[str, ...] | list[str] = ()) -> str:
    """`base` + every setting of `config` + `hide=` (known names, in HIDEABLE order) as a URL."""
    params = config_to_query(config)
    names = [name for name in HIDEABLE if name in set(hide)]
    if names:
        params[HIDE] = ",".join(names)
    return f"{base}?{urlencode(params, safe=',')}"


# --- the address bar -----------------------------------------------------------------------------

def read() -> tuple[Config, list[str], tuple[str, ...]]:
    """The URL's Config, the names of its ignored parameters and the controls it hides."""
    params = st.query_params.to_dict()
    config, ignored = config_from_query(params)
    return config, ignored, hidden_from_query(params)[0]


def take_lesson() -> str | None:
    """The `lesson=` parameter, removed from the address (the address then carries the lesson's
    settings, like any setup); None when there is none."""
    lesson_id = st.query_params.get("lesson")
    if lesson_id is not None:
        del st.query_params["lesson"]
    return lesson_id


def write(config: Config, hidden: tuple[str, ...]) -> None:
    """Write the Config (and the classroom link's hidden controls) into the URL, touching only
    parameters whose text changed."""
    wanted = config_to_query(config)
    if hidden:
        wanted[HIDE] = ",".join(hidden)
    current = st.query_params.to_dict()
    if current != wanted:
        for key in set(current) - set(wanted):
            del st.query_params[key]
        st.query_params.update({k: v for k, v in wanted.items() if current.get(k) != v})
