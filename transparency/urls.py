"""The public transparency page of each government."""

urlpatterns = []
