from django.urls import path

from centrex.directory import views

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("directory/call/", views.call, name="directory-call"),
    path("directory/contacts/new/", views.contact_create, name="contact-create"),
    path("directory/contacts/import/", views.contact_import, name="contact-import"),
    path("directory/contacts/export/", views.contact_export, name="contact-export"),
    path("directory/contacts/<int:pk>/edit/", views.contact_edit, name="contact-edit"),
    path("directory/contacts/<int:pk>/delete/", views.contact_delete, name="contact-delete"),
    path("directory/phonebook/yealink.xml", views.phonebook_yealink,
         name="phonebook-yealink"),
    path("directory/phonebook/grandstream.xml", views.phonebook_grandstream,
         name="phonebook-grandstream"),
]
