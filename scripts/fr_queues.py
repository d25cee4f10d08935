"""French for the queues, pause reasons and contact-center settings, and the models of the
contact center (centrex/contact_center: models, forms, views, services), read by
scripts/translate_fr.py."""

FR = {
    # app, menu
    "Contact center": "Centre de contacts",
    "Queues": "Groupes d'appels",
    "Pause reasons": "Motifs de pause",
    # models: conditions of joinempty / leavewhenempty
    "all agents paused": "tous les agents en pause",
    "agents only above the penalty limit": "agents seulement au-delà de la pénalité admise",
    "all agents in a call": "tous les agents en communication",
    "all agents ringing": "tous les agents en train de sonner",
    "agents' phones unavailable": "postes des agents injoignables",
    "agents' phones invalid": "postes des agents invalides",
    "agents' phones in an unknown state": "postes des agents dans un état inconnu",
    "all agents in wrap-up": "tous les agents en temps de réflexion",
    "A queue name is 1 to 40 letters, digits, “_” or “-”, starting with a letter "
    "(got “%(value)s”).":
        "Un nom de groupe d'appels compte 1 à 40 lettres, chiffres, « _ » ou « - », et "
        "commence par une lettre (reçu « %(value)s »).",
    "A sound or music class is a name made of letters, digits, “_”, “-” and “/” "
    "(got “%(value)s”).":
        "Un son ou une classe de musique est un nom fait de lettres, chiffres, « _ », « - » "
        "et « / » (reçu « %(value)s »).",
    "Unknown or repeated condition: %(value)s.": "Condition inconnue ou répétée : %(value)s.",
    # models: strategies and choices
    "Ring all agents": "Tous les agents en même temps",
    "Least recently called": "Agent appelé le moins récemment",
    "Fewest calls": "Agent ayant pris le moins d'appels",
    "Random": "Au hasard",
    "Round robin with memory": "Chacun son tour (avec mémoire)",
    "Linear (in order)": "Dans l'ordre",
    "Weighted random (by penalty)": "Au hasard pondéré (par pénalité)",
    "No": "Non",
    "Yes": "Oui",
    "Once": "Une fois",
    "Only beyond a limit": "Seulement au-delà d'un seuil",
    "Only up to a limit": "Seulement jusqu'à un seuil",
    # models: queue fields
    "A queue with this name exists.": "Un groupe d'appels porte déjà ce nom.",
    "The internal number callers, inbound numbers and ring groups reach the queue on.":
        "Le numéro interne par lequel appelants, numéros entrants et groupes de sonnerie "
        "joignent le groupe d'appels.",
    "call distribution": "distribution des appels",
    "music on hold": "musique d'attente",
    "agent announcement": "annonce agent",
    "A sound played to the agent before the caller is connected.":
        "Un son joué à l'agent avant la mise en relation avec l'appelant.",
    "How long an agent's phone rings before the queue tries again.":
        "Durée de sonnerie du poste d'un agent avant un nouvel essai.",
    "retry delay (seconds)": "délai avant nouvel essai (secondes)",
    "wrap-up time (seconds)": "temps de réflexion (secondes)",
    "Time given to an agent after each call before the next one.":
        "Temps laissé à l'agent après chaque appel avant le suivant.",
    "announce frequency (seconds)": "fréquence d'annonce (secondes)",
    "How often callers hear their position or waiting time; 0: never.":
        "Intervalle auquel l'appelant entend sa position ou son temps d'attente ; 0 : jamais.",
    "minimum announce frequency (seconds)": "fréquence d'annonce minimale (secondes)",
    "announce waiting time": "annonce temps d'attente",
    "announce position": "annonce position",
    "maximum waiting callers": "nombre maximal d'appelants en attente",
    "0: no limit. Callers beyond it go to the destination below.":
        "0 : sans limite. Les appelants en surnombre vont vers la destination ci-dessous.",
    "maximum waiting time (seconds)": "temps d'attente maximal (secondes)",
    "0: no limit. After it the caller goes to the destination below.":
        "0 : sans limite. Au-delà, l'appelant va vers la destination ci-dessous.",
    "when the caller cannot be served": "quand l'appelant ne peut être servi",
    "refuse new callers when": "refuser les nouveaux appelants quand",
    "Conditions, all agents considered (queues.conf joinempty).":
        "Conditions, pour l'ensemble des agents (joinempty de queues.conf).",
    "send waiting callers away when": "faire sortir les appelants en attente quand",
    "Conditions, all agents considered (queues.conf leavewhenempty).":
        "Conditions, pour l'ensemble des agents (leavewhenempty de queues.conf).",
    "service level threshold (seconds)": "seuil de qualité de service (secondes)",
    "A call answered within this wait counts as served in time.":
        "Un appel décroché dans ce délai compte comme servi à temps.",
    "record calls": "enregistrer les appels",
    "weight": "poids",
    "An agent in several queues serves the heavier queue first.":
        "Un agent de plusieurs groupes d'appels sert d'abord le plus lourd.",
    "pause an agent after a missed call": "mettre en pause l'agent après un appel manqué",
    "queue": "groupe d'appels",
    "queues": "groupes d'appels",
    "A queue cannot overflow to itself.":
        "Un groupe d'appels ne peut pas déborder vers lui-même.",
    # models: pause reasons, agents, recordings, settings
    "This reason exists already.": "Ce motif existe déjà.",
    "code": "code",
    "One or two digits.": "Un ou deux chiffres.",
    "This code is already used.": "Ce code est déjà utilisé.",
    "One or two digits, dialled after *46 to pause with this reason.":
        "Un ou deux chiffres, composés après *46 pour se mettre en pause avec ce motif.",
    "offered to agents": "proposé aux agents",
    "pause reason": "motif de pause",
    "pause reasons": "motifs de pause",
    "agent": "agent",
    "agents": "agents",
    "penalty": "pénalité",
    "Agents with a lower penalty get the calls first.":
        "Les agents de plus faible pénalité reçoivent les appels en premier.",
    "logged in": "connecté",
    "logged in since": "connecté depuis",
    "paused": "en pause",
    "paused since": "en pause depuis",
    "recorded by": "enregistré par",
    "caller": "appelant",
    "call id": "identifiant d'appel",
    "file": "fichier",
    "date": "date",
    "duration (seconds)": "durée (secondes)",
    "recording": "enregistrement",
    "recordings": "enregistrements",
    "keep recordings for (days)": "conserver les enregistrements (jours)",
    "Older recordings are deleted, files and list entries.":
        "Les enregistrements plus anciens sont supprimés, fichiers et entrées de la liste.",
    "contact center settings": "réglages du centre de contacts",
    "a queue": "un groupe d'appels",
    # services
    "“%(name)s” is reserved by Asterisk.": "« %(name)s » est réservé par Asterisk.",
    "Agent of the queue %(name)s": "Agent du groupe d'appels %(name)s",
    "Supervisor of the queue %(name)s": "Superviseur du groupe d'appels %(name)s",
    # forms
    "Refuse new callers when": "Refuser les nouveaux appelants quand",
    "Callers are then sent to the destination below at once.":
        "Les appelants vont alors tout de suite vers la destination ci-dessous.",
    "Send waiting callers away when": "Faire sortir les appelants en attente quand",
    "Waiting callers then go to the destination below.":
        "Les appelants en attente vont alors vers la destination ci-dessous.",
    "Letters, digits, “_” and “-”; also names the queue's profiles (AG name: agents, "
    "SV name: supervisors).":
        "Lettres, chiffres, « _ » et « - » ; nomme aussi les profils du groupe d'appels "
        "(AG nom : agents, SV nom : superviseurs).",
    "A music-on-hold class of Asterisk (musiconhold.conf).":
        "Une classe de musique d'attente d'Asterisk (musiconhold.conf).",
    "A sound file name without extension, e.g. beep.":
        "Un nom de fichier son sans extension, par exemple beep.",
    # views
    "Call distribution": "Distribution des appels",
    "Agents logged in": "Agents connectés",
    "Recorded": "Enregistré",
    "When the caller cannot be served": "Quand l'appelant ne peut être servi",
    "New queue": "Nouveau groupe d'appels",
    "Edit the queue %(name)s": "Modifier le groupe d'appels %(name)s",
    "The queue “%(name)s” has been saved; its profiles are AG %(name)s (agents) and "
    "SV %(name)s (supervisors).":
        "Le groupe d'appels « %(name)s » est enregistré ; ses profils sont AG %(name)s "
        "(agents) et SV %(name)s (superviseurs).",
    "The queue “%(name)s” has been deleted.": "Le groupe d'appels « %(name)s » est supprimé.",
    "Delete the queue %(name)s": "Supprimer le groupe d'appels %(name)s",
    "Delete the queue “%(name)s”? Calls to %(number)s will fail, its agents are logged out "
    "and its profiles AG %(name)s and SV %(name)s are removed.":
        "Supprimer le groupe d'appels « %(name)s » ? Les appels vers %(number)s échoueront, "
        "ses agents sont déconnectés et ses profils AG %(name)s et SV %(name)s supprimés.",
    "Code": "Code",
    "Offered to agents": "Proposé aux agents",
    "New pause reason": "Nouveau motif de pause",
    "Edit the pause reason %(name)s": "Modifier le motif de pause %(name)s",
    "Delete the pause reason “%(name)s”? Agents paused with it stay paused, without a "
    "reason.":
        "Supprimer le motif de pause « %(name)s » ? Les agents en pause avec ce motif "
        "restent en pause, sans motif.",
    "The contact-center settings have been saved.":
        "Les réglages du centre de contacts sont enregistrés.",
    "Contact-center settings": "Réglages du centre de contacts",
}
