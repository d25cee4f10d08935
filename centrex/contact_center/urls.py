"""URLs of the contact center. Each part keeps its views in its own module:
queues and pause reasons (views), agents (agent_views), supervision (supervision),
recordings (recording_views)."""




urlpatterns: list = [
    # queues and pause reasons (views.py)
    # agents (agent_views.py)
    # supervision (supervision.py)
    # recordings (recording_views.py)
]
