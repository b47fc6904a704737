"""Business units: admins edit the name and head (checked and audited in core); anyone else is refused."""

from __future__ import annotations

import json

import pytest

from core.errors import NotFoundError, PermissionDenied, ValidationError
from core.portfolio.business_units import list_business_units, update_business_unit
from tests.conftest import ACTORS, ADMIN


def test_new_units_have_no_head(tiny_store):
    assert list_business_units(tiny_store) == [{"code": "OPS", "name": "Operations", "head": None},
                                               {"code": "RETAIL", "name": "Retail", "head": None}]


def test_an_admin_sets_name_and_head_and_the_audit_event_holds_old_and_new(tiny_store):
    assert update_business_unit(tiny_store, ADMIN, "OPS", name="  Operations & Risk ", head="Grace Hopper")
    assert list_business_units(tiny_store)[0] == {"code": "OPS", "name": "Operations & Risk", "head": "Grace Hopper"}
    actor, action, detail = tiny_store.one(
        "SELECT actor, action, detail FROM audit_event WHERE target = 'OPS' ORDER BY id DESC LIMIT 1")
    assert (actor, action) == ("ada", "business_unit.update")
    assert json.loads(detail) == {"from": {"name": "Operations", "head": None},
                                  "to": {"name": "Operations & Risk", "head": "Grace Hopper"}}


def test_a_blank_head_means_nobody_and_an_unchanged_unit_writes_nothing(tiny_store):
    update_business_unit(tiny_store, ADMIN, "OPS", name="Operations", head="Grace")
    update_business_unit(tiny_store, ADMIN, "OPS", name="Operations", head="   ")
    assert list_business_units(tiny_store)[0]["head"] is None
    revision = tiny_store.revision
    assert not update_business_unit(tiny_store, ADMIN, "OPS", name="Operations", head="")
    assert tiny_store.revision == revision


@pytest.mark.parametrize("role", ["viewer", "finance", "team_lead"])
def test_only_admins_edit_business_units(tiny_store, role):
    revision = tiny_store.revision
    with pytest.raises(PermissionDenied, match="edit business units"):
        update_business_unit(tiny_store, ACTORS[role], "RETAIL", name="Mine now", head="Me")
    assert tiny_store.revision == revision
    assert list_business_units(tiny_store)[1]["name"] == "Retail"


@pytest.mark.parametrize("code, name, head, error, words", [
    ("NOPE", "X", None, NotFoundError, "No business unit with code 'NOPE'; known units: OPS, RETAIL"),
    ("OPS", "  ", None, ValidationError, "Business unit OPS: the name is empty"),
    ("OPS", "x" * 121, None, ValidationError, "the name has 121 characters; shorten it to at most 120"),
    ("OPS", "Operations", "y" * 121, ValidationError, "the head has 121 characters; shorten it to at most 120"),
])
def test_bad_values_are_refused_with_a_message_and_nothing_is_written(tiny_store, code, name, head, error, words):
    revision = tiny_store.revision
    with pytest.raises(error, match=words):
        update_business_unit(tiny_store, ADMIN, code, name=name, head=head)
    assert tiny_store.revision == revision
