"""French for the voice applications' models, scenario rules and menu (centrex/ivr
models/applications.py, scenario.py, application_setup.py), read by scripts/translate_fr.py."""

FR = {
    # menu, app, numbering plan
    "Voice applications": "Applications vocales",
    "Applications": "Applications (SVI)",
    "Opening hours": "Horaires d'ouverture",
    "Holidays": "Jours fériés",
    "Incidents": "Incidents",
    "Web services": "Services web",
    "an application": "une application",
    # models
    "Call rights among %(names)s, separated by commas.":
        "Droits d'appel parmi %(names)s, séparés par des virgules.",
    "URL": "URL",
    "An http:// or https:// address without query, quotes or spaces.":
        "Une adresse http:// ou https:// sans paramètres, guillemets ni espaces.",
    "timeout (s)": "délai (s)",
    "web service": "service web",
    "web services": "services web",
    "An application already has this name.": "Une application porte déjà ce nom.",
    "This number is already used.": "Ce numéro est déjà utilisé.",
    "active": "active",
    "Empty: active now.": "Vide : active dès maintenant.",
    "until": "jusqu'au",
    "Empty: no end.": "Vide : sans fin.",
    "call rights": "droits d'appel",
    "Classes of outside numbers the application may transfer to.":
        "Catégories de numéros extérieurs vers lesquels l'application peut transférer.",
    "scenario": "scénario",
    "revision": "révision",
    "application": "application",
    "applications": "applications",
    # scenario: actions and their fields
    "Play a prompt": "Jouer un message",
    "prompt": "message",
    "keys": "touches",
    "wait for a key (s)": "attente d'une touche (s)",
    "replays": "répétitions",
    "prompt on a wrong key": "message sur une touche erronée",
    "no key after the replays": "aucune touche après les répétitions",
    "wrong key after the replays": "touche erronée après les répétitions",
    "Plays the prompt and waits for one key; a wrong key or no key replays it.":
        "Joue le message et attend une touche ; une touche erronée ou aucune touche le "
        "rejoue.",
    "Menu": "Menu",
    "Read digits": "Saisir des chiffres",
    "into the variable": "dans la variable",
    "at most (digits)": "au plus (chiffres)",
    "wait (s)": "attente (s)",
    "Test a variable": "Tester une variable",
    "variable": "variable",
    "test": "test",
    "value": "valeur",
    "if true, go to": "si vrai, aller à",
    "Jumps when the test holds; otherwise the next action runs.":
        "Saute si le test est vrai ; sinon l'action suivante s'exécute.",
    "Test opening hours": "Tester les horaires d'ouverture",
    "if closed, go to": "si fermé, aller à",
    "on a holiday, go to": "un jour férié, aller à",
    "on an exceptional closure, go to": "en fermeture exceptionnelle, aller à",
    "Open: the next action runs.": "Ouvert : l'action suivante s'exécute.",
    "Test a holiday": "Tester un jour férié",
    "Test an incident": "Tester un incident",
    "if in progress, go to": "si en cours, aller à",
    "Transfer": "Transférer",
    "destination": "destination",
    "To an extension, a ring group, a queue, an application (internal number) or an outside "
    "number (the application's call rights apply).":
        "Vers un poste, un groupe de postes, un groupe d'appels, une application (numéro "
        "interne) ou un numéro extérieur (selon les droits d'appel de l'application).",
    "Voicemail": "Messagerie vocale",
    "voicemail of the extension": "messagerie du poste",
    "Conference room": "Salle de conférence",
    "room number": "numéro de la salle",
    "Hang up": "Raccrocher",
    "Set a variable": "Affecter une variable",
    "Call a web service": "Appeler un service web",
    "variables sent": "variables envoyées",
    "answer into the variable": "réponse dans la variable",
    "on error or timeout, go to": "en cas d'erreur ou de délai dépassé, aller à",
    "GET request; the first line of the answer goes into the variable.":
        "Requête GET ; la première ligne de la réponse va dans la variable.",
    "Loop": "Boucle",
    "go back to": "revenir à",
    "times at most": "fois au plus",
    "Jumps at most that many times in a call, then the next action runs.":
        "Saute au plus ce nombre de fois par appel, puis l'action suivante s'exécute.",
    "Go to": "Aller à",
    "block or label": "bloc ou étiquette",
    "Say digits": "Énoncer des chiffres",
    "of the variable": "de la variable",
    "or these digits": "ou ces chiffres",
    "A variable or digits.": "Une variable ou des chiffres.",
    "Record a message": "Enregistrer un message",
    "file name into the variable": "nom du fichier dans la variable",
    "at most (s)": "au plus (s)",
    "Trace for the statistics": "Tracer pour les statistiques",
    "event": "événement",
    "queue": "groupe d'appels",
    "details": "détails",
    "Writes an event in queue_log, e.g. CLOSED or DISSUADED.":
        "Écrit un événement dans queue_log, par exemple CLOSED ou DISSUADED.",
    "opening hours": "horaires d'ouverture",
    "incident": "incident",
    # scenario: validation
    "A scenario is an object with a list of blocks.":
        "Un scénario est un objet avec une liste de blocs.",
    "A scenario has 1 to %(max)s blocks.": "Un scénario a de 1 à %(max)s blocs.",
    "Two blocks are named “%(id)s”.": "Deux blocs s'appellent « %(id)s ».",
    "The scenario needs the block “%(id)s”, where calls start.":
        "Le scénario doit avoir le bloc « %(id)s », où commencent les appels.",
    "Block %(n)s is not an object.": "Le bloc %(n)s n'est pas un objet.",
    "Block %(n)s: an identifier is lowercase letters, digits and _, starting with a letter "
    "(up to 30).":
        "Bloc %(n)s : un identifiant est fait de minuscules, chiffres et _, et commence par "
        "une lettre (30 au plus).",
    "The block's name is up to 60 printable characters.":
        "Le nom du bloc a au plus 60 caractères imprimables.",
    "A block has 1 to %(max)s actions.": "Un bloc a de 1 à %(max)s actions.",
    "A label is lowercase letters, digits and _, starting with a letter (up to 20).":
        "Une étiquette est faite de minuscules, chiffres et _, et commence par une lettre "
        "(20 au plus).",
    "Two actions of this block carry the label “%(label)s”.":
        "Deux actions de ce bloc portent l'étiquette « %(label)s ».",
    "Choose where to go.": "Choisissez où aller.",
    "There is no block “%(id)s”.": "Il n'y a pas de bloc « %(id)s ».",
    "The block “%(id)s” has no label “%(label)s”.":
        "Le bloc « %(id)s » n'a pas d'étiquette « %(label)s ».",
    "Unknown action.": "Action inconnue.",
    "Unknown field “%(field)s”.": "Champ inconnu « %(field)s ».",
    "This field is required.": "Ce champ est obligatoire.",
    "A comment is up to 200 characters.": "Un commentaire a au plus 200 caractères.",
    "Give a variable or digits.": "Indiquez une variable ou des chiffres.",
    "Comparing needs a whole number.": "Une comparaison demande un nombre entier.",
    "An outside number is 2 to 20 digits with an optional +.":
        "Un numéro extérieur a de 2 à 20 chiffres, avec un + facultatif.",
    "No phone, ring group, queue, application or conference room has the number "
    "%(number)s.":
        "Aucun poste, groupe de postes, groupe d'appels, application ni salle de conférence "
        "n'a le numéro %(number)s.",
    "Give at least one key with its target.": "Indiquez au moins une touche et sa cible.",
    "A key is a digit or *, not “%(key)s”.": "Une touche est un chiffre ou *, pas « %(key)s ».",
    "Key %(key)s: %(problem)s": "Touche %(key)s : %(problem)s",
    "This choice does not exist (any more).": "Ce choix n'existe pas (ou plus).",
    "A whole number from %(low)s to %(high)s.": "Un nombre entier de %(low)s à %(high)s.",
    "Not one of the choices.": "Ce n'est pas l'un des choix.",
    "Up to 10 variable names.": "Jusqu'à 10 noms de variables.",
    "A variable is capital letters, digits and _, starting with a letter (up to 20).":
        "Une variable est faite de majuscules, chiffres et _, et commence par une lettre "
        "(20 au plus).",
    "Up to 60 letters, digits, spaces and _ . + * # @ / -.":
        "Jusqu'à 60 lettres, chiffres, espaces et _ . + * # @ / -.",
    "Digits, * and # only.": "Chiffres, * et # seulement.",
    "Capital letters, digits and _, starting with a letter.":
        "Majuscules, chiffres et _, en commençant par une lettre.",
    "A number is digits with an optional +.": "Un numéro est fait de chiffres, avec un + "
                                             "facultatif.",
    "No phone with this extension has a voicemail box.":
        "Aucun poste de ce numéro n'a de messagerie vocale.",
    "No conference room has this number.": "Aucune salle de conférence n'a ce numéro.",
    "Unknown field.": "Champ inconnu.",
    "No action leads to the block “%(name)s”.": "Aucune action ne mène au bloc « %(name)s ».",
    "The end must be after the start.": "La fin doit être après le début.",
}
