"""Zalo's updates as the core reads them: a picture by either name its clients give its address."""

from __future__ import annotations

import pytest

from bot.channels.zalo_updates import read_update, to_incoming


def _image(**fields: str) -> dict[str, object]:
    message = {
        "from": {"id": "6ede01", "display_name": "Lan"},
        "chat": {"id": "6ede01", "chat_type": "PRIVATE"},
        "message_id": "2d75",
        "date": 1750316131602,
        **fields,
    }
    return {"event_name": "message.image.received", "message": message}


@pytest.mark.parametrize("field", ["photo_url", "photo"])
def test_a_picture_is_a_photo_attachment_with_its_caption(field: str) -> None:
    incoming = to_incoming(read_update(_image(**{field: "https://f.zalo.me/a.jpg"}, caption="Đã nộp")), {})
    assert incoming is not None
    assert incoming.attachment is not None
    assert (incoming.attachment.kind, incoming.attachment.file_id) == ("photo", "https://f.zalo.me/a.jpg")
    assert incoming.text == "Đã nộp"
    assert not incoming.has_media


def test_a_picture_without_its_address_is_media_the_bot_cannot_read() -> None:
    incoming = to_incoming(read_update(_image()), {})
    assert incoming is not None
    assert incoming.attachment is None
    assert incoming.has_media
