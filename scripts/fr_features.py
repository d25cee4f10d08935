"""French for hot desking, conference rooms and call parking: the models, the pages and the
help lines of their codes (read by scripts/translate_fr.py)."""

FR = {
    # menu and app
    "Shared features": "Fonctions partagées",
    "Free seating": "Bureaux partagés",
    "Conference rooms": "Salles de conférence",
    "Parked calls": "Appels parqués",
    # numbering plan
    "a conference room": "une salle de conférence",
    "call parking": "le parcage d'appels",
    # codes
    "On a free-seating phone: log in as that extension (then type your voicemail PIN)":
        "Sur un poste partagé : se connecter avec ce numéro (puis taper son code de "
        "messagerie)",
    "The same, with the PIN in one go": "La même chose, avec le code d'un seul coup",
    "On a free-seating phone: log out": "Sur un poste partagé : se déconnecter",
    "Join a conference room (its PIN is asked if it has one)":
        "Entrer dans une salle de conférence (son code est demandé si elle en a un)",
    "Park the call (transfer it there); the slot is announced":
        "Parquer l'appel (le transférer vers ce numéro) ; la place est annoncée",
    "Take back the call parked on that slot": "Reprendre l'appel parqué à cette place",
    # models
    "free-seating phone": "poste partagé",
    "extension logged in": "numéro connecté",
    "since": "depuis",
    "hot-desk login": "connexion à un poste partagé",
    "hot-desk logins": "connexions aux postes partagés",
    "This phone is not a free-seating phone.": "Ce poste n'est pas un poste partagé.",
    "A free-seating phone cannot log in to itself.":
        "Un poste partagé ne peut pas se connecter à lui-même.",
    "Log in with a personal extension, not with another free-seating phone.":
        "Connectez-vous avec un numéro personnel, pas avec un autre poste partagé.",
    "PIN": "Code",
    "Asked to every caller before joining; empty: no PIN.":
        "Demandé à chaque participant avant d'entrer ; vide : pas de code.",
    "maximum members": "nombre maximal de participants",
    "conference room": "salle de conférence",
    "conference rooms": "salles de conférence",
    # pages
    "On a free-seating phone, dial a code below: your calls then ring that phone, and the "
    "calls you make from it show your extension. Nobody logged in: the phone calls "
    "emergency numbers only.":
        "Sur un poste partagé, composez un code ci-dessous : vos appels sonnent alors sur ce "
        "poste, et les appels que vous en passez présentent votre numéro. Personne de "
        "connecté : le poste n'appelle que les numéros d'urgence.",
    "All the codes to dial from a phone": "Tous les codes à composer depuis un poste",
    "Transfer a call to %(extension)s (or dial it) to park it: the slot is announced. Dial "
    "the slot (%(first)s to %(last)s) from any phone to take the call back.":
        "Transférez un appel vers le %(extension)s (ou composez-le) pour le parquer : la "
        "place est annoncée. Composez la place (%(first)s à %(last)s) depuis n'importe quel "
        "poste pour reprendre l'appel.",
    "Asterisk could not be asked for the parked calls:":
        "Asterisk n'a pas pu être interrogé sur les appels parqués :",
    "Slot": "Place",
    "Caller": "Appelant",
    "Parked by": "Parqué par",
    "Parked for (seconds)": "Parqué depuis (secondes)",
    "No call is parked.": "Aucun appel n'est parqué.",
    "Log out": "Déconnecter",
    "Free-seating phone": "Poste partagé",
    "Extension logged in": "Numéro connecté",
    "%(extension)s has been logged out.": "%(extension)s a été déconnecté.",
    "Log %(extension)s out of the free-seating phone %(desk)s? Its calls ring its own phone "
    "again.":
        "Déconnecter %(extension)s du poste partagé %(desk)s ? Ses appels sonneront de "
        "nouveau sur son propre poste.",
    "Maximum members": "Participants au maximum",
    "New conference room": "Nouvelle salle de conférence",
    "The conference room has been saved.": "La salle de conférence a été enregistrée.",
    "Conference room %(extension)s": "Salle de conférence %(extension)s",
    "The conference room has been deleted.": "La salle de conférence a été supprimée.",
    "Delete conference room %(extension)s": "Supprimer la salle de conférence %(extension)s",
    "Delete the conference room %(room)s? Calls to %(extension)s will fail.":
        "Supprimer la salle de conférence %(room)s ? Les appels vers %(extension)s "
        "échoueront.",
}
