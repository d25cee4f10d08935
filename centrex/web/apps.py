from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "centrex.web"
    label = "web"
