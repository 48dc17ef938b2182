from django.urls import path

from programs import views

urlpatterns = [
    path("rpjmd/", views.PlanListView.as_view(), name="plan-list"),
    path("rpjmd/<int:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("rpjmd/indikator/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator-detail"),
]
