"""A new government, from nothing to its first quarterly report, clicked through as its
people would: the Administrator, a Bappeda officer and the head of an OPD.

The superuser's command starts "Pemerintah Kabupaten Contoh" with its first
Administrator; every other record comes from the pages. Each person gets an
emailed link, sets a password and signs in.
"""

import io
import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect
from pypdf import PdfReader

from rpjmd.workbook import build_workbook
from tests.commitments.conftest import PDF

PASSWORD = "Contoh-Sandi-2026!"
COMMITMENT = "Komitmen Bersama Kabupaten Contoh Cerdas"
PROGRAM = "Layanan Perizinan Daring Kabupaten Contoh"
INDICATOR = "Persentase layanan publik berbasis elektronik"
LINK = re.compile(r"https?://[^/\s]+(/akun/atur-kata-sandi/[^/\s]+/[^/\s]+/)")


# --- Helpers ---------------------------------------------------------------------------------


def invitation_path(email):
    """The path of the set-password link in the last invitation sent to ``email``."""
    letters = [m for m in mail.outbox if email in m.to]
    assert letters, f"no email to {email}"
    links = LINK.findall(letters[-1].body)
    assert len(links) == 1, letters[-1].body
    return links[0]


def follow_invitation(page, server, email, username):
    """The invited person opens the emailed link and sets a password."""
    page.goto(server.url + invitation_path(email))
    expect(page).to_have_url(re.compile(r"/akun/atur-kata-sandi/[^/]+/set-password/$"))
    expect(page.locator("main")).to_contain_text(username)
    form = page.locator("#set-password")
    form.locator("input[name=new_password1]").fill(PASSWORD)
    form.locator("input[name=new_password2]").fill(PASSWORD)
    form.get_by_role("button", name="Simpan kata sandi").click()
    expect(page).to_have_url(f"{server.url}/akun/atur-kata-sandi/selesai/")


def log_in_fresh(page, server, username):
    """Sign in with the password just set (signing out whoever was in first)."""
    page.context.clear_cookies()
    page.goto(f"{server.url}/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]:not([name=language])")
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)


def current_code(username):
    """What the authenticator app on the person's phone shows now."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def nav(page, label):
    page.locator("#nav").get_by_role("link", name=label, exact=True).click()


def success(page, text):
    """The green message that says ``text`` (a page may show more than one)."""
    return page.locator(".alert-success", has_text=text)


def create_unit(page, *, name, abbreviation, code, kind, opd_type=""):
    nav(page, "Unit kerja")
    page.get_by_role("link", name="Unit kerja baru").click()
    page.fill("#id_name", name)
    page.fill("#id_abbreviation", abbreviation)
    page.fill("#id_code", code)
    page.select_option("#id_kind", kind)
    if opd_type:
        page.select_option("#id_opd_type", opd_type)
    page.get_by_role("button", name="Buat unit kerja").click()
    expect(success(page, name)).to_be_visible()


def record_official(page, *, unit, name, nip, rank, position, start):
    nav(page, "Pejabat")
    page.get_by_role("link", name="Catat pejabat").click()
    page.select_option("#id_unit", label=unit)
    page.fill("#id_name", name)
    page.fill("#id_nip", nip)
    page.fill("#id_rank", rank)
    page.fill("#id_position", position)
    page.check("#id_is_head")
    page.fill("#id_start_date", start)
    page.get_by_role("button", name="Catat pejabat").click()
    expect(success(page, name)).to_be_visible()


def invite(page, *, username, full_name, email, role, unit, head=False):
    nav(page, "Pengguna")
    page.get_by_role("link", name="Akun baru").click()
    page.fill("#id_username", username)
    page.fill("#id_full_name", full_name)
    page.fill("#id_email", email)
    page.check(f"input[name=role][value='{role}']")
    page.select_option("#id_unit", label=unit)
    if head:
        page.check("#id_is_unit_head")
    page.get_by_role("button", name="Buat akun dan kirim undangan").click()
    expect(success(page, f"Akun {username} sudah dibuat")).to_be_visible()
    expect(success(page, email)).to_be_visible()  # the invitation went out


def plan_workbook():
    """The RPJMD as Bappeda's spreadsheet: one line of the plan down to an indicator whose
    2026 target (72,5 %) the quarterly report must show."""
    return build_workbook(
        {
            "Misi": [[1, "Mewujudkan tata kelola pemerintahan yang baik dan melayani"]],
            "Tujuan": [["T1", 1, "Meningkatkan kualitas pelayanan publik"]],
            "Sasaran": [["S1.1", "T1", "Meningkatnya pelayanan publik berbasis elektronik"]],
            "Program RPJMD": [
                ["P1.1.1", "S1.1", "Program Pengelolaan Aplikasi Informatika", "DISKOMINFO"]
            ],
            "Indikator": [
                [
                    "IKS-1.1",
                    "sasaran",
                    "S1.1",
                    INDICATOR,
                    "persen",
                    "tinggi",
                    "tidak",
                    2,
                    "terbaru",
                    None,
                    55,
                    2024,
                    90,
                    "DISKOMINFO",
                ]
            ],
            "Target": [
                ["IKS-1.1", 2025, 62, 150000000, None],
                ["IKS-1.1", 2026, 72.5, 250000000, None],
                ["IKS-1.1", 2027, 78, 300000000, None],
                ["IKS-1.1", 2028, 84, 300000000, None],
                ["IKS-1.1", 2029, 90, 350000000, None],
            ],
        }
    )


def issue_quarterly_pdf(page, path):
    """Bappeda issues the report of Triwulan III 2026, downloads it; its text."""
    nav(page, "Laporan")
    page.get_by_label("Triwulan").select_option(label="Triwulan III 2026")
    page.get_by_role("button", name="Terbitkan laporan PDF").click()
    # Without a broker the job runs within the request: its page shows it done.
    status = page.locator("#job-status")
    expect(status).to_contain_text("Laporan telah diterbitkan")
    with page.expect_download() as download:
        status.get_by_role("link", name="Unduh PDF").click()
    download.value.save_as(path)
    return "\n".join(sheet.extract_text() for sheet in PdfReader(path).pages)


def policy_violations(page):
    """Every console message or page error about the Content-Security-Policy, as it comes."""
    found = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and found.append(message.text),
    )
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


# --- The journey -----------------------------------------------------------------------------


def test_a_new_government_reaches_its_first_quarterly_report(page, demo_server, tmp_path):
    server = demo_server
    violations = policy_violations(page)

    # --- The superuser starts the government; its Administrator gets an email -----------------
    output = io.StringIO()
    call_command(
        "create_government",
        code="36.99",
        name="Pemerintah Kabupaten Contoh",
        kind="kabupaten",
        place="Contoh",
        admin_username="pengelola.contoh",
        admin_email="pengelola@contohkab.go.id",
        admin_name="Rina Pengelola",
        site_url=server.url,
        stdout=output,
    )
    assert "Pemerintah Kabupaten Contoh" in output.getvalue()
    admin = get_user_model().objects.get(username="pengelola.contoh")
    assert admin.profile.unit is None
    assert admin.profile.government.name == "Pemerintah Kabupaten Contoh"

    # --- The Administrator: password, two-factor sign-in, units, officials, accounts ---------
    follow_invitation(page, server, "pengelola@contohkab.go.id", "pengelola.contoh")
    log_in_fresh(page, server, "pengelola.contoh")
    expect(page).to_have_url(re.compile(r"/akun/dua-langkah/atur/"))
    page.fill("#id_otp_token", current_code("pengelola.contoh"))
    page.locator("#two-factor-form button[type=submit]").click()
    expect(success(page, "Masuk dua langkah telah aktif")).to_be_visible()

    create_unit(
        page,
        name="Bupati Contoh",
        abbreviation="Bupati",
        code="KDH",
        kind="kdh",
    )
    create_unit(
        page,
        name="Badan Perencanaan Pembangunan Daerah",
        abbreviation="Bappeda",
        code="BAPPEDA",
        kind="opd",
        opd_type="badan",
    )
    create_unit(
        page,
        name="Dinas Komunikasi dan Informatika",
        abbreviation="Diskominfo",
        code="DISKOMINFO",
        kind="opd",
        opd_type="dinas",
    )
    nav(page, "Unit kerja")
    for name in ["Bupati Contoh", "Badan Perencanaan", "Dinas Komunikasi dan Informatika"]:
        expect(page.locator("main")).to_contain_text(name)

    record_official(
        page,
        unit="Bupati",
        name="H. Ahmad Contoh, S.H.",
        nip="",
        rank="",
        position="Bupati Contoh",
        start="2025-02-20",
    )
    record_official(
        page,
        unit="Bappeda",
        name="Dr. Siti Perencana, M.Si.",
        nip="19750315 200003 2 004",
        rank="Pembina Utama Muda (IV/c)",
        position="Kepala Badan Perencanaan Pembangunan Daerah",
        start="2024-01-02",
    )
    record_official(
        page,
        unit="Diskominfo",
        name="Budi Informatika, S.Kom., M.T.",
        nip="19800610 200501 1 002",
        rank="Pembina Tk. I (IV/b)",
        position="Kepala Dinas Komunikasi dan Informatika",
        start="2023-07-03",
    )
    nav(page, "Pejabat")
    expect(page.locator("main")).to_contain_text("Dr. Siti Perencana, M.Si.")

    invite(
        page,
        username="bappeda.contoh",
        full_name="Dewi Bappeda",
        email="dewi@contohkab.go.id",
        role="Bappeda",
        unit="Bappeda",
    )
    invite(
        page,
        username="kominfo.contoh",
        full_name="Budi Informatika, S.Kom., M.T.",
        email="budi@contohkab.go.id",
        role="unit",
        unit="Diskominfo",
        head=True,
    )
    nav(page, "Pengguna")
    expect(page.locator("main")).to_contain_text("bappeda.contoh")
    expect(page.locator("main")).to_contain_text("kominfo.contoh")

    # --- The Bappeda officer: the RPJMD, imported from Excel ---------------------------------
    follow_invitation(page, server, "dewi@contohkab.go.id", "bappeda.contoh")
    log_in_fresh(page, server, "bappeda.contoh")
    nav(page, "RPJMD")
    page.get_by_role("link", name="RPJMD baru").click()
    page.fill("#id_name", "RPJMD Kabupaten Contoh 2025-2029")
    page.fill("#id_start_year", "2025")
    page.fill("#id_end_year", "2029")
    page.fill("#id_legal_basis", "Perda Kabupaten Contoh Nomor 3 Tahun 2025")
    page.fill("#id_vision", "Kabupaten Contoh yang Maju, Cerdas dan Sejahtera")
    page.get_by_role("button", name="Buat RPJMD").click()
    expect(page.get_by_role("heading", name="RPJMD Kabupaten Contoh 2025-2029")).to_be_visible()

    workbook = tmp_path / "rpjmd-contoh.xlsx"
    workbook.write_bytes(plan_workbook())
    page.get_by_role("link", name="Impor Excel").click()
    page.set_input_files("#id_file", str(workbook))
    page.get_by_role("button", name="Unggah dan lihat pratinjau").click()
    # 1 mission, 1 goal, 1 objective, 1 program, 1 indicator and its 5 yearly targets.
    expect(page.locator("#import-summary")).to_have_text(
        "10 akan ditambahkan, 0 akan diubah, 0 tetap."
    )
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Terapkan impor").click()
    expect(success(page, "rpjmd-contoh.xlsx")).to_be_visible()
    indicator_row = page.locator("tr", has_text=INDICATOR)
    expect(indicator_row).to_contain_text("IKS-1.1")
    expect(indicator_row).to_contain_text("72,5")

    # --- Bappeda: the joint commitment and its signing ----------------------------------------
    nav(page, "Komitmen")
    page.get_by_role("link", name="Komitmen baru").click()
    page.fill("#id_title", COMMITMENT)
    page.fill("#id_theme", "Kabupaten Cerdas")
    page.select_option("#id_scheme", label="Gerakan Menuju 100 Smart City")
    page.fill("#id_date", "2026-01-15")
    page.fill("#id_place", "Pendopo Kabupaten Contoh")
    page.fill("#id_legal_basis", "Perda Kabupaten Contoh Nomor 3 Tahun 2025 tentang RPJMD")
    page.fill(
        "#id_points",
        "Menyelenggarakan layanan publik berbasis elektronik\nMelaporkan kemajuan setiap triwulan",
    )
    page.select_option("#id_signatory_units", label=["Bappeda", "Diskominfo"])
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_role("heading", name=COMMITMENT)).to_be_visible()
    expect(page.locator("#progress")).to_contain_text("0 dari 2 telah menandatangani")
    # Opening freezes the points and signatories: the page asks first.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Buka untuk penandatanganan").click()
    expect(page.locator("#state")).to_have_text("Dibuka untuk penandatanganan")

    scan = tmp_path / "penandatanganan.pdf"
    scan.write_bytes(PDF)
    page.get_by_role("link", name="Catat acara penandatanganan").click()
    page.fill("#id_signed_date", "2026-01-15")
    # The reload sends the form: choose the scan on the page it brings back.
    with page.expect_navigation():
        page.get_by_role("button", name="Muat ulang daftar pejabat untuk tanggal di atas").click()
    page.set_input_files("#id_scan", str(scan))
    # Both expected signatories signed: "tick all expected signatories".
    page.click("#tick-all")
    expect(page.locator("#officials tbody tr:visible")).to_have_count(2)
    page.get_by_role("button", name="Simpan tanda tangan").click()
    expect(page.locator("#progress")).to_contain_text("2 dari 2 telah menandatangani")
    expect(page.locator("#signatures tr", has_text="Dinas Komunikasi")).to_contain_text(
        "Budi Informatika"
    )

    # --- Bappeda: the program, its milestones, and the quarter ---------------------------------
    page.get_by_role("link", name="Program baru").click()
    page.fill("#id_title", PROGRAM)
    page.select_option("#id_owner_unit", label="Diskominfo")
    page.get_by_label("Smart Governance").check()
    page.select_option("#id_horizon", "quick_win")
    page.fill("#id_start_date", "2026-01-01")
    page.fill("#id_end_date", "2026-12-31")
    page.select_option("#id_indicators", label=f"IKS-1.1 {INDICATOR}")
    budget_2026 = page.locator("#budgets tr", has=page.locator("input[value='2026']"))
    budget_2026.locator("input[name$=amount]").fill("250000000")
    page.get_by_role("button", name="Buat program").click()
    expect(success(page, "Program telah dibuat")).to_be_visible()

    for row, (title, start, finish, weight) in enumerate(
        [
            ("Penyusunan rancangan layanan", "2026-01-01", "2026-06-30", "40"),
            ("Peluncuran layanan daring", "2026-07-01", "2026-12-31", "60"),
        ]
    ):
        page.fill(f"#id_milestone-{row}-title", title)
        page.fill(f"#id_milestone-{row}-planned_start", start)
        page.fill(f"#id_milestone-{row}-planned_finish", finish)
        page.fill(f"#id_milestone-{row}-weight", weight)
    page.get_by_role("button", name="Simpan tahapan").click()
    expect(success(page, "Tahapan telah disimpan")).to_be_visible()
    expect(page.get_by_role("heading", name=PROGRAM)).to_be_visible()
    # No quarter is open yet: the page lists the planned milestones.
    expect(page.locator("#milestones")).to_contain_text("Peluncuran layanan daring")
    program_url = page.url

    nav(page, "Verifikasi")
    page.get_by_role("link", name="Buka periode pelaporan").click()
    page.fill("#id_year", "2026")
    page.select_option("#id_quarter", "3")
    page.get_by_role("button", name="Buka triwulan").click()
    expect(page.locator("#open-preview")).to_contain_text(
        "akan membuat 1 tugas laporan untuk 1 perangkat daerah"
    )
    page.get_by_role("button", name="Buka Triwulan III 2026").click()
    expect(success(page, "Periode pelaporan telah dibuka")).to_be_visible()
    expect(page.locator("#periods tr", has_text="Triwulan III 2026")).to_be_visible()
    # With the quarter open, the milestones are measured against it.
    page.goto(program_url)
    expect(page.locator("#milestones tr", has_text="Penyusunan rancangan layanan")).to_contain_text(
        "40"
    )
    expect(page.locator("#milestones tr", has_text="Peluncuran layanan daring")).to_contain_text(
        "60"
    )

    # --- The head of Diskominfo writes and sends the report -----------------------------------
    follow_invitation(page, server, "budi@contohkab.go.id", "kominfo.contoh")
    log_in_fresh(page, server, "kominfo.contoh")
    nav(page, "Tugas saya")
    task = page.locator("#tasks tr", has_text=PROGRAM)
    expect(task).to_contain_text("Belum dimulai")
    task.get_by_role("link", name="Tulis laporan").click()
    page.get_by_label("Penyusunan rancangan layanan").fill("100")
    page.get_by_label("Peluncuran layanan daring").fill("50")
    page.get_by_label(INDICATOR).fill("68.25")
    page.fill("#id_budget_realisation", "180000000")
    page.fill("#id_supporting_factors", "Dukungan penuh Bupati Contoh")
    page.get_by_role("button", name="Simpan draf").click()
    expect(success(page, "disimpan sebagai draf")).to_be_visible()
    expect(page.locator("#report-state")).to_have_text("Draf")
    # Back from "My tasks", the draft still holds what was typed; now it is sent.
    nav(page, "Tugas saya")
    task.get_by_role("link", name="Lanjutkan").click()
    expect(page.get_by_label(INDICATOR)).to_have_value("68,25")
    expect(page.get_by_label("Peluncuran layanan daring")).to_have_value(re.compile(r"^50(\.0+)?$"))
    page.get_by_role("button", name="Kirim untuk verifikasi").click()
    expect(success(page, "dikirim ke Bappeda")).to_be_visible()
    expect(page.locator("#report-state")).to_have_text("Dikirim")
    expect(page.locator("main")).to_contain_text("68,25")

    # --- Bappeda verifies it and issues the quarterly report ----------------------------------
    log_in_fresh(page, server, "bappeda.contoh")
    # Issued before verification, the report has the target but not the unit's figure yet.
    text = issue_quarterly_pdf(page, tmp_path / "sebelum-verifikasi.pdf")
    assert PROGRAM in text and "72,50" in text, text
    assert "68,25" not in text, text

    nav(page, "Verifikasi")
    page.get_by_label("Triwulan").select_option(label="Triwulan III 2026")
    page.get_by_role("checkbox", name=PROGRAM).check()
    page.once("dialog", lambda dialog: dialog.accept())  # "Verify N reports?"
    page.get_by_role("button", name="Verifikasi laporan yang dicentang").click()
    expect(success(page, "1 laporan telah diverifikasi")).to_be_visible()

    text = issue_quarterly_pdf(page, tmp_path / "laporan-tw3-2026.pdf")
    assert PROGRAM in text
    assert "72,50" in text, text
    assert "68,25" in text, text
    # Signed by the regional head and the head of Bappeda recorded by the Administrator.
    assert "H. Ahmad Contoh, S.H." in text, text
    assert "NIP. 19750315 200003 2 004" in text, text
    assert violations == []
