from django.urls import path

from resources import views
from resources.feeds import NewsFeed

app_name = "resources"

urlpatterns = [
    path("resources/", views.index, name="index"),
    path("resources/<slug:slug>/", views.guide, name="guide"),
    path("resources/<slug:slug>/<slug:language>/", views.guide_language, name="guide-language"),
    path("news/", views.news_list, name="news"),
    path("news/feed/", NewsFeed(), name="news-feed"),
    path("news/<slug:slug>/", views.news_item, name="news-item"),
    path("about/", views.about, name="about"),
    path("about/standards/", views.standards, name="standards"),
    path("practitioners/", views.practitioners, name="practitioners"),
]
