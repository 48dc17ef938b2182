"""The regional head and their deputy, titled by the government's kind.

The titles are the offices the law names (UU 23/2014, Pasal 59): a kota is
led by a Wali Kota, a kabupaten by a Bupati, a provinsi by a Gubernur, each
with a deputy (Wakil). They are official titles written as Indonesian
documents write them, in every language, like "Bappeda" or "Camat": not
translated. Every text, title and signature block that names the regional
head takes it from here (``Government.head_title`` and its neighbours).
"""

import re

GOVERNMENT_PREFIX = "Pemerintah "

# kind -> (the head's title, the deputy's title, the words that name the region's kind)
_OFFICES = {
    "kota": ("Wali Kota", "Wakil Wali Kota", ("Kota",)),
    "kabupaten": ("Bupati", "Wakil Bupati", ("Kabupaten", "Kab.")),
    "provinsi": ("Gubernur", "Wakil Gubernur", ("Provinsi", "Prov.")),
}
# What a title is spelled as besides the law's spelling, for recognising it in a
# typed position: "Walikota" is still common.
_SPELLINGS = {"Wali Kota": ("wali kota", "walikota")}


def head_title(kind):
    """The regional head's title for a government of ``kind`` ("kota", "kabupaten",
    "provinsi"): "Wali Kota", "Bupati" or "Gubernur"; "Kepala Daerah" for another kind."""
    return _OFFICES.get(kind, ("Kepala Daerah",))[0]


def deputy_title(kind):
    """The deputy's title: "Wakil Wali Kota", "Wakil Bupati", "Wakil Gubernur"."""
    return _OFFICES.get(kind, (None, "Wakil Kepala Daerah"))[1]


def short_name(government_name):
    """The government's name without a leading "Pemerintah ": "Kota Cilegon"."""
    name = " ".join((government_name or "").split())
    if name.lower().startswith(GOVERNMENT_PREFIX.lower()):
        name = name[len(GOVERNMENT_PREFIX) :]
    return name


def region_name(government):
    """The region without its kind: "Cilegon" for "Pemerintah Kota Cilegon",
    "Banten" for "Pemerintah Provinsi Banten"; the place name if nothing is left."""
    name = short_name(government.name)
    for word in _OFFICES.get(government.kind, (None, None, ()))[2]:
        if name.lower() == word.lower() or name.lower().startswith(word.lower() + " "):
            name = name[len(word) :].strip()
            break
    return name or government.place_name


def head_position(government):
    """The regional head's position as a signature block writes it: "Bupati Serang"."""
    return f"{head_title(government.kind)} {region_name(government)}".strip()


def deputy_position(government):
    """The deputy's position: "Wakil Bupati Serang"."""
    return f"{deputy_title(government.kind)} {region_name(government)}".strip()


def names_head(position, kind):
    """True if ``position`` names the head (or their deputy) of a government of ``kind``:
    "Walikota Cilegon" or "Plt. Wali Kota Cilegon" in a kota, "Pj. Bupati Serang" in a
    kabupaten; "Walikota Serang" in a kabupaten does not."""
    title = head_title(kind)
    words = " ".join((position or "").lower().split())
    return any(
        re.search(rf"(^|\W){re.escape(spelling)}(\W|$)", words)
        for spelling in _SPELLINGS.get(title, (title.lower(),))
    )
