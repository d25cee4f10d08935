"""URLs of the contact center. Each part keeps its views in its own module:
queues and pause reasons (views), agents (agent_views), supervision (supervision),
recordings (recording_views)."""

from django.urls import path

from centrex.contact_center import agent_views, recording_views

urlpatterns: list = [
    # queues and pause reasons (views.py)
    # agents (agent_views.py)
    path("contact-center/my-queues/", agent_views.my_queues, name="agent-queues"),
    # Asterisk's side of the agent codes (centrex-sub-agent in centrex_agents.conf).
    path("contact-center/agents/code/", agent_views.agent_code, name="agent-code"),
    # supervision (supervision.py)
    # recordings (recording_views.py)
    path("contact-center/recordings/", recording_views.recording_list, name="recording-list"),
    path("contact-center/recordings/<int:pk>/audio/", recording_views.recording_audio,
         name="recording-audio"),
    path("contact-center/recordings/<int:pk>/delete/", recording_views.recording_delete,
         name="recording-delete"),
]
