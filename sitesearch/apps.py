from django.apps import AppConfig


class SiteSearchConfig(AppConfig):
    """The navbar's search across the domain apps: a page that assembles them, kept
    out of the core (``tracker``), which knows no domain app."""

    name = "sitesearch"
    verbose_name = "Site search"
