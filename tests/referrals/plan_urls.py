"""The portal's URLs plus a stand-in for the parenting plan tool (`plan:start`), which is built
on another branch: lets the get-help links be tested as they will be once it is merged."""

from django.http import HttpResponse
from django.urls import include, path

from alliance.urls import urlpatterns as portal

plan_patterns = [path("", lambda request: HttpResponse("plan"), name="start")]

urlpatterns = [path("parenting-plan/", include((plan_patterns, "plan"))), *portal]
