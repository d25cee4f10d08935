"""French for the directory: contacts, the merged list, click-to-call, the contacts
import/export and the API's contacts (read by scripts/translate_fr.py)."""

FR = {
    # model
    "A phone number is made of 2 to 20 digits, with an optional leading + (got “%(value)s”).":
        "Un numéro de téléphone comporte de 2 à 20 chiffres, précédés éventuellement d'un + "
        "(reçu « %(value)s »).",
    "company": "société",
    "phone 1": "téléphone 1",
    "phone 2": "téléphone 2",
    "phone 3": "téléphone 3",
    "private": "privé",
    "A private contact is seen and changed only by the person who made it.":
        "Un contact privé n'est vu et modifié que par la personne qui l'a créé.",
    "created by": "créé par",
    "updated": "modifié le",
    "contact": "contact",
    "contacts": "contacts",
    "Give a name or a company.": "Indiquez un nom ou une société.",
    "Give at least one number.": "Indiquez au moins un numéro.",
    # rules, click-to-call
    "Only the people who manage shared contacts may do this.":
        "Seules les personnes qui gèrent les contacts partagés peuvent le faire.",
    "Only its creator may change a private contact.":
        "Seul son créateur peut modifier un contact privé.",
    "Only the people who manage shared contacts may import them: write yes.":
        "Seules les personnes qui gèrent les contacts partagés peuvent en importer : "
        "écrivez oui.",
    "You have no phone, so Centrex cannot call you first.":
        "Vous n'avez pas de poste : Centrex ne peut pas vous appeler d'abord.",
    "Asterisk could not place the call: %(error)s":
        "Asterisk n'a pas pu passer l'appel : %(error)s",
    "Your phone %(extension)s rings: pick it up and Centrex calls %(number)s.":
        "Votre poste %(extension)s sonne : décrochez et Centrex appelle le %(number)s.",
    "Ring my phone, then call %(number)s": "Faire sonner mon poste, puis appeler le %(number)s",
    "Call": "Appeler",
    # list and pages
    "colleague": "collègue",
    "Company or department": "Société ou service",
    "Phone %(n)s": "Téléphone %(n)s",
    "Private": "Privé",
    "New contact": "Nouveau contact",
    "The contact has been saved.": "Le contact a été enregistré.",
    "The contact has been deleted.": "Le contact a été supprimé.",
    "Delete the contact %(name)s?": "Supprimer le contact %(name)s ?",
    "You have no phone: the Call buttons appear once a phone is assigned to you.":
        "Vous n'avez pas de poste : les boutons Appeler apparaissent dès qu'un poste vous est "
        "attribué.",
    "contacts (%(format)s)": "contacts (%(format)s)",
    # import
    "Import contacts": "Importer des contacts",
    "Every line creates a contact; nothing is updated or deleted.":
        "Chaque ligne crée un contact ; rien n'est modifié ni supprimé.",
    "Numbers: digits with an optional leading +; spaces and dots are removed. private: yes "
    "or no (only the people who manage shared contacts may write no).":
        "Numéros : des chiffres, précédés éventuellement d'un + ; les espaces et les points "
        "sont retirés. private : oui ou non (seules les personnes qui gèrent les contacts "
        "partagés peuvent écrire non).",
    "At most %(max_rows)s lines and 2 MB. The export of the directory is a ready-made "
    "example.":
        "Au plus %(max_rows)s lignes et 2 Mo. L'export de l'annuaire est un exemple tout prêt.",
}
PLURALS = {
    "%(n)s contact imported": ("%(n)s contact importé", "%(n)s contacts importés"),
    "%(count)s contact imported.": ("%(count)s contact importé.",
                                    "%(count)s contacts importés."),
    "%(counter)s contact is ready to import. Check it, then confirm: everything is imported, "
    "or nothing.": (
        "%(counter)s contact est prêt à être importé. Vérifiez-le, puis confirmez : tout est "
        "importé, ou rien.",
        "%(counter)s contacts sont prêts à être importés. Vérifiez-les, puis confirmez : tout "
        "est importé, ou rien."),
}
