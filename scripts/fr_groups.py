"""French for ring groups, pickup groups, short numbers and paging (centrex/groups), read by
scripts/translate_fr.py."""

FR = {
    # app, menu
    "Groups": "Groupes",
    "Ring groups": "Groupes d'appel",
    "Pickup groups": "Groupes d'interception",
    "Paging groups": "Groupes de diffusion",
    "Short numbers": "Numéros abrégés",
    "Codes to dial": "Codes à composer",
    # models
    "A short number is *0 followed by 2 or 3 digits, e.g. *012 (got “%(value)s”).":
        "Un numéro abrégé est *0 suivi de 2 ou 3 chiffres, par exemple *012 "
        "(reçu « %(value)s »).",
    "A number is made of 2 to 20 digits, with an optional leading + (got “%(value)s”).":
        "Un numéro est composé de 2 à 20 chiffres, éventuellement précédés de + "
        "(reçu « %(value)s »).",
    "Ring all": "Sonnerie simultanée",
    "In order": "Dans l'ordre",
    "Hang up": "Raccrocher",
    "Another internal number": "Un autre numéro interne",
    "A phone's voicemail": "La messagerie d'un poste",
    "strategy": "stratégie",
    "ring time per member (seconds)": "sonnerie par membre (secondes)",
    "In order: how long each member rings before the next one.":
        "Dans l'ordre : durée de sonnerie de chaque membre avant le suivant.",
    "overall timeout (seconds)": "délai total (secondes)",
    "After this time the call goes to the destination below.":
        "Passé ce délai, l'appel va vers la destination ci-dessous.",
    "when nobody answers": "si personne ne répond",
    "destination number": "numéro de destination",
    "The internal number, or the extension of the phone whose voicemail takes the call.":
        "Le numéro interne, ou le poste dont la messagerie prend l'appel.",
    "members": "membres",
    "ring group": "groupe d'appel",
    "ring groups": "groupes d'appel",
    "Give the number the call goes to.": "Indiquez le numéro vers lequel va l'appel.",
    "A group cannot fall back to itself.": "Un groupe ne peut pas se renvoyer vers lui-même.",
    "“%(number)s” is not a phone with a voicemail.":
        "« %(number)s » n'est pas un poste avec une messagerie.",
    "“%(number)s” is not a number of this PBX.":
        "« %(number)s » n'est pas un numéro de ce PABX.",
    "paging group": "groupe de diffusion",
    "paging groups": "groupes de diffusion",
    "short number": "numéro abrégé",
    "short numbers": "numéros abrégés",
    "This short number is already used.": "Ce numéro abrégé est déjà utilisé.",
    "Dialled as if the phone had dialled it: outside numbers obey the phone's call rights.":
        "Composé comme si le poste l'avait composé : les numéros extérieurs respectent les "
        "droits d'appel du poste.",
    "a ring group": "un groupe d'appel",
    "a paging group": "un groupe de diffusion",
    "a short number": "un numéro abrégé",
    # services, forms
    "At most %(n)s members.": "%(n)s membres au plus.",
    "No phone has the extension %(list)s.": "Aucun poste n'a le numéro %(list)s.",
    "Members": "Membres",
    "Extensions of the phones, in the order they ring (“In order”), e.g. 201, 202.":
        "Numéros des postes, dans l'ordre où ils sonnent (« Dans l'ordre »), "
        "par exemple 201, 202.",
    "Extensions of the phones that are paged.": "Numéros des postes appelés en diffusion.",
    # pages
    "voicemail of %(number)s": "messagerie du %(number)s",
    "“%(name)s” has been deleted.": "« %(name)s » a été supprimé.",
    "Delete %(name)s": "Supprimer %(name)s",
    "Delete “%(name)s”? Calls to its number will fail.":
        "Supprimer « %(name)s » ? Les appels vers son numéro échoueront.",
    "“%(name)s” has been saved.": "« %(name)s » a été enregistré.",
    "Strategy": "Stratégie",
    "Timeout (s)": "Délai (s)",
    "When nobody answers": "Si personne ne répond",
    "New ring group": "Nouveau groupe d'appel",
    "Edit %(name)s": "Modifier %(name)s",
    "New paging group": "Nouveau groupe de diffusion",
    "Short number": "Numéro abrégé",
    "Number": "Numéro",
    "New short number": "Nouveau numéro abrégé",
    "Calls": "Appels",
    "Pickup": "Interception",
    "Pickup group %(number)s": "Groupe d'interception %(number)s",
    "Pick up a call ringing on a phone of your pickup groups":
        "Intercepter un appel qui sonne sur un poste de vos groupes d'interception",
    "Pick up a call ringing on that extension (or that ring group)":
        "Intercepter l'appel qui sonne sur ce poste (ou ce groupe d'appel)",
    "Asterisk has 64 call and pickup groups, numbered 0 to 63: name them here, then choose "
    "them on each phone. A phone picks up (*8) the calls ringing on phones whose call groups "
    "are among its pickup groups. Groups cannot be deleted.":
        "Asterisk dispose de 64 groupes d'appel et d'interception, numérotés de 0 à 63 : "
        "nommez-les ici, puis choisissez-les sur chaque poste. Un poste intercepte (*8) les "
        "appels qui sonnent sur les postes dont les groupes d'appel font partie de ses "
        "groupes d'interception. Les groupes ne peuvent pas être supprimés.",
    "Groups and short numbers: what to dial": "Groupes et numéros abrégés : que composer",
    "Pick up a call": "Intercepter un appel",
    "A short number is dialled as if you had dialled the number itself: an outside number "
    "needs the call rights of your phone.":
        "Un numéro abrégé est composé comme si vous aviez composé le numéro lui-même : un "
        "numéro extérieur demande les droits d'appel de votre poste.",
    "No short number yet.": "Aucun numéro abrégé pour l'instant.",
    "No ring group yet.": "Aucun groupe d'appel pour l'instant.",
    "Paging": "Diffusion",
    "Dial the number of a group: its phones answer by themselves on their loudspeaker and "
    "hear you (they cannot answer back).":
        "Composez le numéro d'un groupe : ses postes décrochent d'eux-mêmes sur leur "
        "haut-parleur et vous entendent (ils ne peuvent pas répondre).",
    "No paging group yet.": "Aucun groupe de diffusion pour l'instant.",
}
