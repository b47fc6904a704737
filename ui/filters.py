"""Pickers bound to the URL (``st.query_params``), so a copied link reproduces the view.

Every URL-bound picker of the app goes through :func:`url_selectbox` or :func:`url_multiselect`,
every URL-bound number or switch through :func:`url_number` or :func:`url_toggle`.
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
                  fallback_label: str | None = None, on_bad_link=..., clears: Sequence[str] = ()):
    """A select box whose choice lives in the URL as ``?param=str(value)``; returns the value.

    ``default`` is shown when the link has no value and is not written to the link; a link
    whose value is unusable shows ``on_bad_link`` (default: ``default``) under a warning.
    ``None`` with ``None`` not among ``options`` means "nothing chosen yet" (the placeholder).
    ``parse`` turns the link's text into an option (raise ``CoreError`` with the reason);
    without it the link must equal ``str(option)``. ``where`` is the container to draw in.
    ``clears`` names parameters a pick makes stale (loading a saved scenario resets the knobs
    it sets): they leave the link with the same change, one history entry.
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
        if clears:
            kept = {name: st.query_params.get_all(name) for name in st.query_params if name not in (param, *clears)}
            st.query_params.from_dict({**kept, **({} if text is None else {param: text})})
        elif text is None:
            st.query_params.pop(param, None)
        else:
            st.query_params[param] = text
        seen[key] = text
    return picked


def _url_widget(draw: Callable, label: str, param: str, *, key: str, default, parse: Callable[[str], object],
                text: Callable[[object], str], **widget_args):
    """The one rule for a keyed value widget (slider, number input, toggle) bound to ``?param=``.

    What the link means is its text, or the default when the parameter is absent or unusable;
    the widget is set from it only when that meaning changed since the widget last saw it (so a
    default that moves — a saved scenario loaded — moves the widget too)."""
    raw = st.query_params.get(param)
    value, problem = default, None
    if raw is not None:
        try:
            value = parse(raw)
        except ValueError as error:
            problem = str(error)
    meaning = raw if raw is not None and problem is None else ("default", default)
    seen = _seen()
    if key not in st.session_state or seen.get(key) != meaning:
        st.session_state[key] = value
        seen[key] = meaning
    if problem:
        _warn(param, problem, text(default))
    picked = draw(label, key=key, **widget_args)
    if picked != value:  # the user moved it away from what the link says
        st.query_params[param] = seen[key] = text(picked)
    return picked


def url_number(draw: Callable, label: str, param: str, *, key: str, default: float, min_value: float,
               max_value: float, **widget_args) -> float:
    """A number widget (``draw`` = ``st.slider`` / ``st.number_input`` or a column's) whose value
    lives in the URL as ``?param=NUMBER``; returns the value. Integer bounds make an integer
    widget (link ``?price=-90``), float bounds a float one (``?rate=7.5``). A link outside the
    bounds, or not a number, falls back to ``default`` with a warning that gives the range."""
    cast = int if all(isinstance(v, int) for v in (default, min_value, max_value)) else float

    def parse(raw: str):
        try:
            number = float(raw)
        except ValueError:
            raise ValueError(f"`{literal(raw, 40)}` is not a number.") from None
        if not min_value <= number <= max_value or (cast is int and not number.is_integer()):
            kind = "a whole number" if cast is int else "a number"
            raise ValueError(f"`{literal(raw, 40)}` is not {kind} between {min_value:g} and {max_value:g}.")
        return cast(number)

    return _url_widget(draw, label, param, key=key, default=cast(default), parse=parse, text=lambda v: f"{v:g}",
                       min_value=min_value, max_value=max_value, **widget_args)


def url_choice(draw: Callable, label: str, param: str, options: Sequence[str], *, key: str, default: str,
               **widget_args) -> str:
    """A one-of-several widget (``draw`` = ``st.radio`` or a column's) whose choice lives in the
    URL as ``?param=OPTION``: how another page links here with a choice made (the empty
    states' "Import initiatives" opens the Imports page on that kind). A value not among
    ``options`` falls back to ``default`` with a warning naming the choices."""
    options = list(options)

    def parse(raw: str) -> str:
        if raw not in options:
            raise ValueError(f"`{literal(raw, 40)}` is not one of {', '.join(options)}.")
        return raw

    return _url_widget(draw, label, param, key=key, default=default, parse=parse, text=str,
                       options=options, **widget_args)


_ON, _OFF = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def url_toggle(draw: Callable, label: str, param: str, *, key: str, default: bool = False, **widget_args) -> bool:
    """A switch (``draw`` = ``st.toggle`` / ``st.checkbox`` or a column's) whose state lives in
    the URL as ``?param=1`` or ``?param=0`` (also true/false, yes/no, on/off)."""

    def parse(raw: str) -> bool:
        if raw.lower() in _ON + _OFF:
            return raw.lower() in _ON
        raise ValueError(f"`{literal(raw, 40)}` is not one of 1, 0 (on, off).")

    return _url_widget(draw, label, param, key=key, default=bool(default), parse=parse,
                       text=lambda v: "1" if v else "0", **widget_args)


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
