"""French for the phone fields shared by the PBX services (call rights, call and pickup
groups, free seating, outbound caller ID, numbering) and the apps' names."""

FR = {
    "outbound caller ID": "numéro présenté",
    "Number shown on external calls of the department's users, unless the user has their "
    "own. Empty: the trunk's number.":
        "Numéro présenté sur les appels extérieurs des utilisateurs du service, sauf s'ils "
        "ont le leur. Vide : celui du trunk.",
    "Number shown on this user's external calls (a direct number). Empty: the "
    "department's.":
        "Numéro présenté sur les appels extérieurs de cet utilisateur (un numéro direct). "
        "Vide : celui du service.",
    "Enter a phone number: digits only, optionally starting with “+” (3 to 20).":
        "Entrez un numéro de téléphone : des chiffres seulement, éventuellement précédés "
        "de « + » (3 à 20).",
    "Shared features": "Services partagés",
    "Groups": "Groupes",
    "Trunks and routes": "Trunks et routes",
    "Internal": "Interne",
    "Services": "Services",
    "Local and national": "Local et national",
    "Mobile": "GSM",
    "International": "International",
    "number": "numéro",
    "description": "description",
    "pickup group": "groupe d'interception",
    "pickup groups": "groupes d'interception",
    "internal calls": "appels internes",
    "service numbers": "numéros de services",
    "local and national calls": "appels locaux et nationaux",
    "mobile calls": "appels GSM",
    "international calls": "appels internationaux",
    "Limited to the allowed countries of the settings.":
        "Limités aux pays autorisés dans les paramètres.",
    "call groups": "groupes d'appels",
    "Calls to this phone can be picked up by the phones of these groups.":
        "Les appels vers ce poste peuvent être interceptés par les postes de ces groupes.",
    "This phone can pick up calls ringing in these groups.":
        "Ce poste peut intercepter les appels qui sonnent dans ces groupes.",
    "free seating": "poste banalisé",
    "Any user may log in on this phone with *77*<extension>* and their voicemail PIN; while "
    "nobody is logged in it calls emergency numbers only.":
        "Tout utilisateur peut s'y connecter avec *77*<poste>* et son code de messagerie ; "
        "sans personne de connecté, il n'appelle que les numéros d'urgence.",
    "This number is already used by %(what)s.": "Ce numéro est déjà utilisé par %(what)s.",
    "a phone": "un poste",
    "Groups are numbered from 0 to 63.": "Les groupes sont numérotés de 0 à 63.",
}
FR["Call rights"] = "Droits d'appels"
FR.update({
    "Call groups": "Groupes d'appels",
    "Pickup groups": "Groupes d'interception",
    "Free seating": "Poste banalisé",
    "Emergency": "Urgences",
})
