"""API URLs: schema, documentation, tokens and the read endpoints."""

urlpatterns = []
