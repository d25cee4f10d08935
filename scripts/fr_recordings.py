"""French for the recordings of queue calls: the list page, playing and deleting, on-demand
recording by a supervisor (read by scripts/translate_fr.py)."""

FR = {
    # list page
    "Recordings": "Enregistrements",
    "Queue": "Groupe d'appels",
    "Agent": "Agent",
    "Recorded by": "Enregistré par",
    "the queue": "le groupe d'appels",
    "Duration": "Durée",
    "Listen": "Écouter",
    "in progress": "en cours",
    "Queue calls recorded because their queue records every call, or on demand by a "
    "supervisor. Older recordings are deleted after the retention period of the contact "
    "center settings.":
        "Appels des groupes d'appels enregistrés parce que leur groupe enregistre tous les "
        "appels, ou à la demande d'un superviseur. Les enregistrements plus anciens que la "
        "durée de conservation des réglages du centre de contacts sont supprimés.",
    "No Asterisk is configured yet, so the recordings' files cannot be read.":
        "Aucun Asterisk n'est encore configuré : les fichiers des enregistrements ne "
        "peuvent pas être lus.",
    "The file of this recording no longer exists.":
        "Le fichier de cet enregistrement n'existe plus.",
    # deletion
    "Delete a recording": "Supprimer un enregistrement",
    "Delete the recording of %(queue)s (%(agent)s, %(date)s)? The file is deleted too; it "
    "cannot be recovered.":
        "Supprimer l'enregistrement de %(queue)s (%(agent)s, %(date)s) ? Le fichier est "
        "supprimé aussi ; il ne pourra pas être récupéré.",
    "The recording has been deleted.": "L'enregistrement a été supprimé.",
    # on demand
    "%(agent)s's call is already being recorded.":
        "L'appel de %(agent)s est déjà en cours d'enregistrement.",
    "%(agent)s is not in a call of the queue %(queue)s.":
        "%(agent)s n'est pas en communication avec un appelant de %(queue)s.",
    "Asterisk did not answer: %(error)s": "Asterisk n'a pas répondu : %(error)s",
    "Asterisk did not start the recording: %(error)s":
        "Asterisk n'a pas démarré l'enregistrement : %(error)s",
    "This agent's call is not being recorded.":
        "L'appel de cet agent n'est pas en cours d'enregistrement.",
}
