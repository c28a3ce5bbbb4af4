from django.urls import path

from resources.plan import views

app_name = "plan"

urlpatterns = [
    path("", views.start, name="start"),
    path("safety/", views.safety, name="safety"),
    path("new/", views.new, name="new"),
    path("check-your-email/", views.check_email, name="check-email"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("link/<str:token>/", views.link, name="link"),
    path("open/", views.open_link, name="open"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("left/", views.left, name="left"),
    path("plan/", views.plan, name="plan"),
    path("plan/invite/", views.invite, name="invite"),
    path("plan/invite/cancel/", views.invite_cancel, name="invite-cancel"),
    path("plan/review-date/", views.review, name="review"),
    path("plan/summary/", views.summary, name="summary"),
    path("plan/summary.pdf", views.summary_pdf, name="summary-pdf"),
    path("plan/for-children/", views.for_children, name="children"),
    path("plan/leave/", views.leave, name="leave"),
    path("plan/items/<int:item_id>/", views.item, name="item"),
    path("plan/<slug:slug>/", views.section, name="section"),
]
