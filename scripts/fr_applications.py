"""French for the applications' pages, editor, export/import and API (centrex/ivr
application_*.py, flow_image.py, templates/ivr/application_editor.html, static/ivr/editor.js
through the page), read by scripts/translate_fr.py."""

FR = {
    # form and list
    "public numbers": "numéros publics",
    "Public numbers": "Numéros publics",
    "Numbers the operators send here (DIDs), separated by commas.":
        "Numéros que les opérateurs envoient ici (SDA), séparés par des virgules.",
    "Already routed elsewhere: %(numbers)s.": "Déjà routés ailleurs : %(numbers)s.",
    "New application": "Nouvelle application",
    "Scenario": "Scénario",
    "Flow": "Schéma",
    "Export": "Exporter",
    "Delete the application “%(name)s” and the public numbers that lead to it?":
        "Supprimer l'application « %(name)s » et les numéros publics qui y mènent ?",
    # import / export
    "application file (JSON)": "fichier d'application (JSON)",
    "Exported from a Centrex. An application with the same name is replaced; otherwise one "
    "is created.":
        "Exporté d'un Centrex. Une application du même nom est remplacée ; sinon, elle est "
        "créée.",
    "The file is too large.": "Le fichier est trop volumineux.",
    "The file is not JSON.": "Le fichier n'est pas du JSON.",
    "This is not an application exported by Centrex.":
        "Ce n'est pas une application exportée par Centrex.",
    "A list of numbers.": "Une liste de numéros.",
    "Import an application": "Importer une application",
    "“%(name)s” has been imported.": "« %(name)s » a été importée.",
    "block %(id)s": "bloc %(id)s",
    "action %(n)s": "action %(n)s",
    # editor
    "Scenario of %(name)s": "Scénario de %(name)s",
    "revision %(n)s": "révision %(n)s",
    "Calls start at the first action of the block “incoming” and run the actions in order; "
    "an arrow shows where an action jumps. A block whose last action does not jump ends the "
    "call.":
        "Les appels commencent à la première action du bloc « incoming » et suivent les "
        "actions dans l'ordre ; une flèche montre où une action saute. Un bloc dont la "
        "dernière action ne saute pas termine l'appel.",
    "Add a block": "Ajouter un bloc",
    "Save the scenario": "Enregistrer le scénario",
    "Download the flow image (SVG)": "Télécharger le schéma (SVG)",
    "Add an action…": "Ajouter une action…",
    "Move up": "Monter",
    "Move down": "Descendre",
    "Remove the block": "Supprimer le bloc",
    "Identifier": "Identifiant",
    "label": "étiquette",
    "—": "—",
    "key %(key)s": "touche %(key)s",
    "New block identifier (lowercase letters, digits and _):":
        "Identifiant du nouveau bloc (minuscules, chiffres et _) :",
    "Saved.": "Enregistré.",
    "Saved: revision %(n)s.": "Enregistré : révision %(n)s.",
    "The scenario was not saved:": "Le scénario n'a pas été enregistré :",
    "The scenario was not saved (the server did not answer).":
        "Le scénario n'a pas été enregistré (le serveur n'a pas répondu).",
    "You may not change it.": "Vous ne pouvez pas le modifier.",
    "The scenario is not JSON.": "Le scénario n'est pas du JSON.",
    # web services
    "New web service": "Nouveau service web",
}
