"""Item 10: a photograph keeps its picture and loses what the camera wrote into it (EXIF with the
GPS position of where the child was photographed, the camera, the time; PNG text chunks)."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, PngImagePlugin

from corridor.people.services import person_create, person_set_photo

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0132] = "2026:03:01 10:00:00"  # DateTime
    exif[0x0112] = 6  # Orientation: turned 90°
    exif.get_ifd(GPS_IFD).update(
        {1: "N", 2: (6.0, 7.0, 48.0), 3: "E", 4: (1.0, 13.0, 12.0)}  # Lomé, to the metre
    )
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _stored(person) -> bytes:
    person.refresh_from_db()
    return base64.b64decode(person.photo)


def test_a_jpeg_loses_its_exif_and_gps_position_and_stays_upright(people):
    worker = people["caseworker"]
    person = person_create(actor=worker, given_names="Ama", family_name="AKUÉ")
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)
    person_set_photo(actor=worker, person=person, content=original)
    stored = _stored(person)
    picture = Image.open(io.BytesIO(stored))
    assert picture.format == "JPEG"
    assert len(picture.getexif()) == 0 and "exif" not in picture.info
    assert b"Exif" not in stored and b"CameraMaker" not in stored
    assert picture.size == (20, 40)  # the orientation the EXIF asked for, applied


def test_a_png_loses_its_text_chunks(people):
    worker = people["caseworker"]
    person = person_create(actor=worker, given_names="Kodjo")
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "taken at 6.13N 1.22E")
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="PNG", pnginfo=info)
    person_set_photo(actor=worker, person=person, content=out.getvalue())
    stored = _stored(person)
    assert b"taken at" not in stored and Image.open(io.BytesIO(stored)).size == (8, 8)


def test_a_picture_that_cannot_be_read_or_is_too_large_is_refused(people):
    worker = people["caseworker"]
    person = person_create(actor=worker, given_names="Kodjo")
    with pytest.raises(ValidationError, match="cannot be read"):
        person_set_photo(actor=worker, person=person, content=b"\xff\xd8\xff" + b"\x00" * 50)
    out = io.BytesIO()
    Image.new("1", (7_000, 7_000)).save(out, format="PNG")  # 49 million pixels, a few KB
    with pytest.raises(ValidationError, match="too many pixels"):
        person_set_photo(actor=worker, person=person, content=out.getvalue())
    person.refresh_from_db()
    assert person.photo == ""
