"""French for the call rights: settings, emergency numbers, number classes, forward
refusals (read by scripts/translate_fr.py)."""

FR = {
    # models
    "home country": "pays d'origine",
    "Numbers are classified as dialled in this country (ISO code).":
        "Les numéros sont classés tels qu'ils sont composés dans ce pays (code ISO).",
    "countries allowed for international calls": "pays autorisés pour l'international",
    "Countries sharing a calling code (+1, +7, +44...) are allowed together.":
        "Les pays qui partagent un indicatif (+1, +7, +44...) sont autorisés ensemble.",
    "call rights settings": "réglages des droits d'appel",
    "emergency number": "numéro d'urgence",
    "an emergency number": "un numéro d'urgence",
    "Unknown country code “%(value)s” (ISO, e.g. FR).":
        "Code pays inconnu « %(value)s » (ISO, par exemple FR).",
    "A list of countries is expected.": "Une liste de pays est attendue.",
    "An emergency number is 2 to 8 digits (got “%(value)s”).":
        "Un numéro d'urgence compte 2 à 8 chiffres (reçu « %(value)s »).",
    # services
    "Unknown number": "Numéro inconnu",
    "Keep at least one emergency number.": "Gardez au moins un numéro d'urgence.",
    "The call rights do not allow calls to %(country)s (“%(number)s”).":
        "Les droits d'appel ne permettent pas d'appeler ce pays : %(country)s "
        "(« %(number)s »).",
    "The call rights of extension %(extension)s do not allow this number (“%(number)s”, "
    "class: %(class)s).":
        "Les droits d'appel du poste %(extension)s ne permettent pas ce numéro "
        "(« %(number)s », classe : %(class)s).",
    # page
    "Home country": "Pays d'origine",
    "Numbers are classified as dialled in this country: national prefix (0 in France), 00 "
    "or + then the country code, short numbers.":
        "Les numéros sont classés tels qu'ils sont composés dans ce pays : préfixe national "
        "(0 en France), 00 ou + puis l'indicatif du pays, numéros courts.",
    "Countries allowed for international calls": "Pays autorisés pour l'international",
    "A phone also needs the international right. Countries sharing a calling code (+1, +7, "
    "+44...) are allowed together.":
        "Le poste doit aussi avoir le droit international. Les pays qui partagent un "
        "indicatif (+1, +7, +44...) sont autorisés ensemble.",
    "Emergency numbers": "Numéros d'urgence",
    "Separated by spaces or commas. Always allowed, from any phone, even an idle "
    "free-seating phone; no phone or group can use them.":
        "Séparés par des espaces ou des virgules. Toujours autorisés, depuis tout poste, même "
        "un poste en libre placement sans personne connectée ; aucun poste ni groupe ne peut "
        "les prendre.",
    "Each phone has its classes of calls (on its page): internal, services, local and "
    "national, mobile, international. Emergency numbers are always allowed. Every outgoing "
    "call and every forward to an external number is checked by Asterisk itself, even when "
    "the portal is down.":
        "Chaque poste a ses classes d'appels (sur sa page) : interne, services, local et "
        "national, mobile, international. Les numéros d'urgence sont toujours autorisés. "
        "Chaque appel sortant et chaque renvoi vers un numéro externe est vérifié par "
        "Asterisk lui-même, même quand le portail est arrêté.",
    "Which class is this number?": "Quelle est la classe de ce numéro ?",
    "Check": "Vérifier",
    "“%(number)s”: %(class)s": "« %(number)s » : %(class)s",
    "allowed country": "pays autorisé",
    "country not allowed": "pays non autorisé",
}
