"""System checks of the report seal: ``manage.py check`` (and every server start).

A configured certificate that cannot seal is an error (issuing would fail);
no certificate at all is a warning of ``check --deploy``: reports would be
issued without an electronic seal. Registered in ``ReportsConfig.ready``.
"""

from django.core import checks

from reports import sealing


def check_seal(app_configs, **kwargs):
    """Load the configured certificate once; say what is wrong with it."""
    try:
        sealing.current_seal()
    except sealing.SealConfigurationError as error:
        return [
            checks.Error(
                str(error),
                hint="Fix REPORT_SIGNING_P12 / REPORT_SIGNING_PASSWORD, or make a demo "
                "certificate with `manage.py make_signing_certificate`.",
                id="reports.E001",
            )
        ]
    return []


def check_seal_configured(app_configs, **kwargs):
    """``check --deploy``: a production instance seals its reports."""
    if sealing.configured():
        return []
    return [
        checks.Warning(
            "No report sealing certificate is configured (REPORT_SIGNING_P12): "
            "quarterly reports are issued without an electronic seal.",
            hint="Configure a PKCS#12 certificate from a CA (README, "
            "“The report's electronic seal”).",
            id="reports.W001",
        )
    ]


def register():
    checks.register(check_seal)
    checks.register(check_seal_configured, checks.Tags.security, deploy=True)
