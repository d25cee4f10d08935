"""French for the REST API, its errors, the API token pages and the API reference page
(read by scripts/translate_fr.py)."""

FR = {
    # app, model, form
    "REST API": "API REST",
    "owner": "propriétaire",
    "prefix": "préfixe",
    "created": "créé le",
    "last used": "dernière utilisation",
    "revoked": "révoqué le",
    "API token": "jeton d'API",
    "API tokens": "Jetons d'API",
    "What the token is for, e.g. the script that uses it.":
        "À quoi sert le jeton, par exemple le script qui l'utilise.",
    "You already have %(count)s active tokens: revoke one you no longer use.":
        "Vous avez déjà %(count)s jetons actifs : révoquez celui que vous n'utilisez plus.",
    # errors of the API
    "Your profile does not allow this.": "Votre profil ne le permet pas.",
    "CSRF check failed: send the X-CSRFToken header.":
        "Échec du contrôle CSRF : envoyez l'en-tête X-CSRFToken.",
    "Change your password first (My account).":
        "Changez d'abord votre mot de passe (Mon compte).",
    "Not found.": "Introuvable.",
    "Method not allowed.": "Méthode non permise.",
    "The request does not match the API schema.":
        "La requête ne correspond pas au schéma de l'API.",
    "Some values are not valid.": "Certaines valeurs ne sont pas valides.",
    "Authentication required: send a valid API token.":
        "Authentification requise : envoyez un jeton d'API valide.",
    "The request body is not valid JSON.": "Le corps de la requête n'est pas du JSON valide.",
    "Conflict with a change made at the same time: read it again and retry.":
        "Conflit avec une modification simultanée : relisez-le et recommencez.",
    "Asterisk did not take the change: nothing was saved. Retry later.":
        "Asterisk n'a pas pris la modification : rien n'a été enregistré. Réessayez plus tard.",
    "Internal error; it has been logged.": "Erreur interne ; elle a été journalisée.",
    "Only an administrator may change profiles.":
        "Seul un administrateur peut changer les profils.",
    "You cannot deactivate your own account.": "Vous ne pouvez pas désactiver votre propre compte.",
    "You cannot delete your own account.": "Vous ne pouvez pas supprimer votre propre compte.",
    "Unknown profile: %(names)s.": "Profil inconnu : %(names)s.",
    # token pages
    "Name": "Nom",
    "Token": "Jeton",
    "Created": "Créé le",
    "Last used": "Dernière utilisation",
    "State": "État",
    "Active": "Actif",
    "Revoked": "Révoqué",
    "Revoke": "Révoquer",
    "New token": "Nouveau jeton",
    "New API token": "Nouveau jeton d'API",
    "My account": "Mon compte",
    "Create": "Créer",
    "Cancel": "Annuler",
    "Done": "Terminé",
    "Token “%(name)s”": "Jeton « %(name)s »",
    "The token “%(name)s” is revoked.": "Le jeton « %(name)s » est révoqué.",
    "Copy it now: it is shown this once.": "Copiez-le maintenant : il n'est affiché qu'une fois.",
    "Centrex keeps only a hash of it and cannot show it again.":
        "Centrex n'en garde qu'une empreinte et ne pourra plus l'afficher.",
    "A token lets a script use the REST API as you, with your profile.":
        "Un jeton permet à un script d'utiliser l'API REST en votre nom, avec votre profil.",
    "Send it in this header:": "Envoyez-le dans cet en-tête :",
    # reference page
    "API reference": "Référence de l'API",
    "My API tokens": "Mes jetons d'API",
    "Send a personal token in this header:": "Envoyez un jeton personnel dans cet en-tête :",
    "Bodies and answers are JSON.": "Requêtes et réponses sont en JSON.",
    "Machine-readable description:": "Description lisible par une machine :",
    "An error answers with a sentence and the messages of each field:":
        "Une erreur répond par une phrase et les messages de chaque champ :",
    "Who may:": "Qui peut :",
    "anyone signed in (only the objects their profile may see)":
        "toute personne connectée (seulement les objets que son profil lui permet de voir)",
    "Parameters": "Paramètres",
    "Body": "Corps",
    "Answers:": "Réponses :",
    "Type": "Type",
    "Required": "Obligatoire",
    "Description": "Description",
    "yes,no": "oui,non",
}
