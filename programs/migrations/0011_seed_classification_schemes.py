"""Seed the shared (national) classification schemes (issue 26).

* Gerakan Menuju 100 Smart City: the six dimensions that were fixed rows until
  now become its categories (same rows, so every program keeps its links);
* Delapan Aksi Konvergensi Percepatan Penurunan Stunting: the eight
  convergence actions;
* TPB/SDGs: the 17 goals (Perpres No. 59 Tahun 2017; categories optional).

Each row gets a creation row in its history. Reversible: the new schemes and
their categories go, the six dimensions stay as they were.
"""

from django.db import migrations
from django.utils import timezone

REASON = "Skema klasifikasi nasional (migrasi data, issue 26)"

SMART_CITY = "Gerakan Menuju 100 Smart City"
SMART_CITY_CATEGORIES = [
    (
        "governance",
        "Smart Governance",
        "Tata kelola pemerintahan yang efektif, efisien dan komunikatif; pelayanan publik "
        "yang prima, birokrasi dan kebijakan yang baik.",
    ),
    (
        "branding",
        "Smart Branding",
        "Penguatan daya saing daerah: branding pariwisata, ekosistem bisnis dan wajah kota.",
    ),
    (
        "economy",
        "Smart Economy",
        "Ekosistem ekonomi daerah yang produktif, inklusif dan berdaya saing: industri, "
        "kesejahteraan rakyat dan transaksi keuangan.",
    ),
    (
        "living",
        "Smart Living",
        "Lingkungan tempat tinggal yang layak, nyaman dan efisien: harmonisasi tata ruang, "
        "kesehatan dan transportasi.",
    ),
    (
        "society",
        "Smart Society",
        "Masyarakat yang humanis dan dinamis: komunitas, ekosistem belajar dan keamanan.",
    ),
    (
        "environment",
        "Smart Environment",
        "Lingkungan yang berkelanjutan: proteksi lingkungan, pengelolaan sampah dan energi.",
    ),
]

STUNTING = "Delapan Aksi Konvergensi Percepatan Penurunan Stunting"
STUNTING_CATEGORIES = [
    ("aksi-1", "Aksi 1 Analisis Situasi", "Analisis sebaran, penyebab dan cakupan layanan."),
    (
        "aksi-2",
        "Aksi 2 Rencana Kegiatan",
        "Rencana kegiatan intervensi gizi spesifik dan sensitif.",
    ),
    ("aksi-3", "Aksi 3 Rembuk Stunting", "Rembuk stunting tingkat kabupaten/kota."),
    (
        "aksi-4",
        "Aksi 4 Peraturan Bupati/Wali Kota tentang Peran Desa/Kelurahan",
        "Peraturan kepala daerah tentang peran desa/kelurahan dalam penurunan stunting.",
    ),
    (
        "aksi-5",
        "Aksi 5 Pembinaan Kader Pembangunan Manusia",
        "Pembinaan Kader Pembangunan Manusia (KPM) di desa/kelurahan.",
    ),
    ("aksi-6", "Aksi 6 Sistem Manajemen Data", "Sistem manajemen data stunting terpadu."),
    (
        "aksi-7",
        "Aksi 7 Pengukuran dan Publikasi Data Stunting",
        "Pengukuran pertumbuhan balita dan publikasi angka stunting.",
    ),
    ("aksi-8", "Aksi 8 Reviu Kinerja Tahunan", "Reviu kinerja pelaksanaan aksi konvergensi."),
]

SDGS = "Tujuan Pembangunan Berkelanjutan (TPB/SDGs)"
SDG_GOALS = [
    "Tanpa Kemiskinan",
    "Tanpa Kelaparan",
    "Kehidupan Sehat dan Sejahtera",
    "Pendidikan Berkualitas",
    "Kesetaraan Gender",
    "Air Bersih dan Sanitasi Layak",
    "Energi Bersih dan Terjangkau",
    "Pekerjaan Layak dan Pertumbuhan Ekonomi",
    "Industri, Inovasi dan Infrastruktur",
    "Berkurangnya Kesenjangan",
    "Kota dan Permukiman yang Berkelanjutan",
    "Konsumsi dan Produksi yang Bertanggung Jawab",
    "Penanganan Perubahan Iklim",
    "Ekosistem Lautan",
    "Ekosistem Daratan",
    "Perdamaian, Keadilan dan Kelembagaan yang Tangguh",
    "Kemitraan untuk Mencapai Tujuan",
]

SCHEMES = [
    (
        SMART_CITY,
        "Enam dimensi Smart City dari Gerakan Menuju 100 Smart City (Kementerian Kominfo).",
        True,
        SMART_CITY_CATEGORIES,
    ),
    (
        STUNTING,
        "Delapan aksi konvergensi intervensi penurunan stunting terintegrasi di "
        "kabupaten/kota (Perpres No. 72 Tahun 2021).",
        True,
        STUNTING_CATEGORIES,
    ),
    (
        SDGS,
        "Tujuh belas tujuan TPB/SDGs (Perpres No. 59 Tahun 2017).",
        False,
        [(f"tpb-{n}", f"TPB {n} {name}", "") for n, name in enumerate(SDG_GOALS, start=1)],
    ),
]


def _history(apps, model_name, obj, fields, now):
    """A creation row ("+") in ``obj``'s history, by the system."""
    historical = apps.get_model("programs", f"Historical{model_name}")
    historical.objects.create(
        id=obj.pk,
        history_date=now,
        history_type="+",
        history_change_reason=REASON,
        **{name: getattr(obj, name) for name in fields},
    )


def seed(apps, schema_editor):
    scheme_model = apps.get_model("programs", "ClassificationScheme")
    category_model = apps.get_model("programs", "Category")
    now = timezone.now()
    for name, description, required, categories in SCHEMES:
        scheme = scheme_model.objects.create(
            government=None, name=name, description=description, categories_required=required
        )
        _history(
            apps,
            "ClassificationScheme",
            scheme,
            ("government_id", "name", "description", "categories_required"),
            now,
        )
        for order, (code, label, text) in enumerate(categories, start=1):
            # The smart-city dimensions exist (0003): they become this scheme's categories.
            category = category_model.objects.filter(scheme=None, code=code).first()
            if category is None:
                category = category_model(code=code)
            category.scheme, category.name, category.description = scheme, label, text
            category.order = order
            category.save()
            _history(
                apps,
                "Category",
                category,
                ("scheme_id", "code", "name", "description", "order"),
                now,
            )


def unseed(apps, schema_editor):
    scheme_model = apps.get_model("programs", "ClassificationScheme")
    category_model = apps.get_model("programs", "Category")
    names = [name for name, *_rest in SCHEMES]
    schemes = scheme_model.objects.filter(government=None, name__in=names)
    keep = [code for code, _name, _text in SMART_CITY_CATEGORIES]
    gone = list(
        category_model.objects.filter(scheme__in=schemes)
        .exclude(scheme__name=SMART_CITY, code__in=keep)
        .values_list("pk", flat=True)
    )
    # Their links first (a program of another scheme loses them), then the rows.
    links = apps.get_model("programs", "Program").categories.through
    links.objects.filter(category_id__in=gone).delete()
    category_model.objects.filter(pk__in=gone)._raw_delete(schema_editor.connection.alias)
    category_model.objects.filter(scheme__in=schemes).update(scheme=None, name="", order=0)
    for model_name in ("Category", "ClassificationScheme"):
        apps.get_model("programs", f"Historical{model_name}").objects.filter(
            history_change_reason=REASON
        ).delete()
    schemes.delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0010_classification_schemes")]
    operations = [migrations.RunPython(seed, unseed)]
