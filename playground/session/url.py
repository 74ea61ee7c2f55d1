"""The URL: every setting as plain text, parsed strictly, and the classroom link.

The URL carries every setting of the Config as a plain parameter. Parsing never evaluates
anything: each parameter is matched against a small grammar and then validated by `Config`;
whatever fails falls back to its default and is reported by name. Besides the Config's fields, a
classroom link may carry `hide=<names>`: controls the page does not draw and whose settings no
route changes (settings.config.HIDEABLE, session.locks); entries are trimmed and read in any case,
and one that names no control is skipped and named in the notice. It stays in the URL for the
whole session, and `?lesson=<id>` opens a lesson (consumed on the first run). Only the functions
at the end read or write `st.query_params`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import NamedTuple
from urllib.parse import urlencode

import streamlit as st

from core import FEATURES
from playground.settings.config import DEFAULT, HIDEABLE, Config, fit_output
from playground.settings.text import markdown_literal, quoted

MAX_PARAM_LENGTH = 100
MAX_HIDE_LENGTH = 400  # every hideable name fits
MAX_UNKNOWN_SHOWN = 5  # hide= entries a notice names; the rest are counted
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


class HideParam(NamedTuple):
    """What `hide=` says: the controls it names, and the entries that name none."""

    names: tuple[str, ...]  # known controls, in HIDEABLE order
    unknown: tuple[str, ...] = ()  # entries naming no control: trimmed, as typed, first seen first
    too_long: bool = False  # longer than MAX_HIDE_LENGTH: not read, nothing hidden


def hidden_from_query(params: Mapping[str, str]) -> HideParam:
    """The controls `hide=` names. Entries are comma-separated, trimmed and matched in any case
    ("Learning_Rate , X1" hides the learning rate and x1); empty entries are skipped."""
    raw = params.get(HIDE)
    if raw is None:
        return HideParam(())
    raw = str(raw)
    if len(raw) > MAX_HIDE_LENGTH:
        return HideParam((), too_long=True)
    entries = [entry.strip() for entry in raw.split(",") if entry.strip()]
    known = {entry.lower() for entry in entries} & set(HIDEABLE)
    unknown = dict.fromkeys(entry for entry in entries if entry.lower() not in HIDEABLE)
    return HideParam(tuple(n for n in HIDEABLE if n in known), tuple(unknown))


def _read_query(params: Mapping[str, str]) -> tuple[Config, list[str], list[str], int]:
    """The Config a URL describes; the settings given a value they cannot take (in field order);
    the plain names that are no setting; and how many other names there were (never repeated,
    so link text never reaches the page)."""
    known = {f.name for f in fields(Config)}
    unknown = [str(k) for k in params if k not in known and k != HIDE]
    plain = sorted({k for k in unknown if SAFE_NAME.fullmatch(k)})
    invalid = set()
    parsed = {}
    for name in known & set(params):
        try:
            parsed[name] = _parse(name, str(params[name]))
        except ValueError:
            invalid.add(name)
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
            invalid.update(given)
            continue
        values = candidate
    order = [f.name for f in fields(Config)]
    return Config(**values), sorted(invalid, key=order.index), plain, len(unknown) - len(plain)


def config_from_query(params: Mapping[str, str]) -> tuple[Config, list[str]]:
    """The Config a URL describes, and the names of the parameters that were ignored.

    Parameters are applied one at a time in field order (output activation and loss as a pair),
    each kept only if the Config stays valid; unknown names are ignored too (names that are not
    plain words are only counted). `hide=` is not a setting: see hidden_from_query. Never raises.
    """
    config, invalid, plain, unreadable = _read_query(params)
    ignored = sorted({*invalid, *plain})
    if unreadable:
        ignored.append(f"{unreadable} unreadable parameter name{'s' if unreadable > 1 else ''}")
    return config, ignored


@dataclass(frozen=True)
class LinkReport:
    """What a link's parameters did where they did not simply apply; `notice()` says it."""

    invalid: tuple[str, ...] = ()  # settings given a value they cannot take: at their defaults
    unknown: tuple[str, ...] = ()  # plain names that are no setting: ignored
    unreadable: int = 0  # other names: ignored, only counted
    hide: HideParam = HideParam(())
    repeated: tuple[str, ...] = ()  # settings given different values: at their defaults

    def __bool__(self) -> bool:
        return bool(self.invalid or self.unknown or self.unreadable or self.hide.unknown
                    or self.hide.too_long or self.repeated)

    def notice(self) -> str:
        """One sentence per kind of parameter that did not simply apply, saying what happened
        (Markdown: parameter names are plain words in backticks, `hide=` entries escaped)."""
        parts = []
        if self.invalid:
            parts.append(_listed([f"`{n}`" for n in self.invalid]) + (
                " had an invalid value and is at its default" if len(self.invalid) == 1
                else " had invalid values and are at their defaults"))
        if self.repeated:
            parts.append(_listed([f"`{n}`" for n in self.repeated]) + (
                " was given different values and is at its default" if len(self.repeated) == 1
                else " were given different values and are at their defaults"))
        if self.unknown:
            parts.append(_listed([f"`{n}`" for n in self.unknown]) + (
                " is not a setting and was ignored" if len(self.unknown) == 1
                else " are not settings and were ignored"))
        if self.unreadable:
            parts.append(f"{self.unreadable} unreadable parameter name"
                         + (" was ignored" if self.unreadable == 1 else "s were ignored"))
        if self.hide.too_long:
            parts.append(f"`{HIDE}` is longer than {MAX_HIDE_LENGTH} characters, so no control is hidden")
        elif self.hide.unknown:
            parts.append(_hide_clause(self.hide))
        return "Not all of this link could be used: " + ". ".join(p[0].upper() + p[1:] for p in parts) + "."


def _listed(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _hide_clause(hide: HideParam) -> str:
    """The `hide=` entries that name no control, each as typed (escaped, cut short), and what
    the rest did."""
    named = [markdown_literal(quoted(entry)) for entry in hide.unknown[:MAX_UNKNOWN_SHOWN]]
    more = len(hide.unknown) - len(named)
    listed = _listed(named + ([f"{more} more"] if more else []))
    one = len(hide.unknown) == 1
    clause = f"in `{HIDE}`, {listed} {'names' if one else 'name'} no control"
    if not hide.names:
        return clause + ", so no control is hidden"
    hidden = f"the other {'one is' if len(hide.names) == 1 else f'{len(hide.names)} are'} hidden"
    return clause + f" and {'was' if one else 'were'} skipped, {hidden}"


def read_link(params: Mapping[str, str],
              repeated: tuple[str, ...] = ()) -> tuple[Config, HideParam, LinkReport]:
    """A link's Config, its `hide=`, and the report of what did not simply apply; `repeated`:
    the settings the link gave different values (see single_values), left at their defaults."""
    config, invalid, plain, unreadable = _read_query(params)
    hide = hidden_from_query(params)
    return config, hide, LinkReport(tuple(invalid), tuple(plain), unreadable, hide, tuple(repeated))


def single_values(query: Mapping[str, list[str]]) -> tuple[dict[str, str], tuple[str, ...]]:
    """One value per parameter from every value the address gives each (`?a=1&a=2`), and the
    settings given different values. A setting given two values is left out (at its default, and
    the notice says so: `?dataset=spiral&dataset=xor` opened xor silently, while the link read
    "spiral"); the same value twice is that value; `hide=` entries from every `hide=` count;
    anything else keeps its last value (ignored or reported as before)."""
    known = {f.name for f in fields(Config)}
    params, repeated = {}, []
    for name, values in query.items():
        values = [str(v) for v in values]
        if not values:
            continue
        if name == HIDE:
            params[name] = ",".join(values)
        elif name in known and len(set(values)) > 1:
            repeated.append(name)
        else:
            params[name] = values[-1]
    return params, tuple(sorted(repeated))


def classroom_url(base: str, config: Config, hide: tuple[str, ...] | list[str] = ()) -> str:
    """`base` + every setting of `config` + `hide=` (known names, in HIDEABLE order) as a URL."""
    params = config_to_query(config)
    names = [name for name in HIDEABLE if name in set(hide)]
    if names:
        params[HIDE] = ",".join(names)
    return f"{base}?{urlencode(params, safe=',')}"


# --- the address bar -----------------------------------------------------------------------------

def read() -> tuple[Config, LinkReport, tuple[str, ...]]:
    """The URL's Config, the report of what did not simply apply, and the controls it hides."""
    query = st.query_params
    params, repeated = single_values({name: query.get_all(name) for name in query.keys()})
    config, hide, report = read_link(params, repeated)
    return config, report, hide.names


def take_lesson() -> tuple[str, ...]:
    """The `lesson=` parameter's values, each once, removed from the address (the address then
    carries the lesson's settings, like any setup); () when there is none."""
    lesson_ids = tuple(dict.fromkeys(st.query_params.get_all("lesson")))
    if lesson_ids:
        del st.query_params["lesson"]
    return lesson_ids


def write(config: Config, hidden: tuple[str, ...]) -> None:
    """Write the Config (and the classroom link's hidden controls) into the URL, touching only
    parameters whose text changed."""
    wanted = config_to_query(config)
    if hidden:
        wanted[HIDE] = ",".join(hidden)
    current = st.query_params.to_dict()
    current.update({k: None for k in st.query_params.keys() if len(st.query_params.get_all(k)) > 1})
    if current != wanted:  # a parameter given twice is written once
        for key in set(current) - set(wanted):
            del st.query_params[key]
        st.query_params.update({k: v for k, v in wanted.items() if current.get(k) != v})
