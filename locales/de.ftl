# Roster auf Deutsch: jede Meldung des Fensters, der Befehlszeile und des Kerns.
# Die Ids, die { $Platzhalter } und die [Varianten] bleiben wie in en.ftl.

## The window's frame: sidebar, status bar

nav-main = Hauptmenü
nav-overview = Übersicht
nav-users = Benutzer
nav-groups = Gruppen
nav-organizations = Organisationen
nav-devices = Geräte
nav-tokens = Benutzertoken
nav-audit = Audit-Protokoll
nav-roles = Rollen
nav-outbox = Postausgang
nav-settings = Einstellungen
nav-attributes = Attribute
nav-account = Mein Konto
shell-sign-out = Abmelden
shell-help = Hilfe
shell-update-available = Roster { $version } ist verfügbar
statusbar-reconnecting = Verbindung zur Datenbank wird wiederhergestellt … nächster Versuch in { $seconds } s. Bis dahin schlägt Speichern fehl.
statusbar-change-directory = Wechseln …
statusbar-database-unavailable = Datenbank nicht erreichbar: { $reason }
statusbar-retry = Erneut versuchen
statusbar-connecting = Verbindung wird aufgebaut …
api-unexpected-error = Das Backend der App hat einen unerwarteten Fehler gemeldet.

## Words many screens share

common-save = Speichern
common-cancel = Abbrechen
common-close = Schließen
common-delete = Löschen
common-edit = Bearbeiten
common-add = Hinzufügen
common-remove = Entfernen
common-retry = Erneut versuchen
common-search = Suchen
common-loading = Wird geladen …
common-yes = Ja
common-no = Nein
common-none = Keine
common-back = Zurück
common-next = Weiter
common-done = Fertig
common-copy = Kopieren
common-copied = Kopiert
common-saved = Gespeichert.
common-apply = Anwenden
common-clear = Leeren
common-refresh = Aktualisieren
common-more-actions = Weitere Aktionen

## Sign-in screen and first Owner (SignInScreen.tsx)

signin-directory = Verzeichnis: { $location }
signin-change-directory = Ändern …
signin-password-set = Ihr Passwort ist festgelegt. Melden Sie sich jetzt damit an.
signin-title-redeem = Einmalcode verwenden
signin-title-code = Zwei-Faktor-Authentifizierung
signin-title = Bei { $organization } anmelden
signin-login = Benutzername oder E-Mail-Adresse
signin-code-prompt = Geben Sie den 6-stelligen Code ein, den Ihre Authenticator-App für { $login } anzeigt.
signin-password = Passwort
signin-authentication-code = Authentifizierungscode
signin-one-time-code = Einmalcode
signin-one-time-code-hint = Aus Ihrer Einladung oder der Nachricht zum Zurücksetzen Ihres Passworts.
signin-new-password = Neues Passwort
signin-password-hint = Mindestens 15 Zeichen. Einige zusammenhanglose Wörter lassen sich leicht merken.
signin-set-password = Passwort festlegen
signin-verify = Bestätigen
signin-submit = Anmelden
signin-have-code = Ich habe einen Code
signin-back = Zurück zur Anmeldung
signin-first-owner-title = Ersten Owner anlegen
signin-first-owner-subtitle = { $organization } hat noch keinen Owner. Der Owner darf alles, auch Rollen und Einstellungen verwalten.
signin-first-name = Vorname
signin-last-name = Nachname
signin-email = E-Mail-Adresse
signin-email-hint = Ihr Benutzername ist der Teil vor dem @.
signin-create-owner = Owner anlegen und anmelden

## Required steps after sign-in (RequiredSteps.tsx)

signin-change-password-title = Neues Passwort wählen
signin-change-password-subtitle = { $name }, Ihr Administrator bittet Sie, ein eigenes Passwort zu wählen.
signin-repeat-password = Neues Passwort wiederholen
# A field's message, shown under the field; lower case like the backend's field messages.
signin-passwords-differ = die beiden Passwörter stimmen nicht überein; geben Sie zweimal dasselbe Passwort ein
signin-sign-out = Abmelden
signin-activate-title = Zwei-Faktor-Authentifizierung einrichten
signin-activate-subtitle = { $name }, fügen Sie Ihr Konto einer Authenticator-App hinzu und geben Sie dann den angezeigten Code ein.
signin-activation-code = 6-stelliger Code
signin-activate = Aktivieren

## Enrolling an authenticator app (Enrollment.tsx)

signin-enrollment-qr = QR-Code für { $issuer }: { $username }
signin-enrollment-scan = Scannen Sie den Code mit einer Authenticator-App oder geben Sie diesen Schlüssel dort ein:
signin-enrollment-account = Konto: { $issuer } ({ $username }) · zeitbasiert, 6 Ziffern, alle 30 Sekunden

## Connect screen (ConnectScreen.tsx)

connect-kind-mysql = MySQL oder MariaDB
connect-tls-verify-full = Zertifikat des Servers prüfen (verify-full)
connect-tls-require = Verschlüsseln, ohne das Zertifikat zu prüfen
connect-tls-prefer = Verschlüsseln, wenn der Server es anbietet
connect-tls-disable = Nicht verschlüsseln (nur in vertrauenswürdigen Netzwerken)
connect-open-now = Derzeit geöffnet
connect-remove-confirm = Die gespeicherte Verbindung { $name } entfernen? Das Verzeichnis auf dem Server bleibt unverändert.
connect-opening = Wird geöffnet …
connect-open = Öffnen
connect-open-password = Passwort (nur dieses Mal verwendet, nicht gespeichert)
connect-open-password-hint = Wenn der Server ein Passwort verlangt, das in keinem Schlüsselbund hinterlegt ist, geben Sie es ein und öffnen Sie erneut.
connect-title = Verzeichnis auswählen
connect-intro = Roster arbeitet jeweils mit einem Verzeichnis: der Datenbankdatei auf diesem Computer oder einem Datenbankserver, den Ihr Büro gemeinsam nutzt.
connect-directories = Verzeichnisse
connect-this-computer = Dieser Computer
connect-add-server = Datenbankserver hinzufügen …

## Database server form (ConnectScreen.tsx)

connect-form-title-edit = { $name } bearbeiten
connect-form-title-add = Datenbankserver hinzufügen
connect-name = Name
connect-name-hint = Wie Ihr Büro ihn nennt, z. B. Büroserver.
connect-server = Server
connect-database = Datenbank
connect-host = Host
connect-host-hint = Name oder IP-Adresse des Servers.
connect-port = Port
connect-user = Benutzer
connect-password = Passwort
connect-password-hint-again = Geben Sie das Passwort erneut ein: Das gespeicherte gilt nur für den Server, den Benutzer, die Datenbank und die Verschlüsselung, für die es gespeichert wurde.
connect-password-hint-keep = Wird im Schlüsselbund des Betriebssystems aufbewahrt. Leer lassen, um das gespeicherte beizubehalten.
connect-password-hint-new = Wird im Schlüsselbund des Betriebssystems aufbewahrt, nie in einer Datei.
connect-tls = Verschlüsselung (TLS)
connect-ca-file = CA-Zertifikatsdatei (PEM)
connect-ca-file-hint = Das Zertifikat der Zertifizierungsstelle, die das Serverzertifikat signiert hat. Leer lassen, um den Zertifizierungsstellen zu vertrauen, denen dieser Computer vertraut.
connect-cannot-save = Dieser Computer hat keinen Ordner für Einstellungen, daher können hier keine Verbindungen gespeichert werden.
connect-test = Verbindung testen

## Shared components: filter chips, conflict notice

ui-active-filters = Aktive Filter
ui-remove-filter = Filter { $filter } entfernen
ui-clear-filters = Alle entfernen
ui-conflict-reload = Neu laden
ui-conflict-keep-mine = Meine Änderungen behalten

## My account (AccountPage.tsx)

account-title = Mein Konto
account-identity = { $name } · { $username } · Rolle { $role }
account-password-changed = Ihr Passwort wurde geändert.
account-change-password-legend = Passwort ändern
account-current-password = Aktuelles Passwort
account-new-password = Neues Passwort
account-change-password = Passwort ändern
account-tokens-legend = Meine Benutzertoken
account-language-legend = Sprache
account-language = Sprache dieses Fensters
account-language-system = Die Sprache des Systems
account-language-system-now = Die Sprache des Systems ({ $language })
account-language-hint = Datum, Uhrzeit und Zahlen richten sich ebenfalls danach. Wird auf diesem Arbeitsplatz gespeichert.

## User fields, as every screen labels them (fieldLabels.ts)

field-user-id = Benutzer-ID
field-email = E-Mail
field-first-name = Vorname
field-last-name = Nachname
field-username = Benutzername
field-phone = Telefon
field-organization = Organisation
field-team = Team
field-tags = Schlagwörter
field-role = Rolle
field-status = Status
field-job-title = Position
field-department = Abteilung
field-employee-id = Personalnummer
field-manager = Vorgesetzter
field-work-phone = Telefon (geschäftlich)
field-mobile-phone = Mobiltelefon
field-office = Standort
field-cost-center = Kostenstelle
field-start-date = Eintrittsdatum
field-end-date = Austrittsdatum
field-two-factor = 2FA
field-group-count = Gruppen
field-device-count = Geräte
field-identity-provider = Identitätsanbieter
field-created-at = Erstellt
field-modified-at = Geändert
field-last-sign-in-at = Letzte Anmeldung
field-password-changed-at = Passwort geändert
field-created-by = Erstellt von

## A user's status and 2FA state (users/format.ts)

user-status-staged = Vorbereitet
user-status-active = Aktiv
user-status-suspended = Ausgesetzt
user-status-locked = Gesperrt
user-status-auto-locked = Automatisch gesperrt
user-status-awaiting-new-password = Muss Passwort ändern
user-status-recovery = Wiederherstellung
user-status-staged-hint = Bereitgestellt; hat sich noch nicht angemeldet
user-status-active-hint = Kann sich anmelden
user-status-suspended-hint = Von einem Administrator ausgesetzt
user-status-locked-hint = Von einem Administrator gesperrt
user-status-auto-locked-hint = Nach fehlgeschlagenen Anmeldungen automatisch gesperrt
user-status-awaiting-new-password-hint = Muss bei der nächsten Anmeldung ein neues Passwort festlegen
user-status-recovery-hint = Stellt den Zugang zum Konto wieder her
two-factor-active = Aktiv
two-factor-pending-activation = Nicht aktiv
two-factor-not-configured = Nicht eingerichtet
two-factor-not-available = Nicht verfügbar

## Status actions on one or many users (users/actions.ts)

users-count = { $count } Benutzer
users-activate = Aktivieren
users-activate-title = { $count } Benutzer aktivieren
users-activate-done = { $count } Benutzer aktiviert
users-suspend = Aussetzen
users-suspend-title = { $count } Benutzer aussetzen
users-suspend-confirm = { $count } Benutzer aussetzen? Bis die Aussetzung aufgehoben wird, ist keine Anmeldung möglich.
users-suspend-done = { $count } Benutzer ausgesetzt
users-unsuspend = Aussetzung aufheben
users-unsuspend-title = Aussetzung für { $count } Benutzer aufheben
users-unsuspend-done = Aussetzung für { $count } Benutzer aufgehoben
users-lock = Sperren
users-lock-title = { $count } Benutzer sperren
users-lock-confirm = { $count } Benutzer sperren? Bis zur Entsperrung ist keine Anmeldung möglich.
users-lock-done = { $count } Benutzer gesperrt
users-unlock = Entsperren
users-unlock-title = { $count } Benutzer entsperren
users-unlock-done = { $count } Benutzer entsperrt

## Confirmations and results of the other actions (users/useBulkActions.ts)

users-delete-title = { $count } Benutzer löschen
users-delete-confirm = { $count } Benutzer löschen? Dies kann nicht rückgängig gemacht werden. Die Einträge im Audit-Protokoll bleiben erhalten.
users-delete-done = { $count } Benutzer gelöscht
users-reset-two-factor-title = 2FA für { $count } Benutzer zurücksetzen
users-reset-two-factor-confirm = { $count ->
    [one] Zwei-Faktor-Authentifizierung für { $count } Benutzer zurücksetzen? Die Codes der Authenticator-App sind dann ungültig; bei der nächsten Anmeldung wird ein neuer QR-Code gescannt. Der Benutzer wird per E-Mail benachrichtigt.
   *[other] Zwei-Faktor-Authentifizierung für { $count } Benutzer zurücksetzen? Die Codes der Authenticator-App sind dann ungültig; bei der nächsten Anmeldung wird ein neuer QR-Code gescannt. Die Benutzer werden per E-Mail benachrichtigt.
}
users-reset-two-factor-confirm-button = 2FA zurücksetzen
users-reset-two-factor-done = 2FA für { $count } Benutzer zurückgesetzt
users-reset-password-title = Passwort für { $count } Benutzer zurücksetzen
users-reset-password-confirm = { $count ->
    [one] { $count } Benutzer einen Einmalcode zum Festlegen eines neuen Passworts senden? Der Code läuft nach 24 Stunden ab.
   *[other] { $count } Benutzern einen Einmalcode zum Festlegen eines neuen Passworts senden? Der Code läuft nach 24 Stunden ab.
}
users-reset-password-confirm-button = Code zum Zurücksetzen senden
users-reset-password-done = Passwort-Zurücksetzung an { $count } Benutzer gesendet
users-remove-from-group-confirm = { $count ->
    [one] { $count } Benutzer aus { $group } entfernen? Das Benutzerkonto bleibt bestehen.
   *[other] { $count } Benutzer aus { $group } entfernen? Die Benutzerkonten bleiben bestehen.
}
users-remove-from-group-done = { $count } Benutzer aus { $group } entfernt

## Deleting users: where their devices go (users/DeviceHandover.tsx)

users-handover-legend = Geräte der Benutzer
users-handover-retire = Außer Betrieb nehmen (bleiben ohne Besitzer im Bestand)
users-handover-give = Übergeben an
users-handover-heir-label = Benutzername oder E-Mail-Adresse der Person, die die Geräte übernimmt
users-handover-heir-placeholder = Benutzername oder E-Mail-Adresse

## The users list (users/UsersPage.tsx)

users-title = Benutzer
users-title-group-members = Mitglieder von { $group }
users-import = Importieren …
users-export = Exportieren …
users-new = Neuer Benutzer
users-search-label = Benutzer suchen
users-search-placeholder = Nach Name, Benutzername, E-Mail-Adresse oder Personalnummer suchen
users-columns = Spalten
users-filters = Filter
users-searching = Suche läuft
users-count-none = Noch keine Benutzer
users-count-no-match = Keine passenden Benutzer
users-no-match-search = Keine Benutzer für „{ $search }“ gefunden
users-count-range = { $total ->
    [one] { $first }–{ $last } von { $total } Benutzer
   *[other] { $first }–{ $last } von { $total } Benutzern
}
users-count-range-more = { $first }–{ $last } von { $total }+ Benutzern
users-count-range-counting = { $first }–{ $last } von { $total }+ Benutzern (wird gezählt …)
users-open = Öffnen
users-reset-password = Passwort zurücksetzen …
users-reset-two-factor = 2FA zurücksetzen …
users-remove-from-named-group = Aus { $group } entfernen
users-remove-from-group = Aus Gruppe entfernen
users-add-to-group = Zu Gruppe hinzufügen …
users-delete = Löschen …
users-bulk-actions = Aktionen für die Auswahl
users-selection-count = { $count } ausgewählt
users-select-all-matching = Alle { $total } Treffer auswählen
users-select-all-matching-more = Alle { $total }+ Treffer auswählen
users-clear-selection = Auswahl aufheben
users-bulk-edit = Einstellungen bearbeiten …
users-empty-group-title = Noch keine Mitglieder
users-empty-group-hint = Fügen Sie Mitglieder über das Feld oben hinzu.
# $command is the command line, shown as code
users-empty-hint = Fügen Sie Benutzer mit { $command } hinzu oder importieren Sie eine CSV-Datei.
users-no-match-filters = Keine Benutzer entsprechen diesen Filtern
users-no-match-hint = Prüfen Sie die Schreibweise, suchen Sie nach einem Teil eines Namens, Benutzernamens oder einer E-Mail-Adresse, oder setzen Sie die Filter zurück.
users-confirm-ok = OK
users-add-to-group-done = { $count } Benutzer zu { $group } hinzugefügt
users-bulk-edit-done = { $count } Benutzer aktualisiert
# $file is the path of the file written
users-export-done = { $count } Benutzer nach { $file } exportiert
users-group-picker-title = { $count } Benutzer zu einer Gruppe hinzufügen
users-group-picker-placeholder = Gruppennamen eingeben
users-group-picker-members = { $count ->
    [one] { $count } Mitglied
   *[other] { $count } Mitglieder
}
users-group-picker-no-match = Keine passende Gruppe; Gruppen legen Sie im Bereich „Gruppen“ an.
users-loading = Benutzer werden geladen …
users-load-failed = Benutzer konnten nicht geladen werden
users-load-failed-hint = Prüfen Sie, ob die Datenbank erreichbar ist, und versuchen Sie es dann erneut.
# $reason is the database's error message
users-rows-failed = Einige Zeilen konnten nicht geladen werden: { $reason }

## The table (users/UserTable.tsx, users/RowMenu.tsx, users/columns.tsx)

users-table = Benutzer
users-select-loaded = Geladene Zeilen auswählen
users-actions-column = Aktionen
users-row-select = { $name } auswählen
users-row-actions = Aktionen für { $name }
users-never = Nie
users-team-unassigned = Nicht zugewiesen
users-devices-column = Anzahl Geräte
users-devices-active = { $count ->
    [one] { $count } aktives Gerät
   *[other] { $count } aktive Geräte
}

## Choosing columns (users/ColumnsMenu.tsx)

users-columns-move-up = { $column } nach oben verschieben
users-columns-move-down = { $column } nach unten verschieben
users-columns-reset = Standard wiederherstellen

## Filters and their chips (users/filters.tsx)

users-filter-any = Beliebig
users-filter-yes = Ja
users-filter-no = Nein
users-devices-one = Eins
users-devices-several = Mehrere
users-filter-ending = { $days ->
    [one] Austritt innerhalb des nächsten Tages
   *[other] Austritt innerhalb der nächsten { $days } Tage
}
users-filter-group = Gruppe
users-filter-attributes = Attribute
users-chip-status = Status: { $status }
users-chip-two-factor = 2FA: { $state }
users-chip-organization = Organisation: { $organization }
users-chip-team = Team: { $team }
users-chip-devices = Geräte: { $devices }
users-chip-role = Rolle: { $role }
users-chip-department = Abteilung: { $department }
users-chip-ending = { $days ->
    [one] Austritt innerhalb von { $days } Tag
   *[other] Austritt innerhalb von { $days } Tagen
}
# $attribute is the attribute's label, $value the value filtered by
users-chip-attribute = { $attribute }: { $value }
users-chip-managers = Unterstellt den ausgewählten Benutzern
users-chip-group = Gruppe: { $group }

## Editing many users at once (users/BulkEditDialog.tsx)

users-bulk-edit-title = Einstellungen für { $count } Benutzer bearbeiten
users-bulk-edit-apply = Auf { $count } Benutzer anwenden
users-bulk-edit-hint = Lassen Sie ein Feld leer, um den bisherigen Wert jedes Benutzers beizubehalten.
users-bulk-edit-clear-team = Aus dem Team entfernen (Nicht zugewiesen)
users-bulk-edit-unchanged = Unverändert
users-bulk-edit-add-tags = Schlagwörter hinzufügen
users-bulk-edit-remove-tags = Schlagwörter entfernen
users-bulk-edit-tags-placeholder = durch Kommas getrennt

## User details panel: header and tabs

# The panel's title while the user is still being read.
details-title-loading = Benutzer
details-user-id = Benutzer-ID { $id }
details-tab-info = Benutzerdaten
details-tab-groups = Gruppen
details-tab-tokens = Benutzertoken
details-tab-devices = Geräte
details-tab-activity = Aktivität

## User Info tab

details-saved = Gespeichert
details-version = Version
# After the creation date and time: who created the user.
details-created-by = von { $name }
# Last sign-in or password change that has not happened.
details-never = Nie

## User form (details and New user)

details-manager-email = Vorgesetzter (E-Mail)
details-team-placeholder = Nicht zugewiesen
details-tags-placeholder = durch Kommas getrennt
details-section-work = Beschäftigung
details-section-attributes = Attribute

## Reporting line

details-reporting-line = Berichtslinie
details-direct-reports = Direkt unterstellte Mitarbeitende
# No manager set (masculine in German: "der Vorgesetzte").
details-no-manager = Keiner
details-reports-unreadable = Lesen fehlgeschlagen: { $reason }
# Below the direct reports listed by name: how many more there are.
details-reports-more = { $count ->
    [one] und { $count } weitere Person
   *[other] und { $count } weitere Personen
}

## Administers (organizations a console account administers)

details-administers = Verwaltungsbereich
details-administers-legend = Organisationen, die dieses Konto verwaltet
details-administers-whole = Das gesamte Verzeichnis
details-administers-some = Nur diese Organisationen
details-administers-save = Organisationen speichern

## New user dialog

details-create-title = Neuer Benutzer
details-create-submit = Benutzer anlegen
details-create-username-placeholder = aus der E-Mail-Adresse abgeleitet
details-create-status = Status
details-create-status-staged = Vorbereitet (Einrichtung nicht abgeschlossen)
details-create-status-active = Aktiv
details-create-send-invitation = Einladung senden: eine E-Mail mit einem Einmalcode zum Festlegen eines Passworts (7 Tage gültig)

## Credential actions (password, 2FA, invitation)

details-set-password-button = Passwort festlegen …
details-reset-password-button = Passwort zurücksetzen …
details-reset-2fa-button = 2FA zurücksetzen …
details-show-qr = 2FA-QR-Code anzeigen
details-resend-invitation = Einladung erneut senden
details-reset-2fa-title = 2FA zurücksetzen
details-reset-password-title = Passwort zurücksetzen
details-resend-invitation-title = Einladung erneut senden
details-reset-2fa-confirm = Zwei-Faktor-Authentifizierung von { $name } zurücksetzen? Die bisherigen Codes der Authenticator-App werden ungültig; bei der nächsten Anmeldung muss ein neuer QR-Code gescannt werden. { $name } wird per E-Mail benachrichtigt.
details-reset-password-confirm = { $name } einen Einmalcode (24 Stunden gültig) zum Festlegen eines neuen Passworts senden? Bis dahin befindet sich das Konto in der Wiederherstellung.
details-resend-invitation-confirm = { $name } die Nachricht für neue Benutzer mit einem Einmalcode erneut senden? Der bisherige Code wird damit ungültig.
details-reset-2fa-confirm-button = 2FA zurücksetzen
details-send = Senden
details-reset-2fa-done = 2FA zurückgesetzt: Ein neuer QR-Code wartet darauf, gescannt zu werden.
details-reset-code-sent = Code zum Zurücksetzen an { $email } gesendet.
details-invitation-sent = Einladung an { $email } gesendet.
details-qr-title = 2FA für { $name }
details-print = Drucken

## Set password dialog

details-set-password-title = Passwort für { $name } festlegen
details-set-password-submit = Passwort festlegen
details-generated-password = Das neue Passwort. Kopieren Sie es jetzt: Es wird nicht erneut angezeigt.
details-password-set = Das Passwort wurde festgelegt.
details-password-must-change-next = Bei der nächsten Anmeldung muss ein eigenes Passwort gewählt werden.
details-password-usable-now = Die Anmeldung mit diesem Passwort ist ab sofort möglich.
details-password-generate = Sicheres Passwort generieren (24 Zeichen, wird einmalig angezeigt)
details-password-type = Passwort eingeben
details-password-label = Passwort
details-password-must-change = Muss bei der nächsten Anmeldung geändert werden
details-password-notify = { $email } per E-Mail benachrichtigen (die Nachricht enthält das Passwort nicht)

## Groups tab

details-add-to-group = Zu Gruppe hinzufügen …
details-no-groups = Kein Mitglied einer Gruppe.
details-group-members = { $count ->
    [one] { $count } Mitglied
   *[other] { $count } Mitglieder
}
details-remove-from-group-title = Aus Gruppe entfernen
details-remove-from-group-confirm = { $name } aus { $group } entfernen?

## User Tokens tab

details-token-days = Gültigkeit in Tagen
details-issue-token = Token ausstellen

## Devices tab

details-devices-hidden = Mit Ihrer Rolle können keine Geräte angezeigt werden.
details-active-devices = { $count ->
    [one] { $count } aktives Gerät
   *[other] { $count } aktive Geräte
}

## Activity tab

details-no-activity = Noch keine Aktivität.
details-sign-in-attempts = Anmeldeversuche
details-sign-in-succeeded = Angemeldet
details-sign-in-failed = Fehlgeschlagen
details-changes = Änderungen

## Audit log: page, filters, export

audit-title = Audit-Protokoll
audit-export-csv = Als CSV exportieren
audit-export-jsonl = Als JSON Lines exportieren
# $count: entries written; $file: the path of the file
audit-exported = { $count ->
    [one] { $count } Eintrag nach { $file } exportiert
   *[other] { $count } Einträge nach { $file } exportiert
}
audit-search-label = Namen und geänderte Werte durchsuchen
# Changed values are searched as stored: "suspended" is a status code, keep it as is.
audit-search-placeholder = z. B. Lovelace, suspended
audit-filter-actor = Ausgeführt von
audit-filter-action = Aktion
audit-filter-target = Objekt
audit-filter-origin = Herkunft
audit-filter-workstation = Arbeitsplatz
audit-filter-date = Datum
audit-filter-from = Von
audit-filter-to = Bis
audit-filter-any = Alle
audit-period-any = Gesamter Zeitraum
audit-period-today = Heute
audit-period-week = Letzte 7 Tage
audit-period-custom = Benutzerdefiniert …
# The front end a change came through.
audit-origin-desktop = App
audit-origin-cli = Kommandozeile
audit-origin-import = Import
# $kind: the code of a record type (user, group, organization, role, token, device, settings,
# import, audit, mail, backup, attribute, sign_in). English shows the code itself; a translation
# names the known ones and shows any other code as it is.
audit-target-kind = { $kind ->
    [user] Benutzer
    [group] Gruppe
    [organization] Organisation
    [role] Rolle
    [token] Benutzertoken
    [device] Gerät
    [settings] Einstellungen
    [import] Import
    [audit] Audit-Protokoll
    [mail] E-Mail
    [backup] Sicherung
    [attribute] Attribut
    [sign_in] Anmeldung
   *[other] { $kind }
}
audit-chip-actor = Ausgeführt von: { $actor }
# $action: a stable action code, e.g. user.suspend
audit-chip-action = Aktion: { $action }
audit-chip-target-kind = Objekttyp: { $kind }
audit-chip-target = Objekt: { $target }
audit-chip-origin = Herkunft: { $origin }
audit-chip-workstation = Arbeitsplatz: { $workstation }
audit-chip-date-today = Datum: heute
audit-chip-date-week = Datum: letzte 7 Tage
# $from, $to: days as YYYY-MM-DD, or … when open
audit-chip-date-range = Datum: { $from } bis { $to }
audit-entries-label = Audit-Einträge
audit-no-entries = Noch keine Einträge.
audit-no-matches = Keine Einträge entsprechen diesen Filtern.
audit-choose-entry = Wählen Sie einen Eintrag aus, um zu sehen, was er geändert hat.

## Audit log: one entry's details

audit-details-when = Zeitpunkt
audit-details-who = Ausgeführt von
audit-details-workstation = Arbeitsplatz
audit-details-through = Herkunft
audit-details-action = Aktion
audit-details-entry = Eintrag
# Follows the action's code: "user.suspend on user #12". $kind: see audit-target-kind.
audit-details-action-target = für { $kind } #{ $id }
audit-details-no-fields = Für diese Aktion wurden keine Felder aufgezeichnet.
audit-changes-caption = Felder vorher und nachher
audit-changes-field = Feld
audit-changes-before = Vorher
audit-changes-after = Nachher
# $kind: the code of a record type (see audit-target-kind)
audit-details-about-target = { $kind ->
    [user] Alle Einträge zu diesem Benutzer
    [group] Alle Einträge zu dieser Gruppe
    [organization] Alle Einträge zu dieser Organisation
    [role] Alle Einträge zu dieser Rolle
    [token] Alle Einträge zu diesem Benutzertoken
    [device] Alle Einträge zu diesem Gerät
    [settings] Alle Einträge zu diesen Einstellungen
    [import] Alle Einträge zu diesem Import
    [audit] Alle Einträge zum Audit-Protokoll
    [mail] Alle Einträge zu dieser E-Mail
    [backup] Alle Einträge zu dieser Sicherung
    [attribute] Alle Einträge zu diesem Attribut
    [sign_in] Alle Einträge zu dieser Anmeldung
   *[other] Alle Einträge zu diesem Objekt ({ $kind })
}
audit-details-by-actor = Alle Einträge von { $actor }

## Audit log: verifying the chain

audit-verify = Protokoll prüfen
audit-verifying = Wird geprüft …
audit-anchor-input-label = Gespeicherter Anker (optional)
audit-verdict-tampered = Das Audit-Protokoll wurde manipuliert
audit-verdict-unchecked = Das Audit-Protokoll kann nicht anhand dieses Ankers geprüft werden
audit-verdict-intact = Das Audit-Protokoll ist unversehrt
audit-anchor-confirmed = Der gespeicherte Anker stimmt überein: Seit seiner Erstellung wurde nichts umgeschrieben.
audit-anchor-rewritten = Der gespeicherte Anker stimmt nicht überein: Das Protokoll wurde nach seiner Erstellung umgeschrieben.
audit-anchor-purged = Der Anker kann nicht geprüft werden: Sein Eintrag wurde inzwischen gelöscht. Speichern Sie nach jeder Bereinigung einen neuen Anker.
audit-anchor-keep = Anker – bewahren Sie ihn an einem Ort auf, an dem die Administratoren der Datenbank nicht schreiben können, um später zu prüfen, dass nichts umgeschrieben wurde:
audit-anchor-copy = Anker kopieren
# $through: date and time of the newest entry checked
audit-verify-checked = { $count ->
    [one] { $count } Eintrag bis { $through } geprüft.
   *[other] { $count } Einträge bis { $through } geprüft.
}
# $until: date and time of the newest entry purged
audit-verify-purged = Einträge bis { $until } wurden gemäß der Aufbewahrungseinstellung gelöscht.
audit-verify-pending = { $count ->
    [one] { $count } neuerer Eintrag ist noch nicht verkettet und wurde nicht geprüft: Prüfen Sie in Kürze erneut.
   *[other] { $count } neuere Einträge sind noch nicht verkettet und wurden nicht geprüft: Prüfen Sie in Kürze erneut.
}
# $entry, $after: entry numbers
audit-problem-unsealed = Eintrag #{ $entry } hat keinen Ketten-Hash: Er wurde außerhalb von Roster geschrieben.
audit-problem-changed = Eintrag #{ $entry } wurde nach dem Schreiben geändert.
audit-problem-inserted = Eintrag #{ $entry } wurde nachträglich eingefügt: Die Einträge davor und danach verweisen aufeinander.
audit-problem-broken-start = Die Einträge vor #{ $entry }, dem ältesten erhaltenen Eintrag, wurden ohne Bereinigung entfernt.
audit-problem-broken = Die Kette ist zwischen #{ $after } und #{ $entry } unterbrochen: Einträge wurden entfernt, oder #{ $after } wurde geändert und neu gehasht.
audit-problem-truncated-all = Alle Einträge wurden ohne Bereinigung entfernt.
audit-problem-truncated = Die neuesten Einträge wurden entfernt: Das Protokoll endet bei #{ $after }.
audit-problem-appended = Einträge nach #{ $after } wurden außerhalb von Roster hinzugefügt.
audit-problem-unvouched-purge = Laut Protokoll wurden die ältesten Einträge gelöscht, doch keine Bereinigung im Protokoll belegt dies: Sie wurden außerhalb von Roster entfernt und der Datensatz bearbeitet.
audit-problem-head-missing = Der Datensatz zum neuesten Eintrag wurde außerhalb von Roster entfernt; stellen Sie die Datenbank aus einer Sicherung wieder her.

## Groups page

groups-title = Gruppen
groups-import-memberships = Mitgliedschaften importieren …
groups-export-memberships = Mitgliedschaften exportieren …
# $count: memberships written; $file: the path of the file
groups-exported-memberships = { $count ->
    [one] { $count } Mitgliedschaft nach { $file } exportiert
   *[other] { $count } Mitgliedschaften nach { $file } exportiert
}
groups-new = Neue Gruppe
groups-empty-title = Noch keine Gruppen
groups-empty-hint = Gruppen fassen Benutzer zusammen, z. B. nach Schicht oder Projekt. Erstellen Sie die erste.
groups-column-name = Name
groups-column-description = Beschreibung
groups-column-organization = Organisation
groups-column-members = Mitglieder
groups-column-created-by = Erstellt von
groups-column-created = Erstellt
groups-column-actions = Aktionen
groups-members = Mitglieder
groups-members-of = Mitglieder von { $name }
groups-rename = Umbenennen
groups-rename-named = { $name } umbenennen
groups-delete-named = { $name } löschen
groups-rename-title = Gruppe umbenennen
groups-field-name = Name
groups-field-description = Beschreibung
groups-field-organization = Organisation (optional)
groups-delete-title = Gruppe löschen
groups-delete-confirm = { $count ->
    [0] Gruppe { $name } löschen? Sie hat keine Mitglieder.
    [one] Gruppe { $name } löschen? Ihr einziges Mitglied bleibt als Benutzer erhalten.
   *[other] Gruppe { $name } löschen? Ihre { $count } Mitglieder bleiben als Benutzer erhalten.
}
# Saving over another admin's change, when that admin deleted the group meanwhile.
groups-gone = Gruppe „{ $name }“ existiert nicht mehr

## A group's members

groups-back-to-all = ← Alle Gruppen
groups-add-members-placeholder = Mitglieder hinzufügen: Name, Benutzername oder E-Mail-Adresse eingeben

## Organization switcher (sidebar)

orgs-switcher-label = Organisation
orgs-switcher-all = Alle Organisationen

## Organizations page

orgs-title = Organisationen
orgs-new = Neue Organisation
orgs-empty-title = Noch keine Organisationen
orgs-empty-hint = Organisationen sind die Kunden, Unternehmen oder Standorte, zu denen Ihre Benutzer gehören. Legen Sie hier eine an, oder tragen Sie bei einem Benutzer eine ein.
orgs-column-name = Name
orgs-column-users = Benutzer
orgs-column-groups = Gruppen
orgs-column-devices = Geräte
orgs-column-accounts = Konten
orgs-column-accounts-title = Auf diese Organisation beschränkte Konsolenkonten
orgs-column-created = Erstellt
orgs-column-actions = Aktionen
orgs-rename = Umbenennen
orgs-rename-named = { $name } umbenennen
orgs-delete-named = { $name } löschen
orgs-rename-title = Organisation umbenennen
orgs-field-name = Name
orgs-delete-title = Organisation löschen
orgs-move-and-delete = Verschieben und löschen
orgs-delete-empty = Organisation { $name } löschen? Ihr ist nichts zugeordnet.
# $belongings: what still belongs to it, e.g. "12 users and 2 groups" (orgs-belonging-*)
orgs-delete-occupied = { $name } hat noch { $belongings }. Verschieben Sie diese in eine andere Organisation und löschen Sie anschließend { $name }.
orgs-delete-no-heir = Es gibt noch keine andere Organisation: Legen Sie zuerst die Organisation an, in die sie verschoben werden sollen.
orgs-move-to = Verschieben nach
orgs-move-to-choose = Organisation auswählen …
orgs-belonging-users = { $count } Benutzer
orgs-belonging-groups = { $count ->
    [one] { $count } Gruppe
   *[other] { $count } Gruppen
}
orgs-belonging-devices = { $count ->
    [one] { $count } Gerät
   *[other] { $count } Geräte
}
# "it": the organization
orgs-belonging-accounts = { $count ->
    [one] { $count } auf sie beschränktes Konsolenkonto
   *[other] { $count } auf sie beschränkte Konsolenkonten
}
# Joins what belongs to an organization; $rest may itself be joined: "12 users and 2 groups and 1 device".
orgs-belonging-and = { $first } und { $rest }

## Overview page

overview-title = Übersicht
overview-title-of = Übersicht für { $name }
overview-load-failed = Die Übersicht konnte nicht geladen werden
overview-empty-title = Noch keine Benutzer
# $command: the command roster user add, shown as code
overview-empty-hint = Fügen Sie Benutzer mit { $command } oder auf der Seite „Benutzer“ hinzu.
overview-users = Benutzer
overview-users-by-status = Benutzer nach Status
overview-users-by-two-factor = Benutzer nach 2FA-Status
overview-recent-changes = Letzte Änderungen

## Export dialog (users list to a CSV file)

export-title = Benutzer exportieren
export-run = Exportieren …
export-running = Wird exportiert …
export-column-identity-provider = Identitätsanbieter
export-column-password-changed = Passwort geändert
export-column-created-by = Erstellt von
export-headers-roster = Roster (vom Import von Roster wieder einlesbar)
export-which-legend = Benutzer
# $more is "yes" when the list has at least $count matches (it was not counted to the end).
export-which-list = { $more ->
    [yes] Die Liste mit ihrer Suche, ihren Filtern und ihrer Sortierung: { $count }+ Benutzer
   *[no] Die Liste mit ihrer Suche, ihren Filtern und ihrer Sortierung: { $count } Benutzer
}
export-which-selection = Die Auswahl: { $count } Benutzer
export-which-selection-none = Die ausgewählten Benutzer (keine ausgewählt)
export-columns-legend = Spalten, in dieser Reihenfolge
export-move-hint = Alt+↑ und Alt+↓ verschieben die Spalte, deren Kontrollkästchen den Fokus hat.
export-move-up = { $column } nach oben verschieben
export-move-down = { $column } nach unten verschieben
export-attributes = Attribute
export-header-names = Spaltenüberschriften
export-bom = Für Excel (UTF-8 mit Byte Order Mark)
export-formula-hint = Zellen, die eine Tabellenkalkulation als Formel ausführen würde (beginnend mit =, +, - oder @), erhalten ein vorangestelltes '; der Import von Roster entfernt es wieder.

## Import problems table (users, memberships, devices)

import-problems-line = Zeile
import-problems-column = Spalte
import-problems-value = Wert
import-problems-problem = Problem

## Shared by the import wizards

import-choose-file = Datei auswählen …
import-fix-problems = Beheben Sie die Probleme, um zu importieren
import-problems-heading = Probleme
import-save-problems = Alle Probleme als CSV speichern …
import-rows = { $count ->
    [one] { $count } Zeile
   *[other] { $count } Zeilen
}
import-summary-with-problems = { $count } mit Problemen

## Users import wizard

import-title = Benutzer importieren
import-field-display-name = Vollständiger Name (wird in Vor- und Nachname aufgeteilt)
import-field-tags = Schlagwörter (durch Kommas getrennt)
import-field-manager = Vorgesetzter (E-Mail-Adresse)
import-field-groups = Gruppen (durch Kommas getrennt)
import-field-password = Passwort
# "Yes" is a value as the file writes it: not translated.
import-field-block-sign-in = Anmeldung blockieren (Yes = ausgesetzt)
# "False" is a value as the file writes it: not translated.
import-field-account-enabled = Konto aktiviert (False = ausgesetzt)
import-intro = Wählen Sie eine CSV-Datei: einen Export von Roster selbst oder einen Export bzw. eine Vorlage aus Google Workspace, Microsoft Entra ID, JumpCloud oder Okta. Die Excel-Formate „CSV UTF-8“ und „Unicode-Text“ funktionieren ebenfalls.
import-intro-checked = Jede Zeile wird geprüft, bevor etwas geschrieben wird, und Sie sehen jedes Problem mit seiner Zeile.
import-file-label = Datei:
import-format = Format
import-choose-another-file = Andere Datei auswählen …
import-checking = Wird geprüft …
import-summary-new = { $count } neu
import-summary-to-update = { $count } zu aktualisieren
import-summary-unchanged = { $count } unverändert
import-problems-heading-partial = Probleme (die ersten { $shown } von { $total })
import-problems-saved = Gespeichert unter { $path }
import-columns-heading = Spalten
import-column-in-file = Spalte in der Datei
import-column-becomes = Wird zu
import-column-field = Feld für Spalte { $column }
import-column-ignored = Ignoriert (Roster übernimmt sie nicht)
import-column-attributes = Attribute
import-create-attribute-label = Attribut für Spalte { $column } anlegen
import-create-attribute = Attribut anlegen
import-options-heading = Optionen
import-new-users-start = Neue Benutzer sind zunächst
import-start-staged = Vorbereitet, mit einer Einladung per E-Mail
import-start-active = Aktiv, ohne Einladung
import-existing-email = Ein Benutzer mit derselben E-Mail-Adresse existiert bereits
import-existing-refuse = Das ist ein Problem: nur neue Benutzer importieren
import-existing-update = Mit den Werten aus der Datei aktualisieren
import-invalid-rows = Zeilen mit Problemen
import-invalid-refuse = Nichts importieren, bis jede Zeile korrigiert ist
import-invalid-skip = Die gültigen Zeilen importieren, die anderen überspringen
import-accept-passwords = Passwörter aus der Datei verwenden (jeder, der die Datei erhält, kann sie lesen; löschen Sie die Datei danach)
import-nothing = Nichts zu importieren
import-start = { $count } Benutzer importieren
import-rows-checked = Geprüfte Zeilen
import-progress-saving = { $count ->
    [one] { $count } Benutzer wird gespeichert …
   *[other] { $count } Benutzer werden gespeichert …
}
import-progress-checked = { $total ->
    [one] { $checked } von { $total } Zeile geprüft · { $perSecond } Zeilen pro Sekunde
   *[other] { $checked } von { $total } Zeilen geprüft · { $perSecond } Zeilen pro Sekunde
}
import-progress-writing-hint = Sie werden alle gemeinsam gespeichert oder gar nicht.
import-progress-cancel-hint = Wenn Sie jetzt abbrechen, wird nichts geschrieben.
import-cancelling = Wird abgebrochen …
import-cancel = Import abbrechen
# $imported is import-done-imported, shown in bold; the clauses after it (updated, unchanged, skipped) follow.
import-done-from = Aus { $file }: { $imported }
import-done-imported = { $count } Benutzer importiert
import-done-updated = { $count } Benutzer aktualisiert
import-done-unchanged = { $count ->
    [one] { $count } Zeile unverändert
   *[other] { $count } Zeilen unverändert
}
import-done-skipped = { $count ->
    [one] { $count } Zeile mit Problemen übersprungen
   *[other] { $count } Zeilen mit Problemen übersprungen
}
import-done-active = Sie sind aktiv und können sich anmelden, sobald sie ein Passwort haben.
import-done-staged = Sie sind vorbereitet; für jeden liegt eine Einladung im Postausgang bereit.

## Group memberships and devices import

import-memberships-title = Gruppenmitgliedschaften importieren
# $group and $member are the file's column headers ("group", "member"), shown in bold and not translated.
import-memberships-intro = Wählen Sie eine CSV-Datei mit einer Spalte { $group } und einer Spalte { $member } (Benutzername oder E-Mail-Adresse), wie sie „Mitgliedschaften exportieren …“ schreibt. Gruppen, die es noch nicht gibt, werden angelegt.
import-memberships-add = { $count ->
    [one] { $count } Mitgliedschaft hinzufügen
   *[other] { $count } Mitgliedschaften hinzufügen
}
import-memberships-unchanged = { $count } bereits Mitglied
import-devices-title = Geräte importieren
# $name, $os and $owner are the file's column headers ("name", "OS", "owner"), shown in bold and not translated.
import-devices-intro = Wählen Sie eine Inventarliste: eine CSV-Datei mit dem Namen des Geräts ({ $name }), seinem Betriebssystem ({ $os }) und seinem Besitzer ({ $owner }, E-Mail-Adresse oder Benutzername) sowie Modell und Seriennummer, sofern vorhanden. Jedes Gerät wird der Organisation seines Besitzers zugeordnet.
import-devices-add = { $count ->
    [one] { $count } Gerät hinzufügen
   *[other] { $count } Geräte hinzufügen
}
import-sheet-added = { $count } hinzugefügt
import-sheet-to-add = { $count } hinzuzufügen
import-sheet-skip-invalid = Die gültigen Zeilen hinzufügen und die anderen überspringen

## User tokens screen and list

tokens-title = Benutzertoken
tokens-show = Anzeigen
tokens-show-expiring = Laufen bald ab
tokens-show-active = Aktiv
tokens-show-expired = Abgelaufen
tokens-show-revoked = Widerrufen
tokens-show-all = Alle
tokens-within-days = Innerhalb von Tagen
tokens-count = { $count } Token
tokens-state-active = Aktiv
tokens-state-expired = Abgelaufen
tokens-state-revoked = Widerrufen
tokens-empty = Keine Token.
tokens-column-user = Benutzer
tokens-column-token = Token
tokens-column-expires = Läuft ab
tokens-column-days-left = Verbleibende Tage
tokens-column-last-used = Zuletzt verwendet
tokens-column-status = Status
tokens-column-actions = Aktionen
tokens-never-used = Nie
tokens-revoke = Widerrufen
# $token is the token's last characters ("…1a2b").
tokens-revoke-label = { $token } widerrufen
tokens-revoke-title = Token widerrufen
tokens-revoke-confirm = Token { $token } von { $user } widerrufen? Geräte können sich damit nicht mehr registrieren.
tokens-issued = { $days ->
    [one] Token für { $user }, { $days } Tag gültig. Kopieren Sie es jetzt: Es wird nicht noch einmal angezeigt.
   *[other] Token für { $user }, { $days } Tage gültig. Kopieren Sie es jetzt: Es wird nicht noch einmal angezeigt.
}

## Devices screen, a user's devices and the device dialogs

devices-title = Geräte
devices-import = Importieren …
devices-export = Exportieren …
devices-exported = { $count ->
    [one] { $count } Gerät nach { $file } exportiert
   *[other] { $count } Geräte nach { $file } exportiert
}
devices-search-label = Geräte suchen
devices-search-placeholder = Name, Seriennummer, Modell oder Besitzer suchen
devices-os = Betriebssystem
devices-operating-system = Betriebssystem
devices-name = Name
devices-model = Modell
devices-serial = Seriennummer
devices-owner = Besitzer
devices-organization = Organisation
devices-last-activity = Letzte Aktivität
devices-state = Status
devices-actions = Aktionen
devices-state-active = Aktiv
devices-state-retired = Außer Betrieb
devices-filter-any = Alle
devices-count = { $count ->
    [one] { $count } Gerät
   *[other] { $count } Geräte
}
devices-count-in-organization = { $count ->
    [one] { $count } Gerät in { $organization }
   *[other] { $count } Geräte in { $organization }
}
devices-bulk-actions = Aktionen für die Auswahl
devices-selection-count = { $count } ausgewählt
devices-clear-selection = Auswahl aufheben
devices-bulk-retire = Außer Betrieb nehmen …
devices-bulk-delete = Löschen …
devices-retired-notice = { $count ->
    [one] { $count } Gerät außer Betrieb genommen
   *[other] { $count } Geräte außer Betrieb genommen
}
devices-deleted-notice = { $count ->
    [one] { $count } Gerät gelöscht
   *[other] { $count } Geräte gelöscht
}
devices-none-match = Keine passenden Geräte
devices-none-yet = Noch keine Geräte
# $command is the enrollment command line, shown as code.
devices-enroll-hint = Geräte erscheinen hier, sobald sie mit einem Benutzertoken registriert wurden: { $command }
# $command is the enrollment command line, shown as code.
devices-enrolled-with-tokens = Hier erscheinen die Geräte, die mit den Benutzertoken dieses Benutzers registriert wurden ({ $command }).
devices-select-loaded = Geladene Geräte auswählen
devices-select = { $name } auswählen
devices-no-owner = Kein Besitzer
devices-never-active = Nie
devices-empty = Keine Geräte.
devices-add = Gerät hinzufügen …
devices-edit-named = { $name } bearbeiten
devices-give = Übergeben …
devices-retire = Außer Betrieb nehmen
devices-retire-named = { $name } außer Betrieb nehmen
devices-remove-named = { $name } entfernen
devices-retire-title = Gerät außer Betrieb nehmen
devices-remove-title = Gerät entfernen
devices-retire-confirm = { $name } außer Betrieb nehmen? Das Gerät bleibt im Bestand, zählt aber nicht mehr als in Gebrauch.
devices-remove-confirm = { $name } endgültig entfernen? Der Datensatz des Geräts wird gelöscht; das Audit-Protokoll bewahrt, was geschehen ist.
devices-bulk-retire-title = Geräte außer Betrieb nehmen
devices-bulk-delete-title = Geräte löschen
devices-bulk-retire-confirm = { $count ->
    [one] { $count } Gerät außer Betrieb nehmen? Es bleibt im Bestand, zählt aber nicht mehr als in Gebrauch.
   *[other] { $count } Geräte außer Betrieb nehmen? Sie bleiben im Bestand, zählen aber nicht mehr als in Gebrauch.
}
devices-bulk-delete-confirm = { $count ->
    [one] { $count } Gerät endgültig löschen? Das Audit-Protokoll bewahrt, was geschehen ist.
   *[other] { $count } Geräte endgültig löschen? Das Audit-Protokoll bewahrt, was geschehen ist.
}
devices-add-title = Gerät hinzufügen
devices-add-device = Gerät hinzufügen
devices-reassign-title = { $name } an einen anderen Benutzer übergeben
devices-reassign-save = Gerät übergeben
devices-reassign-to = Benutzername oder E-Mail-Adresse des neuen Besitzers
devices-reassign-hint = Das Gerät wechselt in die Organisation des neuen Besitzers.

## Settings page

settings-title = Einstellungen
settings-saved = Einstellungen gespeichert.
# After saving a mail server with another host, port, security or username.
settings-saved-enter-password = Einstellungen gespeichert. Geben Sie jetzt das Passwort des E-Mail-Servers ein und speichern Sie erneut: Das hier hinterlegte Passwort gilt nur für den bisherigen Server.
# Error when the settings were deleted during a conflicting save (never happens in practice).
settings-gone = die Einstellungen existieren nicht mehr
settings-organization = Organisation
settings-organization-name = Name
settings-organization-name-hint = Wird in Authenticator-Apps und als Absender von Nachrichten angezeigt.
settings-mail-language = Sprache der Nachrichten
settings-mail-language-hint = Einladungen, Passwort-Zurücksetzungen und die anderen Nachrichten, die Roster versendet, werden in dieser Sprache geschrieben.
settings-passwords = Passwörter und Anmeldung
settings-min-password-chars = Mindestlänge des Passworts
settings-min-password-chars-hint = Das NIST empfiehlt 15 Zeichen.
settings-max-failed-sign-ins = Sperren nach fehlgeschlagenen Anmeldungen
settings-session-idle-minutes = Abmelden nach Minuten ohne Aktivität
settings-audit-log = Audit-Protokoll
settings-audit-retention-days = Audit-Einträge aufbewahren (Tage)
settings-audit-retention-days-hint = 0 bewahrt sie unbegrenzt auf. Ältere Einträge und Anmeldeereignisse werden gelöscht, sobald sich ein Administrator anmeldet, der Einstellungen ändern darf; das Löschen wird selbst protokolliert.
settings-purge-now = Alte Einträge jetzt löschen
settings-purge-kept-forever = Einträge werden unbegrenzt aufbewahrt: Speichern Sie zuerst eine Anzahl von Tagen.
settings-purged = { $entries ->
        [one] { $entries } Audit-Eintrag
       *[other] { $entries } Audit-Einträge
    } und { $signIns ->
        [one] { $signIns } Anmeldeereignis
       *[other] { $signIns } Anmeldeereignisse
    } gelöscht.
settings-smtp = E-Mail-Server (SMTP)
settings-smtp-enabled = Nachrichten über einen E-Mail-Server senden (andernfalls bleiben sie im Postausgang)
settings-smtp-host = Server
settings-smtp-security = Verschlüsselung
# The other choices are STARTTLS and TLS.
settings-smtp-security-none = Keine (nur lokales Relay)
settings-smtp-port = Port
settings-smtp-username = Benutzername
settings-smtp-username-hint = Leer, wenn der Server keine Anmeldung verlangt.
settings-smtp-password = Passwort
settings-smtp-password-hint = Wird für diesen Server in der Schlüsselverwaltung des Betriebssystems dieses Computers gespeichert, nicht in der Datenbank. Leer lassen, um das gespeicherte Passwort zu behalten.
settings-smtp-password-hint-new-server = Geben Sie das Passwort dieses Servers ein: Ein gespeichertes Passwort wird nur an die Kombination aus Server, Port, Verschlüsselung und Benutzername gesendet, für die es eingegeben wurde.
settings-smtp-from-address = Absenderadresse
settings-backups = Automatische Sicherungen
settings-backups-automatic = Automatisch sichern: beim Schließen der Anwendung und täglich, solange sie läuft
settings-backups-folder = Ordner für Sicherungen
settings-backups-folder-hint = Leer: ein Sicherungsordner neben der Datenbank. Auf einer zweiten Festplatte oder einer Netzwerkfreigabe sind die Sicherungen vor einem Ausfall dieser Festplatte geschützt.
# How many daily, weekly and monthly backups are kept.
settings-backups-keep-daily = Tägliche behalten
settings-backups-keep-weekly = Wöchentliche behalten
settings-backups-keep-monthly = Monatliche behalten
settings-backups-keep-hint = Aufbewahrt werden jeweils die neueste Sicherung so vieler Tage, Wochen und Monate sowie jede Sicherung der letzten 24 Stunden. Nur ein Owner (alle Rechte) darf diese Werte ändern.
settings-test-message = Testnachricht
settings-test-message-to = Testnachricht senden an
settings-test-message-send = Testnachricht senden
settings-test-message-queued = Die Testnachricht an { $to } steht zum Versand bereit; ihre Zustellung sehen Sie im Postausgang.

## Settings → Backups

backups-title = Sicherungen
# $backend is "postgres" for PostgreSQL, anything else for MySQL or MariaDB.
backups-server-intro = Dieses Verzeichnis liegt auf einem { $backend ->
        [postgres] PostgreSQL-Server
       *[other] MySQL- oder MariaDB-Server
    }, der mit den eigenen Werkzeugen des Servers gesichert wird, zum Beispiel:
# $command is a command line, shown as code.
backups-server-portable-copy = Für eine portable Kopie in einer einzigen Datei kopiert { $command } das gesamte Verzeichnis in eine SQLite-Datei.
backups-save-encrypted-copy = Verschlüsselte Kopie speichern …
backups-back-up-now = Jetzt sichern
# $folder is the backups folder's path, shown as code.
backups-folder-hint = In { $folder }. Jede Sicherung wird nach dem Schreiben geprüft (Integritätsprüfung von SQLite und Audit-Protokoll) und ist nur für Ihr Konto lesbar.
backups-empty = Noch keine Sicherungen. Eine Sicherung wird beim Schließen der Anwendung erstellt und täglich, solange sie läuft.
backups-taken = Erstellt
backups-users = Benutzer
backups-kind = Art
backups-kind-before-restore = Vor einer Wiederherstellung
backups-kind-backup = Sicherung
backups-size = Größe
backups-actions = Aktionen
backups-restore = Wiederherstellen …
backups-restore-aria = Die Sicherung vom { $taken } wiederherstellen
backups-restore-title = Diese Sicherung wiederherstellen?
backups-restore-confirm = Verzeichnis ersetzen
backups-restore-message = Der gesamte Inhalt des Verzeichnisses wird durch den Inhalt dieser Sicherung ersetzt; seit ihrer Erstellung vorgenommene Änderungen werden rückgängig gemacht. Der aktuelle Stand des Verzeichnisses wird zuvor als Sicherung aufbewahrt.
backups-restore-checking = Sicherung wird geprüft …
backups-last-change = Letzte Änderung
# The newest audit entry in a backup: when, what was done ("Suspended"), to whom, by whom.
backups-last-change-entry = { $at }: { $action } { $target } von { $actor }
backups-last-change-none = keine
backups-audit-trail = Audit-Protokoll
backups-audit-trail-broken = Prüfung fehlgeschlagen
backups-audit-trail-verified = geprüft, { $entries ->
        [one] { $entries } Eintrag
       *[other] { $entries } Einträge
    }
# $size is a file size such as "400 kB".
backups-written = Sicherung geschrieben und geprüft: { $file } ({ $users } Benutzer, { $size }).
backups-encrypted-written = Verschlüsselte Kopie geschrieben und geprüft: { $file } ({ $users } Benutzer, { $size }).
backups-restored = { $file } wiederhergestellt. Der vorherige Stand des Verzeichnisses ist als { $keptAside } aufbewahrt: Stellen Sie diese Sicherung wieder her, um den Vorgang rückgängig zu machen.
backups-size-gb = { NUMBER($size, minimumFractionDigits: 1, maximumFractionDigits: 1) } GB
backups-size-mb = { NUMBER($size, minimumFractionDigits: 1, maximumFractionDigits: 1) } MB
backups-size-kb = { $size } kB

## Settings → Backups → Save an encrypted copy

backups-encrypted-title = Verschlüsselte Kopie speichern
backups-encrypted-saving = Wird gespeichert …
backups-encrypted-choose-where = Speicherort wählen …
backups-encrypted-intro = Für eine Kopie, die diesen Computer verlässt: auf einem USB-Stick, einer Netzwerkfreigabe oder einem Cloud-Speicher. Sie enthält alle Konten, Passwort-Hashes und 2FA-Schlüssel und wird deshalb mit einer Passphrase verschlüsselt. Ohne die Passphrase kann niemand sie öffnen, auch Sie nicht: Bewahren Sie die Passphrase an einem sicheren Ort auf, getrennt von der Kopie.
# $format is "age" (the encryption tool's name), $restore and $open are command lines, all shown as code.
backups-encrypted-format = Sie liegt im Format { $format } vor: { $restore } stellt sie wieder her, und { $open } öffnet sie auf jedem Rechner.
backups-encrypted-passphrase = Passphrase
backups-encrypted-passphrase-hint = Mindestens 12 Zeichen; einige zusammenhanglose Wörter sind leicht einzugeben und schwer zu erraten.
backups-encrypted-passphrase-again = Passphrase wiederholen
# Shown under the second passphrase field when the two differ.
backups-encrypted-passphrase-mismatch = geben Sie zweimal dieselbe Passphrase ein

## Roles page

roles-title = Rollen
roles-new = Neue Rolle
roles-empty = Keine Rollen.
roles-column-role = Rolle
# After a role's name: the role comes with Roster and cannot be changed.
roles-built-in = vordefiniert
# Column and list of what a role's holders may do.
roles-column-may = Berechtigungen
roles-self-service-only = Nur das eigene Konto
roles-column-users = Benutzer
roles-column-actions = Aktionen
roles-edit-aria = { $name } bearbeiten
roles-delete-aria = { $name } löschen
roles-delete-title = Rolle löschen
roles-delete-message = Die Rolle { $name } löschen?
roles-gone = die Rolle „{ $name }“ existiert nicht mehr
roles-edit-title = Rolle { $name } bearbeiten
roles-name = Name
roles-description = Beschreibung
roles-may = Berechtigungen
roles-permission-view-users = Benutzer und Gruppen anzeigen
roles-permission-manage-users = Benutzer anlegen, bearbeiten, aussetzen, sperren und löschen
roles-permission-unlock-users = Konten entsperren
roles-permission-manage-groups = Gruppen verwalten
roles-permission-reset-credentials = Passwörter und 2FA zurücksetzen
roles-permission-view-tokens = Benutzertoken anzeigen
roles-permission-manage-tokens = Benutzertoken ausstellen und widerrufen
roles-permission-view-audit = Audit-Protokoll lesen
roles-permission-view-outbox = Postausgang lesen
roles-permission-manage-roles = Rollen verwalten
roles-permission-manage-organizations = Organisationen anlegen, umbenennen und löschen
roles-permission-manage-settings = Einstellungen ändern

## Outbox page

outbox-title = Postausgang
outbox-no-smtp = Es ist kein E-Mail-Server eingerichtet, daher bleiben Nachrichten hier. Lesen Sie sie der betreffenden Person vor, oder richten Sie SMTP in den Einstellungen ein.
outbox-empty = Noch keine Nachrichten.
outbox-status-sent = Gesendet
# $at is a date and time.
outbox-status-sent-at = Gesendet am { $at }
outbox-status-failed = Fehlgeschlagen nach { $attempts ->
        [one] { $attempts } Versuch
       *[other] { $attempts } Versuchen
    }
outbox-status-not-sent = Nicht gesendet: kein E-Mail-Server eingerichtet
outbox-status-retrying = Neuer Versuch ({ $failed } fehlgeschlagen)
outbox-status-queued = Wartet auf Versand
outbox-code-revealed = Der Code wird angezeigt; das Lesen wurde im Audit-Protokoll festgehalten.
# $recipient is a name and address ("Ada Lovelace <ada@example.org>"), $written a date and time.
outbox-message-to = An { $recipient } · geschrieben am { $written }
outbox-last-attempt = Letzter Versuch: { $error }
outbox-show-code = Code anzeigen
outbox-copy-text = Text kopieren
outbox-copied = Nachrichtentext kopiert.
# $path is where the .eml file was saved.
outbox-saved-to = Gespeichert: { $path }
outbox-save-eml = Als .eml speichern

## Attributes page

attributes-title = Attribute
attributes-new = Neues Attribut
attributes-empty-title = Noch keine Attribute
attributes-empty-hint = Attribute halten fest, was Ihr Verzeichnis über die vordefinierten Felder hinaus braucht: eine Ausweisnummer, eine Hemdgröße, ob jemand einen Parkplatz hat. Jedes Attribut wird zu einer Spalte, einem Filter, einem Feld bei jedem Benutzer und einer Spalte in CSV-Dateien.
attributes-label = Bezeichnung
attributes-column-name = Name in Dateien
attributes-kind = Typ
attributes-column-rules = Regeln
# Which organization's users may hold the attribute.
attributes-users-of = Gilt für
attributes-every-organization = Alle Organisationen
# Inside a sentence: "…, for every organization: …"
attributes-every-organization-in-sentence = alle Organisationen
attributes-column-created = Erstellt
# $date is when the attribute was defined, $actor who defined it.
attributes-created = { $date } von { $actor }
attributes-column-actions = Aktionen
attributes-change = Ändern
attributes-change-named = { $label } ändern
attributes-remove-named = { $label } entfernen
attributes-create = Erstellen
# What cannot change once an attribute is defined. $name is its name in files (shown as code),
# $kind its kind, $organization an organization's name or the message attributes-every-organization-in-sentence.
attributes-fixed = Gespeichert als { $name } in Dateien und Filtern, Typ { $kind ->
        [number] Zahl
        [date] Datum
        [yes_no] Ja / Nein
        [choice] Auswahl aus einer Liste
       *[text] Text
    }, für { $organization }: Diese Angaben bleiben unverändert, damit Dateien, Filter und die Werte der Benutzer weiterhin dasselbe bedeuten.
attributes-name = Name in Dateien und Filtern
attributes-name-hint = Leer lassen, um ihn aus der Bezeichnung abzuleiten (Ausweis-Nr. → ausweis_nr).
attributes-choices = Auswahlwerte, einer pro Zeile oder durch Kommas getrennt
attributes-rule-required-label = Pflichtfeld für neue Benutzer
attributes-rule-unique-label = Jeder Wert darf nur bei einem Benutzer vorkommen
# The rules column lists these, separated by semicolons.
attributes-rule-required = Pflichtfeld
attributes-rule-unique = eindeutig
attributes-rule-one-of = einer der Werte { $choices }
attributes-remove-title = Attribut entfernen
attributes-remove-with-values = Mit { $values ->
        [one] { $values } Wert
       *[other] { $values } Werten
    } entfernen
attributes-remove-message = { $label } enthält Werte für { $users } Benutzer. Beim Entfernen werden diese Werte gelöscht.
attributes-remove-message-unused = { $label } entfernen? Kein Benutzer hat einen Wert dafür.
attributes-kind-text = Text
attributes-kind-number = Zahl
attributes-kind-date = Datum
attributes-kind-yes-no = Ja / Nein
attributes-kind-choice = Auswahl aus einer Liste
# The empty choice of a required list attribute.
attributes-choose = Auswählen …

## Help and about

about-title = Hilfe und Informationen zu Roster
about-version = Version
about-database = Datenbank
about-licence = Lizenz
about-roster-licence = Lizenz von Roster
about-components = Enthaltene Komponenten: { $crates ->
        [one] { $crates } Rust-Crate
       *[other] { $crates } Rust-Crates
    }, { $packages ->
        [one] { $packages } npm-Paket
       *[other] { $packages } npm-Pakete
    }
about-components-crates = Rust-Crates
about-components-npm = npm-Pakete im Fenster
about-component = Komponente
about-component-source = Quelle und Lizenztext

## Help → Diagnostics

diagnostics-title = Diagnose
diagnostics-intro = Wenn Roster sich nicht wie erwartet verhält, speichern Sie eine Diagnosedatei und senden Sie sie an Ihren Support. Sie enthält die Versionen von Roster, der Web-Engine des Fensters und des Betriebssystems; Art, Größe und Kennzahlen der Datenbank; die Einstellungen sowie aktuelle Probleme aus dem Protokoll. Sie enthält niemals ein Passwort, einen Code oder einen Schlüssel.
diagnostics-saving = Wird gespeichert …
diagnostics-save = Diagnose speichern …
diagnostics-saved = Gespeichert unter { $path }

## Help → Updates

updates-title = Updates
updates-no-channel = Diese Kopie von Roster { $version } wurde ohne Update-Kanal erstellt (aus dem Quellcode oder als Paket Ihres Systems). Neue Versionen stellt bereit, wer sie erstellt oder paketiert hat.
updates-automatic-checks = Selbstständig nach neuen Versionen suchen: beim Start von Roster, danach einmal täglich. Roster informiert Sie nur; installiert wird erst, wenn Sie es veranlassen.
updates-this-version = Dies ist Roster { $version }.
# $at is a date and time.
updates-last-checked = Zuletzt am { $at } nach Updates gesucht.
updates-never-checked = Noch nicht nach Updates gesucht.
updates-installed = Roster { $version } ist installiert. Starten Sie Roster neu, um die neue Version zu verwenden; bis dahin läuft diese Version weiter.
updates-restart-now = Jetzt neu starten
updates-available = Roster { $version } ist verfügbar
# $available is the message updates-available, in bold.
updates-available-sentence = { $available }.
# $available is the message updates-available, in bold; $published a date and time.
updates-available-published = { $available } (veröffentlicht am { $published }).
updates-whats-new = Neu in { $version }
updates-installing = Wird heruntergeladen, Signatur wird geprüft …
updates-install = { $version } installieren
updates-newest = Roster { $version } ist die neueste Version.
updates-checking = Wird gesucht …
updates-check-now = Jetzt nach Updates suchen

## The OS file dialogs (src-tauri/src/files.rs)

dialog-import-users = Benutzer importieren
dialog-save-import-problems = Probleme des Imports speichern
dialog-export-users = Benutzer exportieren
dialog-import-memberships = Gruppenmitgliedschaften importieren
dialog-export-memberships = Gruppenmitgliedschaften exportieren
dialog-import-devices = Geräte importieren
dialog-export-devices = Geräte exportieren
dialog-export-audit-log = Audit-Protokoll exportieren
dialog-save-diagnostics = Diagnosedaten speichern
dialog-save-encrypted-backup = Verschlüsselte Sicherung speichern
dialog-filter-spreadsheets = Tabellen (CSV, Unicode-Text)
dialog-filter-json-lines = JSON Lines
dialog-filter-encrypted-backup = Verschlüsselte Sicherung (age)

## What core says about a value it refuses (crates/core): a form shows it beside the field

validate-name-required = { $field ->
        [first_name] Vorname
       *[other] Nachname
    } ist erforderlich
validate-name-too-long = { $field ->
        [first_name] Der Vorname
       *[other] Der Nachname
    } ist { $count } Zeichen lang; kürzen Sie ihn auf höchstens { $max }
validate-name-control-character = { $field ->
        [first_name] Der Vorname
       *[other] Der Nachname
    } enthält ein Steuerzeichen (Tabulator, Zeilenumbruch …); entfernen Sie es
validate-email-required = E-Mail-Adresse ist erforderlich
validate-email-too-long = Die E-Mail-Adresse ist länger als { $max } Zeichen
validate-email-invalid = „{ $value }“ ist keine gültige E-Mail-Adresse; schreiben Sie sie wie name@example.com
validate-email-not-plain = „{ $value }“ ist keine einfache E-Mail-Adresse; schreiben Sie sie wie name@example.com
validate-email-no-domain = „{ $value }“ hat nach „@“ keine Top-Level-Domain; schreiben Sie sie wie name@example.com
validate-username-empty = Der Benutzername ist leer; lassen Sie ihn weg, um ihn aus der E-Mail-Adresse abzuleiten
validate-username-too-long = Der Benutzername ist { $count } Zeichen lang; kürzen Sie ihn auf höchstens { $max }
validate-username-character = Der Benutzername enthält „{ $character }“; verwenden Sie nur Buchstaben, Ziffern und . _ - @ +
validate-username-digits = Der Benutzername besteht nur aus Ziffern und liest sich wie eine Benutzer-ID; fügen Sie einen Buchstaben hinzu
validate-username-mixed-scripts = Der Benutzername mischt Buchstaben verschiedener Schriften (Lateinisch mit Kyrillisch oder Griechisch …) und kann so für einen anderen Namen gehalten werden; schreiben Sie ihn in einer Schrift
validate-phone-too-long = Die Telefonnummer ist { $count } Zeichen lang; kürzen Sie sie auf höchstens { $max }
validate-phone-invalid = „{ $value }“ ist keine Telefonnummer; verwenden Sie nur Ziffern, Leerzeichen und + - ( )
validate-label-too-long = { $field ->
        [role] Die Rolle
        [organization] Die Organisation
        [team] Das Team
        [identity_provider] Der Identitätsanbieter
       *[other] { $field }
    } ist { $count } Zeichen lang; kürzen Sie auf höchstens { $max }
validate-label-control-character = { $field ->
        [role] Die Rolle
        [organization] Die Organisation
        [team] Das Team
        [identity_provider] Der Identitätsanbieter
       *[other] { $field }
    } enthält ein Steuerzeichen; entfernen Sie es
validate-team-unassigned = „Unassigned“ bedeutet kein Team; lassen Sie das Team stattdessen leer
validate-tag-too-long = Das Schlagwort „{ $tag }“ ist länger als { $max } Zeichen; kürzen Sie es
validate-tag-character = Das Schlagwort „{ $tag }“ enthält ein Komma oder Steuerzeichen; teilen Sie es in einzelne Schlagwörter auf
validate-too-many-tags = { $count } Schlagwörter angegeben; ein Benutzer kann höchstens { $max } haben
validate-role-empty = Die Rolle darf nicht leer sein; wählen Sie eine Rolle wie „user“
error-taken = { $field ->
        [email] Diese E-Mail-Adresse
        [employee_id] Diese Personalnummer
        [attributes] Dieser Wert, der für jeden Benutzer eindeutig sein muss,
       *[other] Dieser Wert ({ $field })
    } ist bereits vergeben; wählen Sie einen anderen
error-used-by-another-user = { $field ->
        [email] Diese E-Mail-Adresse
        [employee_id] Diese Personalnummer
        [attributes] Dieser Wert, der für jeden Benutzer eindeutig sein muss,
       *[other] Dieser Wert ({ $field })
    } wird bereits von einem anderen Benutzer verwendet; wählen Sie einen anderen
error-lookalike = { $field ->
        [email] Diese E-Mail-Adresse
        [employee_id] Diese Personalnummer
        [attributes] Dieser Wert, der für jeden Benutzer eindeutig sein muss,
       *[other] Dieser Wert ({ $field })
    } sieht aus wie der eines anderen Benutzers (Buchstaben einer anderen Schrift oder 1 für l, 0 für O, rn für m); wählen Sie einen, der nicht damit verwechselt werden kann
error-reporting-loop-meanwhile = Ein anderer Administrator hat diese Führungskraft gerade (direkt oder über andere) dem Benutzer unterstellt; nichts wurde geändert: wählen Sie jemand anderen
error-attribute-redefined = Ein anderer Administrator hat gerade geändert, welche Werte dieses Attribut annimmt; nichts wurde geändert: sehen Sie sich seine Auswahl erneut an

## How the audit trail names each action (crates/core/src/audit.rs: action_message_id)

action-user-create = Erstellt
action-user-update = Geändert
action-user-delete = Gelöscht
action-user-activate = Aktiviert
action-user-suspend = Ausgesetzt
action-user-unsuspend = Aussetzung aufgehoben
action-user-lock = Gesperrt
action-user-unlock = Entsperrt
action-user-auto-lock = Nach fehlgeschlagenen Anmeldungen gesperrt
action-user-require-password-change = Aufgefordert, ein neues Passwort zu wählen
action-user-complete-password-change = Neues Passwort gewählt
action-user-set-password = Passwort gesetzt
action-user-change-password = Passwort vom Benutzer geändert
action-user-reset-2fa = 2FA zurückgesetzt
action-user-activate-2fa = 2FA aktiviert
action-user-start-recovery = Zurücksetzen des Passworts begonnen
action-user-redeem-code = Einmalcode eingelöst
action-user-invite = Einladung gesendet
action-user-set-scope = Verwaltete Organisationen geändert
action-token-issue = Token ausgestellt
action-token-revoke = Token widerrufen
action-device-enroll = Gerät registriert
action-device-add = Gerät hinzugefügt
action-device-edit = Gerät geändert
action-device-reassign = Gerät einem anderen Benutzer gegeben
action-device-retire = Gerät außer Betrieb genommen
action-device-delete = Gerät gelöscht
action-group-create = Gruppe erstellt
action-group-update = Gruppe geändert
action-group-delete = Gruppe gelöscht
action-group-add-member = Zur Gruppe hinzugefügt
action-group-remove-member = Aus der Gruppe entfernt
action-organization-create = Organisation erstellt
action-organization-rename = Organisation umbenannt
action-organization-delete = Organisation gelöscht
action-attribute-create = Attribut definiert
action-attribute-delete = Attribut entfernt
action-role-create = Rolle erstellt
action-role-update = Rolle geändert
action-role-delete = Rolle gelöscht
action-settings-update = Einstellungen geändert
action-mail-test = Testnachricht eingereiht
action-mail-read-code = Einmalcode im Postausgang gelesen
action-session-sign-in = Angemeldet
action-session-sign-in-failed = Anmeldung abgewiesen
action-import-users = Benutzer importiert
action-import-memberships = Gruppenmitgliedschaften importiert
action-import-devices = Geräte importiert
action-audit-purge = Alte Audit-Einträge gelöscht
action-backup-create = Sicherung erstellt
action-backup-restore = Aus einer Sicherung wiederhergestellt

## The messages Roster sends (crates/core/src/mail.rs), in the directory's language for messages

mail-invitation-subject = Ihr Konto bei { $org } ist bereit
mail-invitation-body =
    Hallo { $name },

    für Sie wurde ein Konto bei { $org } angelegt.

    Benutzername: { $username }
    Einmalcode: { $code }

    Öffnen Sie Roster, wählen Sie auf dem Anmeldebildschirm „Ich habe einen Code“ und geben Sie Ihren Benutzernamen, diesen Code und ein neues Passwort Ihrer Wahl ein. Der Code gilt einmal und läuft in { $days } Tagen ab.

    Wenn Sie diese Nachricht nicht erwartet haben, wenden Sie sich an Ihren IT-Helpdesk.
mail-recovery-subject = Ihr Passwort bei { $org } zurücksetzen
mail-recovery-body =
    Hallo { $name },

    für Ihr Konto bei { $org } ({ $username }) wurde das Zurücksetzen des Passworts begonnen.

    Einmalcode: { $code }

    Öffnen Sie Roster, wählen Sie auf dem Anmeldebildschirm „Ich habe einen Code“ und geben Sie Ihren Benutzernamen, diesen Code und ein neues Passwort ein. Der Code gilt einmal und läuft in 24 Stunden ab.

    Wenn Sie das nicht angefordert haben, wenden Sie sich sofort an Ihren IT-Helpdesk.
mail-password-set-subject = Ihr Passwort bei { $org } wurde geändert
mail-password-set-body =
    Hallo { $name },

    ein Administrator hat ein neues Passwort für Ihr Konto bei { $org } ({ $username }) gesetzt. Ihr Helpdesk teilt Ihnen das neue Passwort persönlich mit.

    Wenn Sie das nicht angefordert haben, wenden Sie sich sofort an Ihren IT-Helpdesk.
mail-password-set-change-subject = Ihr Passwort bei { $org } wurde geändert
mail-password-set-change-body =
    Hallo { $name },

    ein Administrator hat ein neues Passwort für Ihr Konto bei { $org } ({ $username }) gesetzt. Bei der nächsten Anmeldung werden Sie gebeten, ein neues Passwort zu wählen.

    Wenn Sie das nicht angefordert haben, wenden Sie sich sofort an Ihren IT-Helpdesk.
mail-two-factor-reset-subject = Zwei-Faktor-Authentifizierung für { $org } einrichten
mail-two-factor-reset-body =
    Hallo { $name },

    die Zwei-Faktor-Authentifizierung Ihres Kontos bei { $org } ({ $username }) wurde zurückgesetzt. Bei der nächsten Anmeldung zeigt Roster einen QR-Code: Scannen Sie ihn mit Ihrer Authenticator-App und geben Sie den 6-stelligen Code ein, den sie anzeigt.

    Wenn Sie das nicht angefordert haben, wenden Sie sich sofort an Ihren IT-Helpdesk.
mail-test-subject = { $org }: Testnachricht
mail-test-body = Dies ist eine Testnachricht von Roster. Die E-Mail-Einstellungen von { $org } funktionieren.

## Why a sign-in or a code was refused (crates/core/src/service/sign_in.rs, credentials.rs, codes.rs)

sign-in-bad-credentials = Benutzername oder Passwort ist nicht korrekt
sign-in-locked-now = Dieses Konto ist nach zu vielen fehlgeschlagenen Anmeldungen gesperrt; bitten Sie einen Administrator, es zu entsperren
sign-in-locked = Dieses Konto ist gesperrt; bitten Sie einen Administrator, es zu entsperren
sign-in-suspended = Dieses Konto ist ausgesetzt; wenden Sie sich an einen Administrator
sign-in-code-required = Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App ein
sign-in-code-malformed = Geben Sie den 6-stelligen Code ein, den Ihre Authenticator-App anzeigt
sign-in-code-wrong = Dieser Code ist nicht richtig; prüfen Sie die Uhrzeit des Geräts und geben Sie den aktuell angezeigten Code ein
sign-in-code-reused = Dieser Code wurde bereits verwendet; warten Sie, bis die App den nächsten anzeigt
sign-in-one-time-code-invalid = Dieser Code ist nicht gültig: Prüfen Sie Benutzernamen und Code; Codes gelten einmal und laufen ab (Wiederherstellungscodes nach 24 Stunden), bitten Sie also den Helpdesk um einen neuen
