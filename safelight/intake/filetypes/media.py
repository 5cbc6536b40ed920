"""Audio, video and HEIC photos: recognised by their headers and checked for sanity only.

We cannot remove their hidden details, so nothing here rewrites them.
"""

from .errors import BrokenFile, TooComplex

_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}
_MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso7", b"iso8", b"iso9",
    b"mp41", b"mp42", b"mp71", b"avc1", b"dash", b"mmp4", b"MSNV", b"XAVC", b"f4v ",
    b"M4V ", b"M4VH", b"M4VP", b"3gp4", b"3gp5", b"3gp6", b"3gp7", b"3gp8", b"3gp9",
    b"3g2a", b"3g2b", b"3g2c",
}  # fmt: skip
_M4A_BRANDS = {b"M4A ", b"M4B ", b"M4P "}
_MOV_BRANDS = {b"qt  "}
# Old QuickTime files may start with one of these boxes instead of "ftyp".
_MOV_FIRST_BOXES = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
_MAX_BOXES = 100_000

EBML = b"\x1a\x45\xdf\xa3"
OGG = b"OggS"

# MPEG audio: bit rates (kbit/s) of MPEG-1 and MPEG-2/2.5 layer III, and sample rates (Hz).
_BITRATES = {
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def iso_kind(data):
    """The kind named by an ISO media file's "ftyp" box: heic, mp4, mov, m4a, or None."""
    if data[4:8] != b"ftyp":
        if data[4:8] in _MOV_FIRST_BOXES and _box_size(data, 0) is not None:
            return "mov"
        return None
    size = int.from_bytes(data[:4], "big")
    if size < 16 or size > min(len(data), 4096):
        return None
    major = data[8:12]
    brands = {major} | {data[at : at + 4] for at in range(16, size - 3, 4)}
    if major in _AVIF_BRANDS or (major in {b"mif1", b"msf1"} and brands & _AVIF_BRANDS):
        return None  # AVIF pictures are not among the kinds we take
    for group, kind in (
        (_HEIC_BRANDS, "heic"), (_M4A_BRANDS, "m4a"), (_MOV_BRANDS, "mov"), (_MP4_BRANDS, "mp4"),
    ):  # fmt: skip
        if major in group:
            return kind
    for group, kind in (
        (_HEIC_BRANDS - {b"mif1", b"msf1"}, "heic"), (_MOV_BRANDS, "mov"), (_M4A_BRANDS, "m4a"),
        (_MP4_BRANDS, "mp4"),
    ):  # fmt: skip
        if brands & group:
            return kind
    if brands & {b"mif1", b"msf1"}:
        return "heic"
    return None


def _box_size(data, pos):
    """The size of the box at ``pos``, or None when its header is impossible."""
    if pos + 8 > len(data):
        return None
    size = int.from_bytes(data[pos : pos + 4], "big")
    if size == 1:
        if pos + 16 > len(data):
            return None
        size = int.from_bytes(data[pos + 8 : pos + 16], "big")
        if size < 16:
            return None
    elif size == 0:
        size = len(data) - pos
    if size < 8:
        return None
    return size


def _check_iso(data, needed):
    pos = 0
    seen = set()
    for _ in range(_MAX_BOXES):
        if pos >= len(data):
            break
        size = _box_size(data, pos)
        if size is None or pos + size > len(data):
            raise BrokenFile  # cut short
        seen.add(data[pos + 4 : pos + 8])
        pos += size
    else:
        raise TooComplex
    if not seen & needed:
        raise BrokenFile


def _mpeg_frame_length(data, pos):
    """The length of the MPEG audio layer III frame starting at ``pos``, or None."""
    header = data[pos : pos + 4]
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version = (header[1] >> 3) & 0x03  # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5, 1: reserved
    layer = (header[1] >> 1) & 0x03  # 1: layer III
    bitrate_index = header[2] >> 4
    rate_index = (header[2] >> 2) & 0x03
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    bitrate = _BITRATES[3 if version == 3 else 2][bitrate_index] * 1000
    rate = _SAMPLE_RATES[version][rate_index]
    padding = (header[2] >> 1) & 0x01
    samples = 144 if version == 3 else 72
    return samples * bitrate // rate + padding


def _id3_end(data):
    """Where an ID3v2 tag at the start ends, or None when there is no valid tag."""
    if len(data) < 10 or data[:3] != b"ID3" or data[3] == 0xFF or data[4] == 0xFF:
        return None
    if any(byte & 0x80 for byte in data[6:10]):
        return None
    size = 0
    for byte in data[6:10]:
        size = (size << 7) | byte
    return 10 + size + (10 if data[5] & 0x10 else 0)


def is_mp3(data):
    if _id3_end(data) is not None:
        return True
    length = _mpeg_frame_length(data, 0)
    if length is None:
        return False
    # A second frame right after the first, unless the file ends with the first one.
    return length >= len(data) or _mpeg_frame_length(data, length) is not None


def _check_mp3(data):
    pos = _id3_end(data) or 0
    if pos > len(data):
        raise BrokenFile
    while pos < len(data) and data[pos] == 0:  # padding some taggers leave after the tag
        pos += 1
    if _mpeg_frame_length(data, pos) is None:
        raise BrokenFile


def is_ogg(data):
    return data[:4] == OGG and data[4:5] == b"\x00"


def _check_ogg(data):
    if len(data) < 27 or not is_ogg(data) or not data[5] & 0x02:  # the first page begins it
        raise BrokenFile
    segments = data[26]
    body = sum(data[27 : 27 + segments])
    if len(data) < 27 + segments + body:
        raise BrokenFile


def _vint(data, pos):
    """An EBML variable-length integer at ``pos``: (value, length), or (None, 0)."""
    if pos >= len(data) or data[pos] == 0:
        return None, 0
    first = data[pos]
    length = 9 - first.bit_length()
    if pos + length > len(data):
        return None, 0
    value = first & (0xFF >> length)
    for byte in data[pos + 1 : pos + length]:
        value = (value << 8) | byte
    return value, length


def _check_webm(data):
    size, length = _vint(data, 4)
    if size is None:
        raise BrokenFile
    start = 4 + length
    end = start + size
    if end + 4 > len(data):
        raise BrokenFile
    header = data[start:end]
    if b"\x42\x82\x84webm" not in header and b"\x42\x82\x88matroska" not in header:
        raise BrokenFile
    if data[end : end + 4] != b"\x18\x53\x80\x67":  # the Segment that holds the recording
        raise BrokenFile


def is_wav(data):
    return data[:4] == b"RIFF" and data[8:12] == b"WAVE"


def _check_wav(data):
    pos = 12
    seen = set()
    while pos + 8 <= len(data) and len(seen) < 64:
        kind = data[pos : pos + 4]
        length = int.from_bytes(data[pos + 4 : pos + 8], "little")
        if kind == b"fmt " and (length < 16 or pos + 8 + length > len(data)):
            raise BrokenFile
        seen.add(kind)
        if kind == b"data":
            break
        pos += 8 + length + (length & 1)
    if not {b"fmt ", b"data"} <= seen:
        raise BrokenFile


def check(data, kind_name):
    if kind_name == "heic":
        _check_iso(data, {b"meta"})
    elif kind_name in ("mp4", "mov", "m4a"):
        _check_iso(data, {b"moov"})
    elif kind_name == "mp3":
        _check_mp3(data)
    elif kind_name == "ogg":
        _check_ogg(data)
    elif kind_name == "webm":
        if data[:4] != EBML:
            raise BrokenFile
        _check_webm(data)
    elif kind_name == "wav":
        if not is_wav(data):
            raise BrokenFile
        _check_wav(data)
