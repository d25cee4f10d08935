"""URLs of the contact center. Each part keeps its views in its own module:
queues and pause reasons (views), agents (agent_views), supervision (supervision),
recordings (recording_views)."""

from django.urls import path

from centrex.contact_center import agent_views, recording_views
from centrex.contact_center import supervision as sv
from centrex.contact_center import views as queue_views

urlpatterns: list = [
    # queues and pause reasons (views.py)
    path("manage/queues/", queue_views.queue_list, name="queue-list"),
    path("manage/queues/new/", queue_views.queue_create, name="queue-create"),
    path("manage/queues/<int:pk>/edit/", queue_views.queue_edit, name="queue-edit"),
    path("manage/queues/<int:pk>/delete/", queue_views.queue_delete, name="queue-delete"),
    path("manage/pause-reasons/", queue_views.pausereason_list, name="pausereason-list"),
    path("manage/pause-reasons/new/", queue_views.pausereason_create,
         name="pausereason-create"),
    path("manage/pause-reasons/<int:pk>/edit/", queue_views.pausereason_edit,
         name="pausereason-edit"),
    path("manage/pause-reasons/<int:pk>/delete/", queue_views.pausereason_delete,
         name="pausereason-delete"),
    path("manage/contact-center/", queue_views.settings_page, name="contact-center-settings"),
    # agents (agent_views.py)
    path("contact-center/my-queues/", agent_views.my_queues, name="agent-queues"),
    # Asterisk's side of the agent codes (centrex-sub-agent in centrex_agents.conf).
    path("contact-center/agents/code/", agent_views.agent_code, name="agent-code"),
    # supervision (supervision.py)
    path("contact-center/supervision/", sv.overview, name="supervision"),
    path("contact-center/supervision/<int:queue_id>/", sv.queue_page, name="supervision-queue"),
    path("contact-center/supervision/<int:queue_id>/stream/", sv.queue_stream,
         name="supervision-stream"),
    path("contact-center/supervision/<int:queue_id>/wallboard/", sv.wallboard,
         name="supervision-wallboard"),
    path("contact-center/supervision/<int:queue_id>/wallboard/stream/", sv.wallboard_stream,
         name="supervision-wallboard-stream"),
    *[path(f"contact-center/supervision/<int:queue_id>/{action}/", sv.queue_action,
           {"action": action}, name=f"supervision-{action}") for action in sv.ACTIONS],
    # recordings (recording_views.py)
    path("contact-center/recordings/", recording_views.recording_list, name="recording-list"),
    path("contact-center/recordings/<int:pk>/audio/", recording_views.recording_audio,
         name="recording-audio"),
    path("contact-center/recordings/<int:pk>/delete/", recording_views.recording_delete,
         name="recording-delete"),
]
