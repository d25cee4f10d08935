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
    # statistics (seeds/002 "Statistiques globales", "Statistiques des groupes d'appels")
    "short abandon (seconds)": "abandon court (secondes)",
    "A caller who hangs up within this many seconds of joining a queue is counted apart (a "
    "wrong number, an impatient caller), and left out of the service level.":
        "Un appelant qui raccroche dans ce nombre de secondes après être entré dans un groupe "
        "d'appels est compté à part (erreur de numéro, appelant impatient) et n'entre pas "
        "dans le niveau de service.",
    "Choose a period of ten years at most.": "Choisissez une période de dix ans au plus.",
    "Month in detail": "Mois en détail",
    "A month such as 2026-11.": "Un mois comme 2026-11.",
    "All departments": "Tous les services",
    "Dates below": "Dates ci-dessous",
    "Today": "Aujourd'hui",
    "Yesterday": "Hier",
    "This week": "Cette semaine",
    "Last week": "La semaine dernière",
    "This month": "Ce mois-ci",
    "Last month": "Le mois dernier",
    "This year": "Cette année",
    "Last year": "L'année dernière",
    "Global": "Globale",
    "Calls per queue": "Appels par groupe",
    "Abandons": "Abandons",
    "Distribution by weekday": "Distribution quotidienne",
    "Distribution by hour": "Distribution horaire",
    "Service per agent": "Service par agent",
    "Period": "Période",
    "None ticked: all of yours.": "Aucun coché : tous les vôtres.",
    "None chosen: every agent of the queues.": "Aucun choisi : tous les agents des groupes.",
    "Statistic": "Statistique",
    "Choose a period, or both dates.": "Choisissez une période, ou les deux dates.",
    "Calls per month": "Appels par mois",
    "Month": "Mois",
    "Calls per hour of the day": "Distribution horaire des appels",
    "Hours": "Tranche horaire",
    "Calls per day, %(month)s": "Distribution quotidienne des appels, %(month)s",
    "Day": "Jour",
    "Calls per hour, %(month)s": "Distribution horaire des appels, %(month)s",
    "Waiting time": "Attente",
    "Cumulative (%)": "Cumul (%)",
    "Calls received per queue": "Appels reçus par groupe",
    "Total": "Total",
    "Service level: answered calls by waiting time":
        "Niveau de service : appels traités par temps d'attente",
    "Service level per queue": "Niveau de service par groupe",
    "Threshold (s)": "Seuil (s)",
    "Answered within": "Traités dans le seuil",
    "Counted": "Comptés",
    "Service level (%)": "Niveau de service (%)",
    "Abandoned calls by waiting time": "Abandons par temps d'attente",
    "Short abandons": "Abandons courts",
    "Waiting less than (s)": "Attente de moins de (s)",
    "Hour": "Heure",
    "Pauses": "Pauses",
    "Pauses by reason": "Pauses par motif",
    "Talk time": "Durée de communication",
    "Average": "Moyenne",
    "Wrap-up": "Temps de réflexion",
    "Occupancy (%)": "Occupation (%)",
    "Queue statistics": "Statistiques des groupes d'appels",
    "Show": "Afficher",
    "No call in this period.": "Aucun appel sur cette période.",
    "Statistics": "Statistiques",
}
