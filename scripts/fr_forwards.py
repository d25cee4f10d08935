"""French for forwards and do-not-disturb: the model, the pages, the help page of the
forward codes and their refusals (read by scripts/translate_fr.py)."""

FR = {
    # model
    "do not disturb": "ne pas déranger",
    "Calls do not ring: they go to the forward on busy, else to voicemail, else the caller "
    "hears busy.":
        "Les appels ne sonnent pas : ils vont au renvoi sur occupation, sinon à la messagerie, "
        "sinon l'appelant entend occupé.",
    "immediate forward": "renvoi immédiat",
    "Every call goes there without ringing this phone.":
        "Tous les appels y vont sans faire sonner ce poste.",
    "forward on busy": "renvoi sur occupation",
    "forward on no answer": "renvoi sur non-réponse",
    "no-answer delay (seconds)": "délai de non-réponse (secondes)",
    "How long the phone rings before the forward on no answer.":
        "Durée de sonnerie du poste avant le renvoi sur non-réponse.",
    "This phone has no voicemail to forward to.":
        "Ce poste n'a pas de messagerie vers laquelle renvoyer.",
    "A phone cannot forward to itself.": "Un poste ne peut pas se renvoyer vers lui-même.",
    "A forward goes to a number or to “voicemail” (got “%(value)s”).":
        "Un renvoi va vers un numéro ou vers « messagerie » (reçu « %(value)s »).",
    # rules
    "“%(number)s” is not an extension of this PBX. Forwarding to an external number needs "
    "the “External forwards” profile.":
        "« %(number)s » n'est pas un poste de ce PABX. Le renvoi vers un numéro externe "
        "demande le profil « Renvois externes ».",
    "“%(number)s” is not an extension of this PBX. Forwards to external numbers are not "
    "available yet: they must obey the phone's call rights, which come with the trunks.":
        "« %(number)s » n'est pas un poste de ce PABX. Les renvois vers des numéros externes "
        "ne sont pas encore disponibles : ils doivent respecter les droits d'appel du poste, "
        "qui arrivent avec les lignes opérateur.",
    "These forwards would make a loop that never rings anyone: %(loop)s.":
        "Ces renvois formeraient une boucle qui ne fait sonner personne : %(loop)s.",
    # form
    "An extension, or “voicemail”. Empty: off.":
        "Un numéro de poste, ou « messagerie ». Vide : pas de renvoi.",
    "An extension, or “voicemail”. Empty: voicemail if the phone has one.":
        "Un numéro de poste, ou « messagerie ». Vide : la messagerie si le poste en a une.",
    "An extension, or “voicemail”. Empty: voicemail after the ring time, if the phone has "
    "one.":
        "Un numéro de poste, ou « messagerie ». Vide : la messagerie après la durée de "
        "sonnerie, si le poste en a une.",
    # pages
    "Do not disturb": "Ne pas déranger",
    "Immediate forward": "Renvoi immédiat",
    "Forward on busy": "Renvoi sur occupation",
    "Forward on no answer": "Renvoi sur non-réponse",
    "%(where)s after %(seconds)s s": "%(where)s après %(seconds)s s",
    "Extension %(extension)s": "Poste %(extension)s",
    "Forwards of %(extension)s": "Renvois du poste %(extension)s",
    "The forwards of %(extension)s have been saved.":
        "Les renvois du poste %(extension)s sont enregistrés.",
    "Codes to dial from the phone": "Codes à composer sur le téléphone",
    "The forwards of any phone are set from its page (Phones → the phone → Forwards).":
        "Les renvois de n'importe quel poste se règlent depuis sa page (Postes → le poste → "
        "Renvois).",
    # help page of the forward codes
    "Forwards: codes to dial from the phone": "Renvois : codes à composer sur le téléphone",
    "Dial the code from your own phone. A short beep confirms the change; it is saved in "
    "Centrex and shown on the Forwards page. An error tone means the change was refused (an "
    "unknown extension, a loop, an external number), and nothing changed.":
        "Composez le code depuis votre propre téléphone. Un bip court confirme le changement ; "
        "il est enregistré dans Centrex et visible sur la page Renvois. Une tonalité d'erreur "
        "signifie que le changement est refusé (poste inconnu, boucle, numéro externe) et que "
        "rien n'a changé.",
    "Dial": "Composer",
    "What it does": "Effet",
    "“<extension>” is the number of another phone of the PBX. Forwarding to an external "
    "number is not available yet.":
        "« <extension> » est le numéro d'un autre poste du PABX. Le renvoi vers un numéro "
        "externe n'est pas encore disponible.",
    "Forward every call to that extension": "Renvoyer tous les appels vers ce poste",
    "Forward every call to your voicemail": "Renvoyer tous les appels vers votre messagerie",
    "Cancel the immediate forward": "Annuler le renvoi immédiat",
    "When you are busy, forward to that extension":
        "Quand vous êtes occupé, renvoyer vers ce poste",
    "When you are busy, forward to your voicemail":
        "Quand vous êtes occupé, renvoyer vers votre messagerie",
    "Cancel the forward on busy": "Annuler le renvoi sur occupation",
    "When you do not answer, forward to that extension (after the delay set on the Forwards "
    "page)":
        "Quand vous ne répondez pas, renvoyer vers ce poste (après le délai réglé sur la page "
        "Renvois)",
    "When you do not answer, forward to your voicemail":
        "Quand vous ne répondez pas, renvoyer vers votre messagerie",
    "Cancel the forward on no answer": "Annuler le renvoi sur non-réponse",
    "Do not disturb: on": "Ne pas déranger : activé",
    "Do not disturb: off": "Ne pas déranger : désactivé",
}
