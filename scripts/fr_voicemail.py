"""French for voicemail in the browser: boxes, folders, messages, e-mail notification and
the SMTP settings (read by scripts/translate_fr.py)."""

FR = {
    # models
    "mailbox": "boîte vocale",
    "mailboxes": "boîtes vocales",
    "none": "aucune",
    "STARTTLS": "STARTTLS",
    "SSL/TLS": "SSL/TLS",
    "SMTP server": "serveur SMTP",
    "Empty: no e-mail is sent.": "Vide : aucun e-mail n'est envoyé.",
    "port": "port",
    "user name": "nom d'utilisateur",
    "Empty: no authentication.": "Vide : pas d'authentification.",
    "password": "mot de passe",
    "sender address": "adresse de l'expéditeur",
    "The From: of the e-mails Centrex sends.": "Le From: des e-mails envoyés par Centrex.",
    "security": "sécurité",
    "timeout (seconds)": "délai d'attente (secondes)",
    "e-mail settings": "paramètres e-mail",
    "e-mail me new messages": "m'envoyer les nouveaux messages par e-mail",
    "voicemail notification": "notification de messagerie vocale",
    "sent": "envoyé",
    "skipped": "ignoré",
    "failed": "échec",
    # folders
    "New": "Nouveaux",
    "Old": "Anciens",
    "Work": "Travail",
    "Family": "Famille",
    "Friends": "Amis",
    "Unknown": "Inconnu",
    # forms and services
    "Leave empty to keep the stored password.":
        "Laisser vide pour garder le mot de passe enregistré.",
    "Remove the stored password": "Effacer le mot de passe enregistré",
    "Move to": "Déplacer vers",
    "Unknown folder “%(folder)s”.": "Dossier « %(folder)s » inconnu.",
    "Voicemail message of %(extension)s": "Message vocal du %(extension)s",
    "This message no longer exists.": "Ce message n'existe plus.",
    "Asterisk did not take the change: %(error)s":
        "Asterisk n'a pas pris la modification : %(error)s",
    # e-mail
    "New voicemail from %(caller)s on %(extension)s":
        "Nouveau message vocal de %(caller)s sur le %(extension)s",
    "You have a new voicemail message.": "Vous avez un nouveau message vocal.",
    "From: %(caller)s": "De : %(caller)s",
    "Date: %(date)s": "Date : %(date)s",
    "Length: %(duration)s": "Durée : %(duration)s",
    "The recording is attached; it is also in your voicemail in the portal and on your "
    "phone.":
        "L'enregistrement est en pièce jointe ; il est aussi dans votre messagerie vocale "
        "sur le portail et sur votre poste.",
    # pages
    "Voicemail": "Messagerie vocale",
    "My voicemail": "Ma messagerie vocale",
    "E-mail": "E-mail",
    "Asterisk is not set up yet: no message can be shown.":
        "Asterisk n'est pas encore installé : aucun message ne peut être affiché.",
    "No phone with a voicemail box is assigned to you.":
        "Aucun poste avec une boîte vocale ne vous est attribué.",
    "Mailboxes": "Boîtes vocales",
    "Folders": "Dossiers",
    "Date": "Date",
    "Caller": "Appelant",
    "Length": "Durée",
    "Listen": "Écouter",
    "Actions": "Actions",
    "Download": "Télécharger",
    "Move": "Déplacer",
    "Delete": "Supprimer",
    "No message in this folder.": "Aucun message dans ce dossier.",
    "E-mail notification": "Notification par e-mail",
    "E-mail me each new message, with the recording attached (to %(email)s).":
        "M'envoyer chaque nouveau message par e-mail, avec l'enregistrement en pièce jointe "
        "(à %(email)s).",
    "No SMTP server is set up yet: an administrator sets it in Settings → E-mail.":
        "Aucun serveur SMTP n'est encore configuré : un administrateur le fait dans "
        "Paramètres → E-mail.",
    "Your account has no e-mail address.": "Votre compte n'a pas d'adresse e-mail.",
    "Which message? Give its folder and message id.":
        "Quel message ? Indiquez son dossier et son identifiant.",
    "Which message, to which folder?": "Quel message, vers quel dossier ?",
    "Asterisk did not move the message: %(error)s":
        "Asterisk n'a pas déplacé le message : %(error)s",
    "The message has been moved to %(folder)s.": "Le message a été déplacé dans %(folder)s.",
    "Asterisk did not delete the message: %(error)s":
        "Asterisk n'a pas supprimé le message : %(error)s",
    "The message has been deleted.": "Le message a été supprimé.",
    "Delete a voicemail message": "Supprimer un message vocal",
    "Delete the message from %(caller)s (%(date)s)? It cannot be recovered.":
        "Supprimer le message de %(caller)s (%(date)s) ? Il ne pourra pas être récupéré.",
    "New messages will be e-mailed to %(email)s.":
        "Les nouveaux messages seront envoyés par e-mail à %(email)s.",
    "(no address: set it in My account)": "(pas d'adresse : renseignez-la dans Mon compte)",
    "New messages will no longer be e-mailed.":
        "Les nouveaux messages ne seront plus envoyés par e-mail.",
    "The e-mail settings have been saved.": "Les paramètres e-mail ont été enregistrés.",
    "E-mail (SMTP) settings": "Paramètres e-mail (SMTP)",
}
