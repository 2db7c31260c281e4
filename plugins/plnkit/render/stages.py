"""The four PLN stages by name, as cards and the Start here path show them."""

from __future__ import annotations

from plnkit.render.i18n import N_

STAGE_NAMES = {
    "consumption": N_("Consumption"), "connection": N_("Connection"),
    "creation": N_("Creation"), "contribution": N_("Contribution"),
}  # fmt: skip
