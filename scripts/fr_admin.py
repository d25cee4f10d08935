"""French for the administration pages, "My account", the lists and the user import/export
(read by scripts/translate_fr.py with the other fr_*.py tables)."""

FR = {
    # -- lists (centrex/web/lists.py, web/_list.html) -------------------------------------
    "yes": "oui",
    "no": "non",
    "Search": "Rechercher",
    "Filter": "Filtrer",
    "Export %(format)s": "Export %(format)s",
    "Nothing matches this search.": "Aucun résultat pour cette recherche.",
    "Nothing to show.": "Rien à afficher.",
    "Pages": "Pages",
    "Previous": "Précédent",
    "Next": "Suivant",
    "Page %(number)s of %(count)s (%(total)s in all)":
        "Page %(number)s sur %(count)s (%(total)s au total)",
    # -- shared page parts -----------------------------------------------------------------
    "Save": "Enregistrer",
    "Cancel": "Annuler",
    "Edit": "Modifier",
    "Delete": "Supprimer",
    "Please correct the fields marked below.": "Corrigez les champs signalés ci-dessous.",
    "Asterisk did not take the change, so nothing was saved: %(error)s":
        "Asterisk n'a pas accepté la modification, rien n'a donc été enregistré : %(error)s",
    "Write these down or hand them over now: they are shown only this once. Centrex keeps "
    "only a fingerprint of each secret and cannot show it again.":
        "Notez-les ou transmettez-les maintenant : ils ne sont affichés que cette fois. "
        "Centrex ne garde qu'une empreinte de chaque secret et ne peut plus l'afficher.",
    "Last changes": "Dernières modifications",
    "No change recorded.": "Aucune modification enregistrée.",
    "Go to the user": "Voir l'utilisateur",
    "Go to the phone": "Voir le poste",
    "Result": "Résultat",
    # -- sign-in, password, account --------------------------------------------------------
    "Sign in": "Connexion",
    "User name": "Identifiant",
    "Password": "Mot de passe",
    "Current password": "Mot de passe actuel",
    "New password": "Nouveau mot de passe",
    "At least 12 characters; a sentence of a few words is a good password.":
        "Au moins 12 caractères ; une phrase de quelques mots fait un bon mot de passe.",
    "New password again": "Nouveau mot de passe (confirmation)",
    "This is not your current password.": "Ce n'est pas votre mot de passe actuel.",
    "The two passwords differ.": "Les deux mots de passe sont différents.",
    "Choose a password different from the current one.":
        "Choisissez un mot de passe différent de l'actuel.",
    "Too many failed sign-ins: this account or address is locked for a while. Try again "
    "later.":
        "Trop d'échecs de connexion : ce compte ou cette adresse est bloqué pour un moment. "
        "Réessayez plus tard.",
    "Wrong user name or password.": "Identifiant ou mot de passe incorrect.",
    "Your password has been changed.": "Votre mot de passe a été modifié.",
    "Your password was given to you: choose your own before going on.":
        "Votre mot de passe vous a été donné : choisissez le vôtre avant de continuer.",
    "Change": "Modifier",
    "Change my password": "Changer mon mot de passe",
    "My account": "Mon compte",
    "Me": "Moi",
    "Name": "Nom",
    "Email": "E-mail",
    "Department": "Service",
    "Profiles": "Profils",
    "User": "Utilisateur",
    "API tokens": "Jetons d'API",
    "My phones": "Mes postes",
    "Caller name": "Nom présenté",
    "SIP user name": "Identifiant SIP",
    "SIP server": "Serveur SIP",
    "SIP password": "Mot de passe SIP",
    "Realm": "Domaine (realm)",
    "Voicemail": "Messagerie vocale",
    "after %(seconds)s s of ringing": "après %(seconds)s s de sonnerie",
    "on": "activée",
    "off": "désactivée",
    "No phone is assigned to you.": "Aucun poste ne vous est attribué.",
    "Change my voicemail PIN": "Changer mon code de messagerie",
    "New voicemail PIN": "Nouveau code de messagerie",
    "4 to 8 digits, typed on the phone keypad.":
        "4 à 8 chiffres, tapés sur le clavier du téléphone.",
    "New PIN again": "Nouveau code (confirmation)",
    "The two PINs differ.": "Les deux codes sont différents.",
    "This PIN is too easy to guess (repeated or consecutive digits).":
        "Ce code est trop facile à deviner (chiffres répétés ou qui se suivent).",
    "The PIN cannot be your extension number.":
        "Le code ne peut pas être votre numéro de poste.",
    "No phone is assigned to you, so you have no voicemail.":
        "Aucun poste ne vous est attribué : vous n'avez donc pas de messagerie.",
    "Your voicemail PIN has been changed.": "Votre code de messagerie a été modifié.",
    # -- users -----------------------------------------------------------------------------
    "Users": "Utilisateurs",
    "New user": "Nouvel utilisateur",
    "Import": "Importer",
    "Export CSV": "Export CSV",
    "Export XLSX": "Export XLSX",
    "Extensions": "Postes",
    "Active": "Actif",
    "Account": "Compte",
    "Sign-in": "Connexion",
    "Phone": "Poste",
    "Extension": "Poste",
    "Extension number": "Numéro de poste",
    "First name": "Prénom",
    "Last name": "Nom",
    "What the user may see and do beyond their own data.":
        "Ce que l'utilisateur peut voir et faire en plus de ses propres données.",
    "Give a first password": "Donner un premier mot de passe",
    "Shown once after saving; the user changes it at the first sign-in. Without it, the "
    "account cannot sign in until you give one.":
        "Affiché une fois après l'enregistrement ; l'utilisateur le change à sa première "
        "connexion. Sans lui, le compte ne peut pas se connecter tant que vous ne lui en "
        "donnez pas un.",
    "Fill in to give the user a phone with this number (optional).":
        "À remplir pour donner à l'utilisateur un poste à ce numéro (facultatif).",
    "Shown to the people the phone calls; the user's name if empty.":
        "Affiché chez les personnes appelées ; le nom de l'utilisateur si vide.",
    "Used to sign in: letters, digits and @ . + - _ only.":
        "Sert à se connecter : lettres, chiffres et @ . + - _ uniquement.",
    "Untick to stop the account from signing in without deleting it.":
        "Décochez pour empêcher le compte de se connecter sans le supprimer.",
    "You cannot deactivate your own account.": "Vous ne pouvez pas désactiver votre propre compte.",
    "You cannot remove your own administrator profile.":
        "Vous ne pouvez pas retirer votre propre profil d'administrateur.",
    "You cannot delete your own account.": "Vous ne pouvez pas supprimer votre propre compte.",
    "Your profile may not create phones.": "Votre profil ne permet pas de créer des postes.",
    "Delete their phones too": "Supprimer aussi ses postes",
    "Otherwise the phones stay, without a user, and can be given to someone else.":
        "Sinon les postes restent, sans utilisateur, et peuvent être attribués à quelqu'un "
        "d'autre.",
    "inactive": "inactif",
    "no password yet": "pas encore de mot de passe",
    "must change the given password": "doit changer le mot de passe donné",
    "own password": "mot de passe personnel",
    "Last sign-in": "Dernière connexion",
    "Phones": "Postes",
    "No phone.": "Aucun poste.",
    "Add a phone": "Ajouter un poste",
    "Give a new password": "Donner un nouveau mot de passe",
    "The user has been created.": "L'utilisateur a été créé.",
    "First password": "Premier mot de passe",
    "User created": "Utilisateur créé",
    "The user has been saved.": "L'utilisateur a été enregistré.",
    "Edit %(name)s": "Modifier %(name)s",
    "The user has been deleted.": "L'utilisateur a été supprimé.",
    "Delete %(name)s": "Supprimer %(name)s",
    "Delete the user %(name)s? Their sign-in and profiles are lost.":
        "Supprimer l'utilisateur %(name)s ? Son accès et ses profils seront perdus.",
    "New password for %(name)s": "Nouveau mot de passe pour %(name)s",
    "Replace the password of %(name)s by a new one, shown once? They will choose their own "
    "at the next sign-in.":
        "Remplacer le mot de passe de %(name)s par un nouveau, affiché une fois ? "
        "L'utilisateur choisira le sien à sa prochaine connexion.",
    # -- import and export -----------------------------------------------------------------
    "users (%(format)s)": "utilisateurs (%(format)s)",
    "File (CSV or XLSX)": "Fichier (CSV ou XLSX)",
    "The columns of the export; one line per phone, the user's columns repeated for a user "
    "with several phones.":
        "Les colonnes de l'export ; une ligne par poste, les colonnes de l'utilisateur "
        "répétées pour un utilisateur qui a plusieurs postes.",
    "This XLSX file cannot be read (is it damaged?).":
        "Ce fichier XLSX est illisible (est-il endommagé ?).",
    "This file is neither CSV nor XLSX.": "Ce fichier n'est ni un CSV ni un XLSX.",
    "This CSV file cannot be read: %(error)s": "Ce fichier CSV est illisible : %(error)s",
    "The file is too big (%(max)s MB at most).": "Le fichier est trop gros (%(max)s Mo au plus).",
    "The file is empty.": "Le fichier est vide.",
    "The first line must name the columns %(expected)s (in any order). Missing: "
    "%(missing)s. Unknown or repeated: %(unknown)s.":
        "La première ligne doit nommer les colonnes %(expected)s (dans n'importe quel "
        "ordre). Manquantes : %(missing)s. Inconnues ou répétées : %(unknown)s.",
    "The file has a header line but no data.":
        "Le fichier a une ligne d'en-tête mais aucune donnée.",
    "The file has too many lines (%(max)s at most).":
        "Le fichier a trop de lignes (%(max)s au plus).",
    "Write yes or no (got “%(value)s”).": "Écrivez oui ou non (reçu « %(value)s »).",
    "Unknown profile “%(name)s” (known: %(known)s).":
        "Profil « %(name)s » inconnu (connus : %(known)s).",
    "Differs from line %(line)s for the same user.":
        "Diffère de la ligne %(line)s pour le même utilisateur.",
    "A phone column is filled but the extension is empty.":
        "Une colonne du poste est remplie mais le numéro de poste est vide.",
    "Extension %(extension)s is already on line %(line)s.":
        "Le poste %(extension)s figure déjà à la ligne %(line)s.",
    "Write a number of seconds (got “%(value)s”).":
        "Écrivez un nombre de secondes (reçu « %(value)s »).",
    "Import users and phones": "Importer des utilisateurs et des postes",
    "Preview": "Aperçu",
    "Nothing was imported": "Rien n'a été importé",
    "Line": "Ligne",
    "Column": "Colonne",
    "Problem": "Problème",
    "Lines of the file": "Lignes du fichier",
    "new": "nouveau",
    "update": "mise à jour",
    "same as above": "comme au-dessus",
    "Upload another file": "Envoyer un autre fichier",
    "Upload a file": "Envoyer un fichier",
    "Check the file": "Vérifier le fichier",
    "What the file must contain": "Ce que le fichier doit contenir",
    "The first line names the columns, in any order:":
        "La première ligne nomme les colonnes, dans n'importe quel ordre :",
    "One line per phone; a user with several phones is on several lines, a user without a "
    "phone on one line with the phone columns empty.":
        "Une ligne par poste ; un utilisateur qui a plusieurs postes occupe plusieurs "
        "lignes, un utilisateur sans poste une ligne aux colonnes du poste vides.",
    "Users are found by user name and phones by extension: existing ones are updated, the "
    "others created. Nothing is deleted.":
        "Les utilisateurs sont retrouvés par identifiant et les postes par numéro : ceux qui "
        "existent sont mis à jour, les autres créés. Rien n'est supprimé.",
    "profiles: profile names separated by ; (e.g. admin;stats). active and "
    "voicemail_enabled: yes or no. ring_timeout: seconds (20 if empty).":
        "profiles : noms de profils séparés par ; (par ex. admin;stats). active et "
        "voicemail_enabled : yes ou no (ou oui, non). ring_timeout : secondes (20 si vide).",
    "At most %(max_rows)s lines and 2 MB. The export of the user list is a ready-made "
    "example.":
        "Au plus %(max_rows)s lignes et 2 Mo. L'export de la liste des utilisateurs est un "
        "exemple tout prêt.",
    "Passwords and SIP secrets are never in the file: new phones get new secrets, shown "
    "once after the import.":
        "Les mots de passe et secrets SIP ne sont jamais dans le fichier : les nouveaux "
        "postes reçoivent de nouveaux secrets, affichés une fois après l'import.",
    "Nothing to import: upload the file again.": "Rien à importer : envoyez à nouveau le fichier.",
    "Import done": "Import terminé",
    "Back to the users": "Retour aux utilisateurs",
    "New phones": "Nouveaux postes",
    "SIP server: %(server)s": "Serveur SIP : %(server)s",
    # -- departments -----------------------------------------------------------------------
    "Departments": "Services",
    "New department": "Nouveau service",
    "A department with this name exists.": "Un service porte déjà ce nom.",
    "Nobody is in this department.": "Personne n'est dans ce service.",
    "The department has been saved.": "Le service a été enregistré.",
    "The department has been deleted.": "Le service a été supprimé.",
    "Delete the department %(name)s? Its %(count)s users stay, without a department.":
        "Supprimer le service %(name)s ? Ses %(count)s utilisateurs restent, sans service.",
    # -- journal ---------------------------------------------------------------------------
    "creation": "création",
    "change": "modification",
    "deletion": "suppression",
    "sign-in": "connexion",
    "failed sign-in": "échec de connexion",
    "sign-in locked": "connexion bloquée",
    "SIP secret regenerated": "secret SIP régénéré",
    "profiles changed": "profils modifiés",
    "import": "import",
    "export": "export",
    "Who": "Qui",
    "Action": "Action",
    "Object type": "Type d'objet",
    "Source": "Origine",
    "Since": "Depuis le",
    "Until": "Jusqu'au",
    "The end date is before the start date.": "La date de fin précède la date de début.",
    "Journal entry": "Entrée du journal",
    "Journal of changes": "Journal des modifications",
    "When": "Quand",
    "Object": "Objet",
    "Address": "Adresse",
    "Changed fields": "Champs modifiés",
    "Changes": "Modifications",
    "Field": "Champ",
    "Before": "Avant",
    "After": "Après",
    "(empty)": "(vide)",
    "No field changed.": "Aucun champ modifié.",
    # -- site settings ---------------------------------------------------------------------
    "Settings": "Paramètres",
    "The settings have been saved.": "Les paramètres ont été enregistrés.",
    "Your own address (%(address)s) is not in these networks: you would lose access to "
    "these pages. Add it first.":
        "Votre propre adresse (%(address)s) n'est pas dans ces réseaux : vous perdriez "
        "l'accès à ces pages. Ajoutez-la d'abord.",
    "Your address, as Centrex sees it: %(address)s":
        "Votre adresse, telle que Centrex la voit : %(address)s",
    # -- phones ----------------------------------------------------------------------------
    "State": "État",
    "Model": "Modèle",
    "New phone": "Nouveau poste",
    "unknown": "inconnu",
    "not in Asterisk": "absent d'Asterisk",
    "registered": "enregistré",
    "not registered": "non enregistré",
    "Regenerate the SIP secret": "Régénérer le secret SIP",
    "Regenerate": "Régénérer",
    "Phone created": "Poste créé",
    "The phone has been saved.": "Le poste a été enregistré.",
    "Edit phone %(extension)s": "Modifier le poste %(extension)s",
    "The phone has been deleted.": "Le poste a été supprimé.",
    "Delete phone %(extension)s": "Supprimer le poste %(extension)s",
    "Delete the phone %(phone)s? Calls to %(extension)s will fail, and its voicemail box is "
    "removed.":
        "Supprimer le poste %(phone)s ? Les appels vers le %(extension)s échoueront et sa "
        "boîte vocale sera supprimée.",
    "New SIP secret for %(extension)s": "Nouveau secret SIP pour le %(extension)s",
    "Give the phone %(phone)s a new SIP secret? The device stops working until it is "
    "configured with the new one, shown once on the next page.":
        "Donner un nouveau secret SIP au poste %(phone)s ? L'appareil cessera de "
        "fonctionner jusqu'à ce qu'il soit configuré avec le nouveau, affiché une fois sur "
        "la page suivante.",
    "4 to 8 digits. Leave empty to keep the current PIN.":
        "4 à 8 chiffres. Laissez vide pour garder le code actuel.",
    "Phone %(extension)s": "Poste %(extension)s",
    "Ring time": "Durée de sonnerie",
    "%(seconds)s s": "%(seconds)s s",
    "SIP account": "Compte SIP",
    "not shown: regenerate it to get a new one":
        "non affiché : régénérez-le pour en obtenir un nouveau",
    "Registration (live from Asterisk)": "Enregistrement (en direct d'Asterisk)",
    "Asterisk cannot be reached, so the state of this phone is unknown (%(error)s).":
        "Asterisk est injoignable : l'état de ce poste est donc inconnu (%(error)s).",
    "Asterisk does not know this phone yet: the configuration has not been applied.":
        "Asterisk ne connaît pas encore ce poste : la configuration n'a pas été appliquée.",
    "Asterisk cannot be reached, so the registration state is unknown (%(live_error)s).":
        "Asterisk est injoignable : l'état d'enregistrement est donc inconnu "
        "(%(live_error)s).",
    "Device": "Appareil",
    "Reachability": "Joignabilité",
    "Round trip": "Aller-retour",
    "Expires": "Expire le",
    "reachable": "joignable",
    "unreachable": "injoignable",
    "not checked yet": "pas encore vérifié",
    "No device is registered with this account.": "Aucun appareil n'est enregistré sur ce compte.",
}

# Strings of the portal's foundations (models, profiles, layout) that these pages show; kept
# here so that the pages are French from top to bottom.
FR.update({
    "must change password": "doit changer de mot de passe",
    "Set for a printed first password: changed at the next sign-in.":
        "Pour un premier mot de passe imprimé : changé à la prochaine connexion.",
    "Administer the PBX": "Administrer l'autocommutateur",
    "See the costs of everyone": "Voir les coûts de tous",
    "See the costs of one's department": "Voir les coûts de son service",
    "See the call log of everyone": "Voir le journal des appels de tous",
    "See the call log of one's department": "Voir le journal des appels de son service",
    "See all statistics": "Voir toutes les statistiques",
    "See the global statistics": "Voir les statistiques globales",
    "Switch incidents on and off": "Activer et désactiver les incidents",
    "Forward calls to external numbers": "Renvoyer les appels vers l'extérieur",
    "Read the journal of changes": "Lire le journal des modifications",
    "web": "web",
    "API": "API",
    "command line": "ligne de commande",
    "system": "système",
    "when": "quand",
    "who": "qui",
    "from": "origine",
    "address": "adresse",
    "action": "action",
    "object type": "type d'objet",
    "object id": "identifiant de l'objet",
    "object": "objet",
    "changes": "modifications",
    "journal entry": "entrée du journal",
    "journal of changes": "journal des modifications",
    "networks allowed to use the administration pages":
        "réseaux autorisés à utiliser les pages d'administration",
    "One network per line (e.g. 192.168.1.0/24). Empty: no restriction.":
        "Un réseau par ligne (par ex. 192.168.1.0/24). Vide : aucune restriction.",
    "site settings": "paramètres du site",
    "Administrator": "Administrateur",
    "Management (all costs and statistics)": "Direction (tous les coûts et statistiques)",
    "Accounting (all costs)": "Comptabilité (tous les coûts)",
    "Department head": "Chef de service",
    "Call log of everyone": "Journal des appels de tous",
    "Global statistics": "Statistiques globales",
    "Incident supervisor": "Superviseur incidents",
    "External forwards": "Renvoi externe",
    "Line %(line)s is not a network (e.g. 192.168.1.0/24): “%(value)s”.":
        "La ligne %(line)s n'est pas un réseau (par ex. 192.168.1.0/24) : « %(value)s ».",
    "Home": "Accueil",
    "Journal": "Journal",
    "Menu": "Menu",
    "Main menu": "Menu principal",
    "Sign out": "Déconnexion",
    "Access denied": "Accès refusé",
    "The administration pages cannot be opened from this network.":
        "Les pages d'administration ne peuvent pas être ouvertes depuis ce réseau.",
    "Your profile does not give access to this page.":
        "Votre profil ne donne pas accès à cette page.",
    "Hello %(name)s": "Bonjour %(name)s",
    "PBX": "Autocommutateur",
    "My phone": "Mon poste",
})

PLURALS = {
    "%(n)s user created": ("%(n)s utilisateur créé", "%(n)s utilisateurs créés"),
    "%(n)s user updated": ("%(n)s utilisateur mis à jour", "%(n)s utilisateurs mis à jour"),
    "%(n)s phone created": ("%(n)s poste créé", "%(n)s postes créés"),
    "%(n)s phone updated": ("%(n)s poste mis à jour", "%(n)s postes mis à jour"),
    "%(counter)s user": ("%(counter)s utilisateur", "%(counter)s utilisateurs"),
    "Import %(counter)s line": ("Importer %(counter)s ligne", "Importer %(counter)s lignes"),
    "%(counter)s line is ready to import. Check it, then confirm: everything is imported, "
    "or nothing.": (
        "%(counter)s ligne est prête à être importée. Vérifiez-la, puis confirmez : tout "
        "est importé, ou rien.",
        "%(counter)s lignes sont prêtes à être importées. Vérifiez-les, puis confirmez : "
        "tout est importé, ou rien."),
    "The file has %(counter)s problem. Correct the file and upload it again: nothing is "
    "imported while a line is wrong.": (
        "Le fichier a %(counter)s problème. Corrigez-le et envoyez-le à nouveau : rien "
        "n'est importé tant qu'une ligne est fausse.",
        "Le fichier a %(counter)s problèmes. Corrigez-le et envoyez-le à nouveau : rien "
        "n'est importé tant qu'une ligne est fausse."),
    "phone configured": ("poste configuré", "postes configurés"),
}
