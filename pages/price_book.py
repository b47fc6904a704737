"""Price Book (finance, admin): the model prices that price usage rows without a cost, re-pricing
usage from a date once a price changed (before/after first, then one audited transaction), and
the hardware profiles the lab prices candidates on. Core checks every cell and the role."""

import datetime as dt

import streamlit as st

from core.errors import CoreError
from core.finance import price_book
from core.lab import hardware
from ui import state
from ui.auth import require_actor
from ui.empty import import_link
from ui.formatting import count, money, plural
from ui.store import get_store
from ui.table_editor import table_editor

actor = require_actor()
store = get_store()

st.title("Price book")
st.caption("What a usage row without a cost is charged at, and what the lab's hardware costs. Saving a price "
           "changes no cost already in the store: re-price usage to apply it.")
if message := st.session_state.pop(state.PRICES_DONE, None):
    st.success(message)
# bound to ?tab=, so a save's rerun (and a shared link) lands on the tab it came from
prices_tab, reprice_tab, hardware_tab = st.tabs(["Model prices", "Re-price usage", "Hardware profiles"],
                                                key=state.PRICES_TAB, bind="query-params")


def save_prices(rows: list[dict], shown: list[dict]):
    changes = price_book.save_prices(store, actor, rows, shown=shown)
    if changes and (start := price_book.earliest_change(changes)) is not None:
        st.session_state[state.REPRICE_FROM] = start
        st.session_state.pop(state.REPRICE_PREVIEW, None)
    return changes


def describe_prices(changes) -> str:
    start = price_book.earliest_change(changes)
    return (f"Saved the price book: {'; '.join(changes.describe(price_book.price_key))}. Costs already in the store "
            f"are unchanged; to apply the new prices, preview a re-price from {start} on the Re-price usage tab.")


with prices_tab:
    held = price_book.list_prices(store)
    if not held:
        st.info("No prices yet: a usage row without cost_usd is refused until its model has a price valid at the "
                "row's date. Add prices below, or import a price file.", icon=":material/inbox:")
        import_link(actor, "prices")
    st.caption("One row per model and the date its price takes effect; a usage row is priced with its model's price "
               "valid on the row's own date. USD per 1M tokens; cached input and per-request prices are optional.")
    table_editor(
        load=lambda: price_book.list_prices(store), shown_key=state.PRICES_SHOWN, editor_key=state.PRICES_EDITOR,
        columns=[*(c.name for c in price_book.COLUMNS), "source"], disabled=("source",),
        column_config={
            "model": st.column_config.TextColumn("Model", required=True, max_chars=120),
            "provider": st.column_config.TextColumn("Provider", required=True, max_chars=120),
            "valid_from": st.column_config.DateColumn("Valid from", required=True, format="YYYY-MM-DD"),
            "input_usd_per_1m": st.column_config.NumberColumn("Input $ / 1M", min_value=0.0, format="%.4f",
                                                              step=0.000001, required=True),
            "output_usd_per_1m": st.column_config.NumberColumn("Output $ / 1M", min_value=0.0, format="%.4f",
                                                               step=0.000001, required=True),
            "cached_input_usd_per_1m": st.column_config.NumberColumn(
                "Cached input $ / 1M", min_value=0.0, format="%.4f", step=0.000001,
                help="Blank: cached input tokens are charged at the input price."),
            "usd_per_request": st.column_config.NumberColumn("$ per request", min_value=0.0, format="%.6f",
                                                             step=0.00000001, help="Blank: no charge per call."),
            "source": st.column_config.TextColumn("Source", help="The import or the person that set this price."),
        },
        save=save_prices, done_key=state.PRICES_DONE, describe=describe_prices)

with reprice_tab:
    st.caption("Re-pricing rewrites the cost of every usage row the price book priced, on or after the date, with "
               "the price valid on the row's own date in today's book, and updates the monthly totals every page "
               "reads. Rows whose file gave a cost are never rewritten. You see the totals before anything changes.")
    newest = max((row["valid_from"] for row in held), default=dt.date.today().replace(day=1))
    chosen = st.columns([1, 3])[0].date_input("Re-price usage from", value=st.session_state.get(state.REPRICE_FROM, newest),
                           format="YYYY-MM-DD", help="UTC date; usage before it keeps its cost.")
    if st.button("Preview re-pricing", key="prices.preview"):
        try:
            st.session_state[state.REPRICE_PREVIEW] = price_book.preview_repricing(store, chosen)
        except CoreError as error:
            st.error(str(error))
    preview = st.session_state.get(state.REPRICE_PREVIEW)
    if preview is not None and preview.from_date == chosen:
        if not preview.rows:
            st.info(f"No usage row from {chosen} was priced by the price book: "
                    f"{plural(preview.file_priced_rows, 'row')} since then came with their own cost and stay as "
                    "imported. Nothing to re-price.")
        else:
            after = preview.after_usd
            tiles = st.columns(4)
            tiles[0].metric("Rows to re-price", count(preview.rows), border=True,
                            help="Usage rows on or after the date whose cost came from the price book.")
            tiles[1].metric("Cost now", money(float(preview.before_usd)), border=True)
            tiles[2].metric("Cost after", money(None if after is None else float(after)), border=True,
                            help="With the price valid on each row's date in today's price book.")
            tiles[3].metric("Change", money(None if after is None else float(after - preview.before_usd)),
                            border=True)
            st.dataframe([{"Model": m.model, "Rows": m.rows, "Cost now": float(m.before_usd),
                           "Cost after": None if m.after_usd is None else float(m.after_usd),
                           "No price from": m.first_unpriced} for m in preview.by_model],
                         hide_index=True, width="stretch", column_config={
                             "Rows": st.column_config.NumberColumn(format="localized"),
                             "Cost now": st.column_config.NumberColumn(format="dollar"),
                             "Cost after": st.column_config.NumberColumn(format="dollar")})
            st.caption(f"{plural(preview.file_priced_rows, 'row')} from {chosen} came with their own cost and stay "
                       "as imported.")
            if preview.unpriced:
                st.error("Some rows would have no price: add a price for "
                         + "; ".join(f"{m.model} valid from {m.first_unpriced} or earlier" for m in preview.unpriced)
                         + " on the Model prices tab, then preview again.")
            elif st.button(f"Re-price {plural(preview.rows, 'row')} from {chosen}", type="primary",
                           key="prices.apply"):
                try:
                    applied = price_book.reprice_from(store, actor, chosen, expected_rows=preview.rows,
                                                      expected_before_usd=preview.before_usd)
                except CoreError as error:
                    st.error(str(error))
                else:
                    st.session_state.pop(state.REPRICE_PREVIEW, None)
                    st.session_state[state.PRICES_DONE] = (
                        f"Re-priced {plural(applied.rows, 'usage row')} from {chosen}: "
                        f"{money(float(applied.before_usd))} → {money(float(applied.after_usd))}. "
                        "Every page now reads the new costs; the audit log holds the totals.")
                    st.rerun()

with hardware_tab:
    own = hardware.list_profiles(store)
    if not own:
        st.info("No hardware profiles of your own yet: the lab prices candidates on the standard profiles shown "
                "below. Edit them and save to make them yours.", icon=":material/inbox:")
    st.caption("Where a model could run and what that machine costs. Price per hour (on-demand, or the purchase "
               "price amortised per hour for edge), cores, power, the share of paid hours spent serving, and the "
               "serving overhead per request and per month. Lab runs already made keep the prices they used.")
    table_editor(
        load=lambda: hardware.list_profiles(store), shown_key=state.PROFILES_SHOWN, editor_key=state.PROFILES_EDITOR,
        columns=[c.name for c in hardware.COLUMNS], starting_rows=hardware.standard_profiles(),
        column_config={
            "name": st.column_config.TextColumn("Name", required=True, max_chars=60),
            "location": st.column_config.SelectboxColumn("Location", options=["cloud", "edge"], required=True),
            "price_per_hour_usd": st.column_config.NumberColumn("$ per hour", min_value=0.0, format="%.4f",
                                                                required=True),
            "cores": st.column_config.NumberColumn("Cores", min_value=1, step=1, required=True),
            "accelerator": st.column_config.TextColumn("Accelerator", max_chars=60),
            "watts": st.column_config.NumberColumn("Watts", min_value=0.0, required=True),
            "target_utilisation": st.column_config.NumberColumn("Utilisation", min_value=0.01, max_value=1.0,
                                                                format="%.2f", required=True,
                                                                help="Share of paid hours spent serving (0–1]."),
            "overhead_per_request_usd": st.column_config.NumberColumn("Overhead $ / request", min_value=0.0,
                                                                      format="%g", required=True,
                                                                      help="Gateway, load balancer, logs."),
            "overhead_per_month_usd": st.column_config.NumberColumn("Overhead $ / month", min_value=0.0,
                                                                    format="%.2f", required=True),
            "description": st.column_config.TextColumn("Description", max_chars=300),
        },
        save=lambda rows, shown: hardware.save_profiles(store, actor, rows, shown=shown), done_key=state.PRICES_DONE,
        describe=lambda changes: f"Saved the hardware profiles: {'; '.join(changes.describe(hardware.profile_key))}.")
