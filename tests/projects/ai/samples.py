"""Photos carrying everything that must not leave the machine: EXIF, GPS, XMP, ICC, a comment."""

from __future__ import annotations

import io

from PIL import Image, ImageCms

SECRET_NAME = "IMG_20210714_alice_beach.jpg"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Alice Archer</dc:creator></x:xmpmeta>'


def private_jpeg(size: tuple[int, int] = (2000, 1200)) -> bytes:
    """A JPEG with a camera make, GPS near Lisbon, the file name, XMP, an sRGB ICC and a comment."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x010E] = SECRET_NAME  # ImageDescription
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (38.0, 42.0, 0.0), 3: "W", 4: (9.0, 8.0, 0.0)})
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(
        out, "JPEG", exif=exif.tobytes(), icc_profile=icc, comment=SECRET_NAME.encode(), xmp=XMP
    )
    return out.getvalue()


def leaks(jpeg: bytes) -> list[str]:
    """The private markers still present in ``jpeg`` (empty when it is clean)."""
    found = []
    for label, marker in (
        ("EXIF APP1", b"Exif\x00\x00"),
        ("XMP", b"http://ns.adobe.com/xap"),
        ("XMP body", b"xmpmeta"),
        ("ICC", b"ICC_PROFILE"),
        ("camera", b"SecretCam"),
        ("file name", SECRET_NAME.encode()),
    ):
        if marker in jpeg:
            found.append(label)
    with Image.open(io.BytesIO(jpeg)) as image:
        if image.getexif():
            found.append("EXIF tags")
        found += [key for key in ("exif", "icc_profile", "comment", "xmp") if key in image.info]
    return found
