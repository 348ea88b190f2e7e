from django.urls import path

from honorroll import views

app_name = "honorroll"

urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("<int:pk>/", views.batch_detail, name="batch_detail"),
    path("<int:pk>/download.csv", views.download_csv, name="download_csv"),
    path("<int:pk>/download.xlsx", views.download_xlsx, name="download_xlsx"),
]
