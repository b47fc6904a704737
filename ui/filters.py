"""Pickers bound to the URL (``st.query_params``), so a copied link reproduces the view.

Every URL-bound picker of the app goes through :func:`url_selectbox` or :func:`url_multiselect`.
They follow one rule, which is what makes every choice count:

* the widget is keyed (``ui/state.py``) and its value lives in session state; it is set from
  the link only when the link changed since the picker last saw it (a first visit, a link
  opened, a headline tile that rewrote the query string) — never on every rerun;
* a user's pick is written to the link, and remembered as what the picker last saw.

Rebuilding the widget from the query parameter on each rerun (``index=`` computed from the
URL) gave a new widget identity after every pick, so every second choice was dropped.

A link's value is checked against the allowed choices (and parsed by ``parse`` when given); an
unusable value falls back to the default with a warning that names the parameter and quotes
the link's text literally (never as markup).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence

import streamlit as st

from core.errors import CoreError
from ui import state

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]{}()#+!|~$])")


def literal(text: str, limit: int = 200) -> str:
    """``text`` (from a link or a user) made safe to show inside Markdown: shortened, markup
    characters escaped, angle brackets replaced so no tag survives even as text."""
    short = text if len(text) <= limit else text[:limit] + "…"
    return _MARKDOWN_SPECIALS.sub(r"\\\1", short).replace("<", "‹").replace(">", "›")


def _seen() -> dict[str, object]:
    return st.session_state.setdefault(state.URL_SEEN, {})


def _from_link(param: str, raw: str | None, options: Sequence, default,
               parse: Callable[[str], Hashable] | None) -> tuple[object, str | None]:
    """The value a link asks for (``default`` when absent or unusable) and what was wrong."""
    if raw is None:
        return default, None
    if parse is None:
        by_text = {str(option): option for option in options}
        if raw in by_text:
            return by_text[raw], None
        return default, f"`{literal(raw, 40)}` is not one of the choices."
    try:
        value = parse(raw)
    except (CoreError, ValueError) as error:
        return default, str(error)
    if value not in options:
        return default, f"`{literal(raw, 40)}` is not one of the choices."
    return value, None


def _warn(param: str, problem: str, fallback: str | None) -> None:
    shown = f" Showing {fallback} instead." if fallback else ""
    st.warning(f"The link's `{param}` value could not be used: {literal(problem)}{shown}", icon=":material/link_off:")


def url_selectbox(label: str, param: str, options: Sequence, *, key: str, default=None,
                  parse: Callable[[str], Hashable] | None = None, format_func: Callable = str,
                  placeholder: str | None = None, help: str | None = None, where=None,
                  fallback_label: str | None = None, on_bad_link=...):
    """A select box whose choice lives in the URL as ``?param=str(value)``; returns the value.

    ``default`` is shown when the link has no value and is not written to the link; a link
    whose value is unusable shows ``on_bad_link`` (default: ``default``) under a warning.
    ``None`` with ``None`` not among ``options`` means "nothing chosen yet" (the placeholder).
    ``parse`` turns the link's text into an option (raise ``CoreError`` with the reason);
    without it the link must equal ``str(option)``. ``where`` is the container to draw in.
    """
    options = list(options)
    raw = st.query_params.get(param)
    fallback = default if on_bad_link is ... else on_bad_link
    value, problem = _from_link(param, raw, options, fallback, parse)
    if raw is None:
        value = default
    seen = _seen()
    if key not in st.session_state or seen.get(key) != raw:
        st.session_state[key] = value
        seen[key] = raw
    elif st.session_state[key] not in options and st.session_state[key] is not None:
        st.session_state[key] = value  # the choices changed under the widget (an import, a deletion)
    if problem:
        _warn(param, problem, fallback_label or (None if fallback is None else format_func(fallback)))
    if placeholder is None and None in options:
        # Streamlit shows a None value as "no choice" (its placeholder), even when None is an
        # option: say what None means ("Any") rather than "Choose an option"
        placeholder = format_func(None)
    picked = (where or st).selectbox(label, options, key=key, format_func=format_func,
                                     placeholder=placeholder, help=help)
    if picked != value:  # the user chose something other than what the link says
        text = None if picked is None else str(picked)
        if text is None:
            st.query_params.pop(param, None)
        else:
            st.query_params[param] = text
        seen[key] = text
    return picked


def _link_values(param: str) -> tuple[str, ...]:
    """A repeated (``?bu=A&bu=B``) or comma-separated (``?bu=A,B``) parameter's values."""
    return tuple(part for value in st.query_params.get_all(param) for part in value.split(",") if part)


def url_multiselect(label: str, param: str, options: Sequence[str], *, key: str, format_func: Callable = str,
                    help: str | None = None, where=None) -> list[str]:
    """A multiselect whose choices live in the URL as a repeated ``?param=``; none chosen = all."""
    options = list(options)
    raw = _link_values(param)
    wanted = [value for value in raw if value in options]
    unknown = [value for value in raw if value not in options]
    seen = _seen()
    if key not in st.session_state or seen.get(key) != raw:
        st.session_state[key] = wanted
        seen[key] = raw
    else:
        st.session_state[key] = [value for value in st.session_state[key] if value in options]
    if unknown:
        _warn(param, f"{', '.join(f'`{literal(v, 30)}`' for v in unknown[:5])} not among the choices.",
              "the rest of the link")
    chosen = (where or st).multiselect(label, options, key=key, format_func=format_func, help=help,
                                       placeholder="All")
    if chosen != wanted:
        if chosen:
            st.query_params[param] = chosen
        else:
            st.query_params.pop(param, None)
        seen[key] = tuple(chosen)
    return chosen


def url_value(param: str, options: Sequence[str]) -> str | None:
    """One read-only choice from the link (no widget: e.g. the Portfolio's verdict filter, set
    by a headline tile), ``None`` when absent; an unknown value is dropped with a warning."""
    raw = st.query_params.get(param)
    if raw is None:
        return None
    if raw in options:
        return raw
    _warn(param, f"`{literal(raw, 40)}` is not one of: {', '.join(options)}.", "every row")
    return None
