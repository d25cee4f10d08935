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
    # billing (seeds/002 "Facturation")
    # amounts typed by people (tariff.parse_amount)
    "Type an amount, such as 0.15.": "Saisissez un montant, par exemple 0,15.",
    "An amount cannot be negative (got “%(value)s”).":
        "Un montant ne peut pas être négatif (reçu « %(value)s »).",
    "“%(value)s” is not an amount: digits with a point or a comma, such as 0.15 or 0,0125.":
        "« %(value)s » n'est pas un montant : des chiffres avec un point ou une virgule, "
        "par exemple 0,15 ou 0,0125.",
    "Four decimals at most (got “%(value)s”).":
        "Quatre décimales au plus (reçu « %(value)s »).",
    "At most %(max)s (got “%(value)s”).": "%(max)s au plus (reçu « %(value)s »).",
    "A number of seconds from 1 to 3600, got “%(value)s”.":
        "Un nombre de secondes de 1 à 3600, reçu « %(value)s ».",
    "A prefix is made of 1 to 15 digits, got “%(value)s”.":
        "Un préfixe comporte de 1 à 15 chiffres, reçu « %(value)s ».",
    "The prefix %(prefix)s is already on line %(line)s.":
        "Le préfixe %(prefix)s est déjà à la ligne %(line)s.",
    "A zone is a name of 1 to 60 printable characters.":
        "Une zone est un nom de 1 à 60 caractères imprimables.",
    "The zone “%(zone)s” has other prices on line %(line)s.":
        "La zone « %(zone)s » a d'autres prix à la ligne %(line)s.",
    "Summary per phone": "Récapitulatif par poste",
    "Detail per call": "Détail par appel",
    "Tariff file (CSV or XLSX)": "Fichier de tarifs (CSV ou XLSX)",
    "Columns prefix, zone, peak, offpeak, and if needed setup, minimum, first_increment, "
    "increment, forbidden. It replaces the plan's zones.":
        "Colonnes prefix, zone, peak, offpeak, et si besoin setup, minimum, "
        "first_increment, increment, forbidden. Il remplace les zones du plan.",
    "Report": "Rapport",
    "Extensions separated by commas; empty: all.":
        "Postes séparés par des virgules ; vide : tous.",
    "Extensions are digits, separated by commas.":
        "Les postes sont des chiffres, séparés par des virgules.",
    "Choose a month, or both dates.": "Choisissez un mois, ou les deux dates.",
    "Zone": "Zone",
    "Cost excl. VAT": "Coût HT",
    "Cost incl. VAT": "Coût TTC",
    "Name (phone)": "Nom (poste)",
    "No department": "Sans service",
    "DEPARTMENT TOTAL": "TOTAL SERVICE",
    "TOTAL": "TOTAL",
    "Billing": "Facturation",
    "Currency": "Devise",
    "VAT (%)": "TVA (%)",
    "Zones": "Zones",
    "Prefixes": "Préfixes",
    "In force": "En vigueur",
    "New rate plan": "Nouveau plan tarifaire",
    "Calls without a rate": "Appels sans tarif",
    "Price again": "Recalculer les coûts",
    "Rate plans": "Plans tarifaires",
    "The rate plan has been created: import its zones.":
        "Le plan tarifaire a été créé : importez ses zones.",
    "The rate plan has been saved.": "Le plan tarifaire a été enregistré.",
    "Imported: %(zones)s zones, %(prefixes)s prefixes.":
        "Importé : %(zones)s zones, %(prefixes)s préfixes.",
    "The rate plan has been deleted.": "Le plan tarifaire a été supprimé.",
    "Delete the rate plan “%(name)s”? Calls already priced keep their cost.":
        "Supprimer le plan tarifaire « %(name)s » ? Les appels déjà valorisés gardent leur "
        "coût.",
    "Why": "Pourquoi",
    "No rate plan is in force.": "Aucun plan tarifaire n'est en vigueur.",
    "%(count)s calls priced again with the plan in force.":
        "%(count)s appels valorisés de nouveau avec le plan en vigueur.",
    "Not billed": "Non facturé",
    "Priced": "Valorisé",
    "No matching rate": "Aucun tarif ne correspond",
    "Forbidden destination": "Destination interdite",
    "pricing": "valorisation",
    "zone": "zone",
    "cost excl. VAT": "coût HT",
    "cost incl. VAT": "coût TTC",
    "currency": "devise",
    "Three capital letters (ISO 4217).": "Trois lettres majuscules (ISO 4217).",
    "peak hours from": "heures pleines de",
    "peak hours until": "heures pleines jusqu'à",
    "holidays are off-peak": "jours fériés en heures creuses",
    "peak days": "jours à heures pleines",
    "Weekdays are 0 (Monday) to 6 (Sunday).": "Les jours vont de 0 (lundi) à 6 (dimanche).",
    "The days with peak hours; the other days are off-peak all day.":
        "Les jours qui ont des heures pleines ; les autres jours sont en heures creuses toute "
        "la journée.",
    "The holidays of the calendars are billed at the off-peak price.":
        "Les jours fériés des calendriers sont facturés au tarif des heures creuses.",
    "in force": "en vigueur",
    "The plan that prices new calls (one at a time).":
        "Le plan qui valorise les nouveaux appels (un seul à la fois).",
    "rate plan": "plan tarifaire",
    "rate plans": "plans tarifaires",
    "peak price per minute": "prix par minute en heures pleines",
    "off-peak price per minute": "prix par minute en heures creuses",
    "connection charge": "frais de connexion",
    "minimum charge": "montant minimum",
    "first step (s)": "premier palier (s)",
    "then steps of (s)": "puis paliers de (s)",
    "forbidden": "interdit",
    "The cost of answered outgoing calls: your own, your department's for a department "
    "head, everybody's for management, accounting and administrators.":
        "Le coût des appels sortants aboutis : les vôtres, ceux du service pour un chef de "
        "service, ceux de tous pour la direction, la comptabilité et les administrateurs.",
    "From %(since)s to %(until)s": "Du %(since)s au %(until)s",
    "Export PDF": "Export PDF",
    "Made on %(when)s.": "Établi le %(when)s.",
    "Prices in %(currency)s excl. VAT (%(vat)s %% VAT); peak hours on %(days)s from "
    "%(start)s to %(end)s, off-peak otherwise.":
        "Prix en %(currency)s HT (TVA %(vat)s %%) ; heures pleines les %(days)s de "
        "%(start)s à %(end)s, heures creuses sinon.",
    "Prices in %(currency)s excl. VAT (%(vat)s %% VAT); no peak hours: off-peak all the "
    "time.":
        "Prix en %(currency)s HT (TVA %(vat)s %%) ; pas d'heures pleines : heures creuses "
        "en permanence.",
    "Line %(line)s, column “%(column)s”: %(message)s":
        "Ligne %(line)s, colonne « %(column)s » : %(message)s",
    "Line %(line)s: %(message)s": "Ligne %(line)s : %(message)s",
    "More cells than the header has columns (with “,” as separator, write decimal commas "
    "between quotes).":
        "Plus de cellules que l'en-tête n'a de colonnes (avec « , » comme séparateur, "
        "écrivez les virgules décimales entre guillemets).",
    "Nothing was imported: correct the file and send it again.":
        "Rien n'a été importé : corrigez le fichier et envoyez-le de nouveau.",
    "Peak per minute": "Heures pleines par minute",
    "Off-peak per minute": "Heures creuses par minute",
    "Connection": "Connexion",
    "Minimum": "Minimum",
    "Steps (s)": "Paliers (s)",
    "Forbidden": "Interdit",
    "No zone yet: import a tariff file.": "Aucune zone : importez un fichier de tarifs.",
    "A rate plan is a table of zones (international by country, national, mobile, premium, "
    "forbidden…) with their prices, and the prefixes of the numbers that lead to them. The "
    "plan in force prices each answered outgoing call once, when it is recorded.":
        "Un plan tarifaire est une table de zones (international par pays, national, mobile, "
        "surtaxé, interdit…) avec leurs prix, et les préfixes des numéros qui y mènent. Le "
        "plan en vigueur valorise chaque appel sortant abouti une fois, quand il est "
        "enregistré.",
}

PLURALS = {
    "%(counter)s prefix.": ("%(counter)s préfixe.", "%(counter)s préfixes."),
}
