"""API URLs: the quarterly report workflow (create, save, submit, verify, return)."""

urlpatterns = []
