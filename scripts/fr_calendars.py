"""French for the calendars (centrex/ivr calendar_*.py, calendars.py, models/calendars.py),
read by scripts/translate_fr.py."""

FR = {
    # models
    "Monday": "Lundi",
    "Tuesday": "Mardi",
    "Wednesday": "Mercredi",
    "Thursday": "Jeudi",
    "Friday": "Vendredi",
    "Saturday": "Samedi",
    "Sunday": "Dimanche",
    "A schedule already has this name.": "Des horaires portent déjà ce nom.",
    "closed on holidays": "fermé les jours fériés",
    "day": "jour",
    "to": "à",
    "time slot": "plage horaire",
    "time slots": "plages horaires",
    "every year": "chaque année",
    "Same day and month every year (e.g. 1 May).":
        "Même jour et même mois chaque année (par exemple le 1er mai).",
    "holiday": "jour férié",
    "holidays": "jours fériés",
    "reason": "motif",
    "Empty: every schedule is closed.": "Vide : tous les horaires sont fermés.",
    "exceptional closure": "fermeture exceptionnelle",
    "exceptional closures": "fermetures exceptionnelles",
    "Capital letters, digits and _, starting with a letter (up to 20).":
        "Majuscules, chiffres et _, en commençant par une lettre (20 au plus).",
    "Short identifier used by the applications, e.g. PCA.":
        "Identifiant court utilisé par les applications, par exemple PCA.",
    "number on the phone": "numéro sur le téléphone",
    "changed at": "modifié le",
    "changed by": "modifié par",
    "incidents": "incidents",
    "Can switch incidents on and off": "Peut déclencher et arrêter les incidents",
    # forms
    "“%(part)s” is not a time range such as 08:30-12:00.":
        "« %(part)s » n'est pas une plage horaire comme 08:30-12:00.",
    "In “%(part)s” the end must be after the start.":
        "Dans « %(part)s », la fin doit être après le début.",
    "“%(part)s” overlaps another range of the day.":
        "« %(part)s » chevauche une autre plage du jour.",
    "Open hours, e.g. 08:30-12:00, 14:00-18:00; empty: closed.":
        "Heures d'ouverture, par exemple 08:30-12:00, 14:00-18:00 ; vide : fermé.",
    "Dialled after *72 to switch the incident from a phone.":
        "Composé après *72 pour déclencher ou arrêter l'incident depuis un téléphone.",
    "Slot %(n)s: %(error)s": "Plage %(n)s : %(error)s",
    "Give hours and minutes only (HH:MM), in the site's time zone.":
        "Indiquez seulement les heures et les minutes (HH:MM), dans le fuseau horaire du "
        "site.",
    "Used by the applications: %(names)s.": "Utilisé par les applications : %(names)s.",
    # pages
    "open": "ouvert",
    "closed": "fermé",
    "always closed": "toujours fermé",
    "Week": "Semaine",
    "Now": "Maintenant",
    "Closed on holidays": "Fermé les jours fériés",
    "The applications test opening hours to answer differently when closed, on a holiday "
    "or during an exceptional closure.":
        "Les applications testent les horaires d'ouverture pour répondre autrement en "
        "dehors des heures, un jour férié ou pendant une fermeture exceptionnelle.",
    "New opening hours": "Nouveaux horaires",
    "Exceptional closures": "Fermetures exceptionnelles",
    "New closure": "Nouvelle fermeture",
    "From": "Du",
    "To": "Au",
    "all": "tous",
    "Every year": "Chaque année",
    "New holiday": "Nouveau jour férié",
    "Add the French public holidays": "Ajouter les jours fériés français",
    "Add the French public holidays of %(year)s and %(next)s (Easter Monday, Ascension and "
    "Whit Monday included) that are not in the list yet?":
        "Ajouter les jours fériés français de %(year)s et %(next)s (lundi de Pâques, "
        "Ascension et lundi de Pentecôte compris) qui ne sont pas encore dans la liste ?",
    "%(count)s holidays added.": "%(count)s jours fériés ajoutés.",
    "Add": "Ajouter",
    "Delete “%(name)s”?": "Supprimer « %(name)s » ?",
    "In progress": "En cours",
    "Changed": "Modifié",
    "New incident": "Nouvel incident",
    "Switch on": "Déclencher",
    "Switch off": "Arrêter",
    "Switch “%(name)s” on? The applications that test it take the incident's way from the "
    "next call.":
        "Déclencher « %(name)s » ? Les applications qui le testent prennent le chemin de "
        "l'incident dès le prochain appel.",
    "Switch “%(name)s” off? The applications go back to their usual way.":
        "Arrêter « %(name)s » ? Les applications reprennent leur chemin habituel.",
    "“%(name)s” is in progress.": "« %(name)s » est en cours.",
    "“%(name)s” is over.": "« %(name)s » est terminé.",
    "On a phone: %(code)s then the incident's number, then your voicemail PIN.":
        "Sur un téléphone : %(code)s puis le numéro de l'incident, puis le code de votre "
        "messagerie vocale.",
}
