"""French for trunks, outbound routes and inbound numbers: models, pages, API errors
(read by scripts/translate_fr.py)."""

FR = {
    "Unknown trunks: %(names)s": "Trunks inconnus : %(names)s",
    "For a registration. Never shown again; leave empty to keep the current one.":
        "Pour un enregistrement. Jamais réaffiché ; laissez vide pour garder l'actuel.",
    "First trunk": "Premier trunk",
    "Second trunk": "Deuxième trunk",
    "Tried when the first one fails or is full.":
        "Essayé quand le premier échoue ou est saturé.",
    "Third trunk": "Troisième trunk",
    "Fourth trunk": "Quatrième trunk",
    "No spaces, quotes, ';', '#', brackets or backslashes.":
        "Ni espace, ni guillemet, ni « ; », « # », crochet ou barre oblique inverse.",
    "A trunk appears twice in the route.": "Un trunk figure deux fois dans la route.",
    "Registration (user name and password)": "Enregistrement (identifiant et mot de passe)",
    "By address (the operator's IP)": "Par adresse (l'IP de l'opérateur)",
    "Internal number (phone, ring group...)": "Numéro interne (poste, groupe d'appel...)",
    "Voicemail of a phone": "Messagerie d'un poste",
    "host": "hôte",
    "transport": "transport",
    "authentication": "authentification",
    "operator addresses": "adresses de l'opérateur",
    "codecs": "codecs",
    "maximum simultaneous calls": "appels simultanés maximum",
    "default outbound number": "numéro présenté par défaut",
    "trunk": "trunk",
    "trunks": "trunks",
    "pattern": "motif",
    "digits to strip": "chiffres à retirer",
    "digits to prepend": "chiffres à ajouter devant",
    "outbound route": "route sortante",
    "outbound routes": "routes sortantes",
    "destination": "destination",
    "internal number": "numéro interne",
    "inbound number": "numéro entrant",
    "inbound numbers": "numéros entrants",
    "Give codecs among %(codecs)s, separated by commas, each once.":
        "Donnez des codecs parmi %(codecs)s, séparés par des virgules, chacun une fois.",
    "Give addresses such as 192.0.2.10, 192.0.2.0/24 or 192.0.2.10:5060, separated by "
    "commas.":
        "Donnez des adresses comme 192.0.2.10, 192.0.2.0/24 ou 192.0.2.10:5060, séparées par "
        "des virgules.",
    "Short identifier, e.g. operator-a (lowercase letters, digits, dashes).":
        "Identifiant court, par ex. operateur-a (minuscules, chiffres, tirets).",
    "The operator's SIP server (host name or IP address).":
        "Le serveur SIP de l'opérateur (nom d'hôte ou adresse IP).",
    "Addresses the operator calls from (IP, network, optional :port), separated by commas. "
    "Empty: the host and port above.":
        "Adresses d'où l'opérateur appelle (IP, réseau, :port facultatif), séparées par des "
        "virgules. Vide : l'hôte et le port ci-dessus.",
    "In order of preference, separated by commas (alaw, ulaw, g722...).":
        "Par ordre de préférence, séparés par des virgules (alaw, ulaw, g722...).",
    "0: no limit. A trunk at its limit is skipped by the outbound routes.":
        "0 : pas de limite. Un trunk à sa limite est sauté par les routes sortantes.",
    "Shown on outgoing calls of users without an outbound caller ID of their own or of "
    "their department.":
        "Présenté sur les appels sortants des utilisateurs sans numéro présenté propre ni de "
        "leur service.",
    "What the phones dial, e.g. 0Z. (national), 00. (international), 06XXXXXXXX. X = any "
    "digit, Z = 1-9, N = 2-9, final . = more digits.":
        "Ce que composent les postes, par ex. 0Z. (national), 00. (international), "
        "06XXXXXXXX. X = un chiffre, Z = 1-9, N = 2-9, . final = d'autres chiffres.",
    "Removed from the start of the number before it goes out.":
        "Retirés du début du numéro avant qu'il sorte.",
    "Added in front of the number (after stripping).":
        "Ajoutés devant le numéro (après le retrait).",
    "As the operator sends it, e.g. 0155003201 or +33155003201.":
        "Tel que l'opérateur l'envoie, par ex. 0155003201 ou +33155003201.",
    "The extension (phone, ring group, conference room...) or the phone whose voicemail "
    "takes the calls.":
        "Le numéro interne (poste, groupe d'appel, salle de conférence...) ou le poste dont la "
        "messagerie prend les appels.",
    "Another route already has this pattern.": "Une autre route a déjà ce motif.",
    "This number is already routed.": "Ce numéro est déjà routé.",
    "Lowercase letters, digits and dashes, up to 31 characters.":
        "Minuscules, chiffres et tirets, 31 caractères au plus.",
    "A host name or an IP address.": "Un nom d'hôte ou une adresse IP.",
    "Letters, digits and _ . + - only.": "Lettres, chiffres et _ . + - seulement.",
    "A registration needs a user name and a password.":
        "Un enregistrement demande un identifiant et un mot de passe.",
    "Digits, X (any digit), Z (1-9), N (2-9), [1-5], and an optional final . (more "
    "digits).":
        "Chiffres, X (un chiffre), Z (1-9), N (2-9), [1-5], et un . final facultatif "
        "(d'autres chiffres).",
    "Digits, *, # and + only.": "Chiffres, *, # et + seulement.",
    "No phone with this extension has a voicemail box.":
        "Aucun poste de ce numéro n'a de messagerie.",
    "No phone, ring group or conference room has this number.":
        "Aucun poste, groupe d'appels ou salle de conférence n'a ce numéro.",
    "Give at least one trunk.": "Donnez au moins un trunk.",
    "Host": "Hôte",
    "Authentication": "Authentification",
    "Codecs": "Codecs",
    "Maximum calls": "Appels maximum",
    "Default number": "Numéro par défaut",
    "Delete the trunk %(name)s?": "Supprimer le trunk %(name)s ?",
    "Pattern": "Motif",
    "Strip": "Retirer",
    "Prepend": "Ajouter devant",
    "Trunks, in order": "Trunks, dans l'ordre",
    "Destination": "Destination",
    "Internal number": "Numéro interne",
    "Trunks": "Trunks",
    "New trunk": "Nouveau trunk",
    "The trunk has been saved.": "Le trunk a été enregistré.",
    "Outbound routes": "Routes sortantes",
    "New route": "Nouvelle route",
    "The route has been saved.": "La route a été enregistrée.",
    "Inbound numbers": "Numéros entrants",
    "New inbound number": "Nouveau numéro entrant",
    "The inbound number has been saved.": "Le numéro entrant a été enregistré.",
    "It leaves the routes that use it: %(routes)s.":
        "Il quitte les routes qui l'utilisent : %(routes)s.",
    "Delete the route %(name)s? Numbers matching %(pattern)s can no longer be dialled.":
        "Supprimer la route %(name)s ? Les numéros correspondant à %(pattern)s ne pourront "
        "plus être composés.",
    "Delete the inbound number %(name)s? Calls to it will be refused.":
        "Supprimer le numéro entrant %(name)s ? Les appels vers lui seront refusés.",
}
