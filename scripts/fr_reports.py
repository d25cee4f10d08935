"""French for the reports (centrex/reports): call log, settings; read by
scripts/translate_fr.py."""

FR = {
    "Reports": "Rapports",
    "Any": "Indifférent",
    "Time ± 30 min": "Heure ± 30 min",
    # Call states, as the seeds' call log says them ("Communication", "Pas de réponse").
    "call state\x04Answered": "Communication",
    "call state\x04Voicemail": "Messagerie",
    "call state\x04No answer": "Pas de réponse",
    "call state\x04Busy": "Occupé",
    "call state\x04Failed": "Échec",
    "Incoming": "Entrant",
    "Outgoing": "Sortant",
    "state": "état",
    "answered by": "répondu par",
    "duration": "durée",
    "Talk time in seconds.": "Durée de communication en secondes.",
    "call": "appel",
    "calls": "appels",
    "hidden digits of outside numbers": "chiffres masqués des numéros extérieurs",
    "The call log shows outside numbers with this many last digits replaced by * (0: in "
    "full), on the page, in exports and in the API.":
        "Le journal des appels affiche les numéros extérieurs avec ce nombre de derniers "
        "chiffres remplacés par * (0 : en entier), sur la page, dans les exports et dans "
        "l'API.",
    "report settings": "paramètres des rapports",
    "Calls made and received, current to the second. Filter by number, type, state, days "
    "and a time of day (± 30 minutes); the exports hold exactly the calls the filters "
    "select.":
        "Appels émis et reçus, à jour à la seconde près. Filtrez par numéro, type, état, "
        "jours et heure de la journée (± 30 minutes) ; les exports contiennent exactement "
        "les appels sélectionnés par les filtres.",
    "Report settings": "Paramètres des rapports",
    "Date / time": "Date / heure",
    "Answered by": "Répondu par",
    "Recording": "Enregistrement",
    "Call log": "Journal des appels",
    "The report settings have been saved.": "Les paramètres des rapports ont été enregistrés.",
    # queue visits
    "Dissuaded": "Dissuadés",
    "Closed": "Fermés",
    "outcome": "issue",
    "waiting time": "temps d'attente",
    "talk time": "temps de communication",
    "Outside them, callers go to the destination above at once, counted as “closed” in the "
    "statistics. Empty: always open.":
        "En dehors, les appelants vont aussitôt vers la destination ci-dessus, comptés comme "
        "« fermé » dans les statistiques. Vide : toujours ouvert.",
    "Used by the queues: %(names)s.": "Utilisé par les groupes d'appels : %(names)s.",
}
