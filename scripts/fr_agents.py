"""French for agents and pauses: the service's refusals, the My queues page, the phone
codes on the help page (read by scripts/translate_fr.py)."""

FR = {
    # phone codes (help page)
    "Agents: log in to that queue (its number) from this phone":
        "Agents : se connecter à ce groupe d'appels (son numéro) depuis ce poste",
    "Agents: log in to all your queues from this phone":
        "Agents : se connecter à tous vos groupes d'appels depuis ce poste",
    "Agents: log out of that queue": "Agents : se déconnecter de ce groupe d'appels",
    "Agents: log out of all your queues": "Agents : se déconnecter de tous vos groupes d'appels",
    "Agents: pause, with the reason of that code": "Agents : pause, avec le motif de ce code",
    "Agents: pause without a reason": "Agents : pause sans motif",
    "Agents: end the pause": "Agents : fin de la pause",
    # page
    "Choose one of your queues.": "Choisissez un de vos groupes d'appels.",
    "You are logged in to %(queue)s.": "Vous êtes connecté à %(queue)s.",
    "You are logged out of %(queue)s.": "Vous êtes déconnecté de %(queue)s.",
    "Choose a reason from the list.": "Choisissez un motif de la liste.",
    "You are paused.": "Vous êtes en pause.",
    "Your pause is over.": "Votre pause est terminée.",
    "My queues": "Mes groupes d'appels",
    "Log in to take a queue's calls on one of your phones. A pause stops the calls of every "
    "queue you are logged in to until you resume.":
        "Connectez-vous pour prendre les appels d'un groupe d'appels sur l'un de vos postes. "
        "Une pause arrête les appels de tous les groupes d'appels où vous êtes connecté "
        "jusqu'à la reprise.",
    "Penalty": "Pénalité",
    "Paused": "En pause",
    "since %(since)s": "depuis %(since)s",
    "Logged in": "Connecté",
    "on %(extension)s since %(since)s": "sur le %(extension)s depuis %(since)s",
    "Logged out": "Déconnecté",
    "Log in": "Se connecter",
    "You are not an agent of any queue.": "Vous n'êtes agent d'aucun groupe d'appels.",
    "Pause": "Pause",
    "Resume": "Reprendre",
    "Reason": "Motif",
    "(no reason)": "(sans motif)",
    # service
    "Asterisk cannot be reached: %(error)s": "Asterisk est injoignable : %(error)s",
    "Asterisk does not run the queue %(queue)s yet; apply the configuration first.":
        "Asterisk ne connaît pas encore le groupe d'appels %(queue)s ; appliquez d'abord la "
        "configuration.",
    "Asterisk refused the change: %(error)s": "Asterisk a refusé la modification : %(error)s",
    "You do not supervise the queue %(queue)s.":
        "Vous ne supervisez pas le groupe d'appels %(queue)s.",
    "A penalty is a whole number from 0 to %(max)s.":
        "Une pénalité est un nombre entier de 0 à %(max)s.",
    "%(user)s is not an agent of the queue %(queue)s.":
        "%(user)s n'est pas agent du groupe d'appels %(queue)s.",
    "The phone %(phone)s is not %(user)s's.": "Le poste %(phone)s n'est pas celui de %(user)s.",
    "%(user)s has no phone to take the calls on.":
        "%(user)s n'a aucun poste pour prendre les appels.",
    "%(user)s is not logged in to %(where)s.": "%(user)s n'est pas connecté à %(where)s.",
    "any queue": "aucun groupe d'appels",
    "The pause reason %(reason)s is not offered.":
        "Le motif de pause %(reason)s n'est pas proposé.",
    "No queue to log in to.": "Aucun groupe d'appels auquel se connecter.",
    "Not logged in there.": "Pas connecté à ce groupe d'appels.",
    "No pause reason has the code %(code)s.": "Aucun motif de pause n'a le code %(code)s.",
}
