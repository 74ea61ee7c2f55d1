"""The lesson picker: one click sets every control; the prompt says what to try and notice.

The sidebar starts with "Start here" (the article's own model, `START_HERE`), then the lesson
box: the article's three lessons first, then the classroom's.
"""

from __future__ import annotations

import streamlit as st

from playground.session import data, keys
from playground.settings.lessons import LESSONS, LESSONS_BY_ID, START_HERE

START_HELP = ("Exactly the article's model: two inputs, one sigmoid neuron, the mean squared error and "
              "full-batch gradient descent, with The math open at the top of the page")


def _title(lesson_id: str | None) -> str:
    if lesson_id is None:
        return "Choose a lesson…"
    lesson = LESSONS_BY_ID[lesson_id]
    return f"{LESSONS.index(lesson) + 1} · {lesson.label}"


def start_here() -> None:
    """The "Start here" button: opens the article's lesson (The math at the top of the page);
    left out under a classroom link whose locks that lesson would break."""
    if START_HERE not in data.lessons_offered():
        return
    st.button("Start here: the article", key=keys.START_HERE.name, type="primary",
              on_click=data.choose_lesson, args=(START_HERE,), icon=":material/school:",
              width="stretch", help=START_HELP)


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
