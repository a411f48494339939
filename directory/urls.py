from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("me/", views.MyProfileView.as_view(), name="my_profile"),
    path("labs/", views.LabListView.as_view(), name="lab_list"),
    path("labs/<int:pk>/", views.LabDetailView.as_view(), name="lab_detail"),
    path("branches/", views.BranchListView.as_view(), name="branch_list"),
    path("branches/<int:pk>/", views.BranchDetailView.as_view(), name="branch_detail"),
    path("bodies/", views.BodyListView.as_view(), name="body_list"),
    path("bodies/<int:pk>/", views.BodyDetailView.as_view(), name="body_detail"),
]
