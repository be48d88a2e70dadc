"""The application segments of a JPEG, where cameras and editors write EXIF (camera,
GPS position, dates, thumbnail), XMP, IPTC and comments. Used by the redaction app on
the pictures of a published copy and by tips on the pictures inside a PDF."""


def jpeg_without_segments(data: bytes) -> bytes:
    """A JPEG without its comments and application segments but APP14 (Adobe: how
    its colours are stored). The picture is the same; the text a camera or an editor
    wrote in it (names, places, dates) is gone. Returned as it is if it cannot be read."""
    if data[:2] != b"\xff\xd8":
        return data
    out = bytearray(data[:2])
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return data
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xDA:  # start of scan: the picture itself, to the end
            out += data[position:]
            return bytes(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out += data[position : position + 2]
            position += 2
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        segment = data[position : position + 2 + length]
        if marker == 0xFE or (0xE0 <= marker <= 0xEF and marker != 0xEE):
            pass  # a comment or an application segment
        else:
            out += segment
        position += 2 + length
    return data
