"""The names bot/core, bot/channels and messages still import from `storage.repo`.

The queries live in modules named after their question (`people`, `identity`, `invitations`, `audit`,
`channel_traffic`); everything else imports them from there. This module goes once those packages do
(they are being reworked in issue 14)."""

from __future__ import annotations

from storage.audit import FAILED_CODE, audit, failed_codes
from storage.channel_traffic import count_sent, first_delivery, sent_in_month
from storage.identity import Identity, LatestUpdates, identity
from storage.invitations import claim_invitation, invitation_by_hash, pending_invitations
from storage.people import (
    Membership,
    OfficialView,
    accounts_of,
    active_officials,
    duties_for_unit,
    ensure_person,
    official_counts,
    set_channel,
    set_locale,
    units,
)

__all__ = [
    "FAILED_CODE",
    "Identity",
    "LatestUpdates",
    "Membership",
    "OfficialView",
    "accounts_of",
    "active_officials",
    "audit",
    "claim_invitation",
    "count_sent",
    "duties_for_unit",
    "ensure_person",
    "failed_codes",
    "first_delivery",
    "identity",
    "invitation_by_hash",
    "official_counts",
    "pending_invitations",
    "sent_in_month",
    "set_channel",
    "set_locale",
    "units",
]
