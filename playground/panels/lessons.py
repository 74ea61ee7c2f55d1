"""The lesson picker: one click sets every control; the prompt says what to try and notice."""

from __future__ import annotations

import streamlit as st

from playground.session import data, keys
from playground.settings.lessons import LESSONS, LESSONS_BY_ID


def _title(lesson_id: str | None) -> str:
    if lesson_id is None:
        return "Choose a lesson…"
    lesson = LESSONS_BY_ID[lesson_id]
    return f"{LESSONS.index(lesson) + 1} · {lesson.label}"


def render() -> None:
    """A lesson picker; choosing one sets every control and starts training over. Under a
    classroom link it offers only the lessons that keep the link's locked settings."""
    offered = data.lessons_offered()
    st.selectbox("Lesson", [None, *offered], key=keys.LESSON.name, on_change=data.apply_lesson,
                 format_func=_title)
    if len(offered) < len(LESSONS_BY_ID):
        st.caption("Only the lessons that keep the settings this classroom link fixes are listed.")
    lesson = LESSONS_BY_ID.get(data.lesson())
    if lesson:
        st.markdown(f"**{lesson.title}**")
        st.markdown(lesson.prompt)
        st.caption(f"Share this lesson: add `?lesson={lesson.id}` to the app's address (the "
                   "address bar also carries every setting as you change them).")
