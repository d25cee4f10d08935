"""French for sounds and music on hold (centrex/ivr sound_*, models/sounds.py), read by
scripts/translate_fr.py."""

FR = {
    # menu, models
    "Sounds": "Sons",
    "Music on hold": "Musiques d'attente",
    "Prompt": "Message sonore",
    "Uploaded file": "Fichier envoyé",
    "Text-to-speech": "Synthèse vocale",
    "Recorded from a phone": "Enregistré depuis un poste",
    "A sound already has this name.": "Un son porte déjà ce nom.",
    "type": "type",
    "source": "source",
    "language": "langue",
    "text": "texte",
    "Text-to-speech: what the prompt says.": "Synthèse vocale : ce que dit le message.",
    "comments": "commentaires",
    "original file": "fichier d'origine",
    "duration (s)": "durée (s)",
    "ready": "prêt",
    "sound": "son",
    "sounds": "sons",
    "Lowercase letters, digits, - and _, starting with a letter (up to 30).":
        "Lettres minuscules, chiffres, - et _, en commençant par une lettre (30 au plus).",
    "A music class already has this name.": "Une classe de musique porte déjà ce nom.",
    "random order": "ordre aléatoire",
    "music": "musiques",
    "music-on-hold class": "classe de musique d'attente",
    "music-on-hold classes": "classes de musique d'attente",
    # audio checks
    "This file takes too long to process; it is refused.":
        "Ce fichier est trop long à traiter ; il est refusé.",
    "This file is not a sound Centrex can read (WAV, MP3, OGG, FLAC, M4A...).":
        "Ce fichier n'est pas un son que Centrex sait lire (WAV, MP3, OGG, FLAC, M4A…).",
    "The sound is empty (no audio).": "Le son est vide (aucun audio).",
    "The sound lasts %(seconds)d s; at most %(limit)d s are allowed for this type.":
        "Le son dure %(seconds)d s ; %(limit)d s au plus sont permises pour ce type.",
    "Centrex could not convert this sound: %(error)s":
        "Centrex n'a pas pu convertir ce son : %(error)s",
    "The text could not be spoken: %(error)s":
        "Le texte n'a pas pu être prononcé : %(error)s",
    "The file is larger than %(mb)s MB.": "Le fichier dépasse %(mb)s Mo.",
    "Type the text the prompt must say.": "Saisissez le texte que doit dire le message.",
    "This sound has no audio yet.": "Ce son n'a pas encore d'audio.",
    "No sound has the id %(ids)s.": "Aucun son n'a l'identifiant %(ids)s.",
    # services
    "This music is in a music-on-hold class: remove it from the class first.":
        "Cette musique fait partie d'une classe de musique d'attente : retirez-l'en d'abord.",
    "“%(name)s” is still used by: %(users)s.": "« %(name)s » est encore utilisé par : %(users)s.",
    "Asterisk could not call your phone: %(error)s":
        "Asterisk n'a pas pu appeler votre poste : %(error)s",
    "You have no phone, so Centrex cannot call you to record.":
        "Vous n'avez pas de poste : Centrex ne peut pas vous appeler pour enregistrer.",
    "“default” is Asterisk's own class; choose another name.":
        "« default » est la classe d'Asterisk ; choisissez un autre nom.",
    "Only music on hold goes into a class, not: %(names)s.":
        "Une classe ne contient que des musiques d'attente, pas : %(names)s.",
    "The queues %(queues)s play this music: choose another one for them first.":
        "Les files %(queues)s diffusent cette musique : choisissez-leur d'abord une autre "
        "musique.",
    "default (Asterisk's music)": "default (musique d'Asterisk)",
    "Asterisk's default music, or a class of the Music on hold page.":
        "La musique par défaut d'Asterisk, ou une classe de la page Musiques d'attente.",
    # forms
    "sound file": "fichier sonore",
    "WAV, MP3, OGG, FLAC, M4A... converted by Centrex.":
        "WAV, MP3, OGG, FLAC, M4A… convertis par Centrex.",
    "WAV, MP3, OGG, FLAC, M4A... converted by Centrex; at most %(mb)s MB, %(prompt)s s for "
    "a prompt, %(music)s s for music.":
        "WAV, MP3, OGG, FLAC, M4A… convertis par Centrex ; %(mb)s Mo au plus, %(prompt)s s "
        "pour un message, %(music)s s pour une musique.",
    "Recorded from a phone: Centrex calls your phone; speak after the beep, then hang up or "
    "press #.":
        "Enregistré depuis un poste : Centrex appelle votre poste ; parlez après le bip, puis "
        "raccrochez ou appuyez sur #.",
    "Leave empty to keep the sound.": "Laissez vide pour garder le son.",
    "Choose the sound file.": "Choisissez le fichier sonore.",
    "Played in the order of their names, or in random order.":
        "Jouées dans l'ordre de leur nom, ou dans un ordre aléatoire.",
    "The name queues use (musicclass); “default” is Asterisk's own music.":
        "Le nom qu'utilisent les files (musicclass) ; « default » est la musique d'Asterisk.",
    # pages
    "being recorded": "en cours d'enregistrement",
    "no audio yet": "pas encore d'audio",
    "Comments": "Commentaires",
    "Sounds and music on hold": "Sons et musiques d'attente",
    "New sound": "Nouveau son",
    "Music-on-hold classes": "Classes de musique d'attente",
    "Record from my phone": "Enregistrer depuis mon poste",
    "Centrex is calling your phone %(extension)s: after the beep, speak, then hang up or "
    "press #. Reload this page to hear the result.":
        "Centrex appelle votre poste %(extension)s : après le bip, parlez, puis raccrochez "
        "ou appuyez sur #. Rechargez cette page pour écouter le résultat.",
    "Centrex will call your phone %(extension)s. After the beep, speak; hang up, press # or "
    "stay silent to finish. The recording replaces the sound of “%(name)s”.":
        "Centrex va appeler votre poste %(extension)s. Après le bip, parlez ; raccrochez, "
        "appuyez sur # ou taisez-vous pour terminer. L'enregistrement remplace le son de "
        "« %(name)s ».",
    "Record %(name)s from my phone": "Enregistrer %(name)s depuis mon poste",
    "Call me": "M'appeler",
    "Delete “%(name)s” and its files?": "Supprimer « %(name)s » et ses fichiers ?",
    "Music": "Musiques",
    "Random order": "Ordre aléatoire",
    "New class": "Nouvelle classe",
    "New music-on-hold class": "Nouvelle classe de musique d'attente",
    "Delete the class “%(name)s”? Its music stays in the sounds.":
        "Supprimer la classe « %(name)s » ? Ses musiques restent dans les sons.",
    "A class plays its music in turn to callers on hold; queues choose their class. "
    "“default” is Asterisk's own music. A class without music ready is not given to "
    "Asterisk.":
        "Une classe diffuse ses musiques à tour de rôle aux appelants en attente ; chaque "
        "file choisit sa classe. « default » est la musique d'Asterisk. Une classe sans "
        "musique prête n'est pas transmise à Asterisk.",
    "Text": "Texte",
    "In the dialplan": "Dans le plan de numérotation",
    "When the call is over, reload this page to hear the recording.":
        "Une fois l'appel terminé, rechargez cette page pour écouter l'enregistrement.",
}
