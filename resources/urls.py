from django.urls import path

from resources import views

app_name = "resources"

urlpatterns = [
    path("resources/", views.index, name="index"),
]
