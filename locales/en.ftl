# Roster's messages in English: every sentence the window, the command line and core's
# refusals show. One file per language (Fluent, https://projectfluent.org); a language is
# added by copying this file to its BCP 47 code (fr.ftl, pt-BR.ftl …) and translating each value.
# The ids, the { $placeholders } and the [variant] keys stay as they are here.

## The window's frame: sidebar, status bar

nav-main = Main
nav-overview = Overview
nav-users = Users
nav-groups = Groups
nav-organizations = Organizations
nav-devices = Devices
nav-tokens = User tokens
nav-audit = Audit log
nav-roles = Roles
nav-outbox = Outbox
nav-settings = Settings
nav-attributes = Attributes
nav-account = My account
shell-sign-out = Sign out
shell-help = Help
shell-update-available = Roster { $version } is available
statusbar-reconnecting = Reconnecting to the database… next try in { $seconds } s. Saving fails until it answers.
statusbar-change-directory = Change…
statusbar-database-unavailable = Database unavailable: { $reason }
statusbar-retry = Retry
statusbar-connecting = Connecting…
api-unexpected-error = The app's backend returned an unexpected error.

## Words many screens share

common-save = Save
common-cancel = Cancel
common-close = Close
common-delete = Delete
common-edit = Edit
common-add = Add
common-remove = Remove
common-retry = Retry
common-search = Search
common-loading = Loading…
common-yes = Yes
common-no = No
common-none = None
common-back = Back
common-next = Next
common-done = Done
common-copy = Copy
common-copied = Copied
common-saved = Saved.
common-apply = Apply
common-clear = Clear
common-refresh = Refresh
common-more-actions = More actions

## Sign-in screen and first Owner (SignInScreen.tsx)

signin-directory = Directory: { $location }
signin-change-directory = Change…
signin-password-set = Your password is set. Sign in with it now.
signin-title-redeem = Use a one-time code
signin-title-code = Two-factor authentication
signin-title = Sign in to { $organization }
signin-login = Username or email
signin-code-prompt = Enter the 6-digit code your authenticator app shows for { $login }.
signin-password = Password
signin-authentication-code = Authentication code
signin-one-time-code = One-time code
signin-one-time-code-hint = From your invitation or password reset message.
signin-new-password = New password
signin-password-hint = At least 15 characters. A few unrelated words are easy to remember.
signin-set-password = Set password
signin-verify = Verify
signin-submit = Sign in
signin-have-code = I have a code
signin-back = Back to sign-in
signin-first-owner-title = Create the first Owner
signin-first-owner-subtitle = { $organization } has no Owner yet. The Owner can do everything, including managing roles and settings.
signin-first-name = First name
signin-last-name = Last name
signin-email = Email
signin-email-hint = Your username is the part before the @.
signin-create-owner = Create Owner and sign in

## Required steps after sign-in (RequiredSteps.tsx)

signin-change-password-title = Choose a new password
signin-change-password-subtitle = { $name }, your administrator asked you to choose your own password.
signin-repeat-password = Repeat the new password
# A field's message, shown under the field; lower case like the backend's field messages.
signin-passwords-differ = the two passwords differ; type the same password twice
signin-sign-out = Sign out
signin-activate-title = Set up two-factor authentication
signin-activate-subtitle = { $name }, add your account to an authenticator app, then enter the code it shows.
signin-activation-code = 6-digit code
signin-activate = Activate

## Enrolling an authenticator app (Enrollment.tsx)

signin-enrollment-qr = QR code for { $issuer }: { $username }
signin-enrollment-scan = Scan the code with an authenticator app, or type this key into it:
signin-enrollment-account = Account: { $issuer } ({ $username }) · time-based, 6 digits, every 30 seconds

## Connect screen (ConnectScreen.tsx)

connect-kind-mysql = MySQL or MariaDB
connect-tls-verify-full = Verify the server's certificate (verify-full)
connect-tls-require = Encrypt, without checking the certificate
connect-tls-prefer = Encrypt if the server offers it
connect-tls-disable = Do not encrypt (trusted network only)
connect-open-now = Open now
connect-remove-confirm = Remove the saved connection { $name }? The directory on the server is not touched.
connect-opening = Opening…
connect-open = Open
connect-open-password = Password (used this time, not saved)
connect-open-password-hint = If the server needs a password no keyring keeps, enter it and open again.
connect-title = Choose a directory
connect-intro = Roster works on one directory at a time: the database file on this computer, or a database server your office shares.
connect-directories = Directories
connect-this-computer = This computer
connect-add-server = Add a database server…

## Database server form (ConnectScreen.tsx)

connect-form-title-edit = Edit { $name }
connect-form-title-add = Add a database server
connect-name = Name
connect-name-hint = What your office calls it, e.g. Office server.
connect-server = Server
connect-database = Database
connect-host = Host
connect-host-hint = The server's name or IP address.
connect-port = Port
connect-user = User
connect-password = Password
connect-password-hint-again = Enter the password again: the saved one goes only to the server, user, database and encryption it was saved for.
connect-password-hint-keep = Kept in the OS keyring. Leave empty to keep the saved one.
connect-password-hint-new = Kept in the OS keyring, never in a file.
connect-tls = Encryption (TLS)
connect-ca-file = CA certificate file (PEM)
connect-ca-file-hint = The certificate of the authority that signed the server's. Leave empty to trust the authorities this computer trusts.
connect-cannot-save = This computer has no folder for settings, so connections cannot be saved here.
connect-test = Test connection

## Shared components: filter chips, conflict notice

ui-active-filters = Active filters
ui-remove-filter = Remove filter { $filter }
ui-clear-filters = Clear all
ui-conflict-reload = Reload
ui-conflict-keep-mine = Keep my changes

## My account (AccountPage.tsx)

account-title = My account
account-identity = { $name } · { $username } · role { $role }
account-password-changed = Your password was changed.
account-change-password-legend = Change password
account-current-password = Current password
account-new-password = New password
account-change-password = Change password
account-tokens-legend = My user tokens
account-language-legend = Language
account-language = Language of this window
account-language-system = The system's language
account-language-system-now = The system's language ({ $language })
account-language-hint = Dates, times and numbers follow it too. Saved on this workstation.

## User fields, as every screen labels them (fieldLabels.ts)

field-user-id = User ID
field-email = Email
field-first-name = First name
field-last-name = Last name
field-username = Username
field-phone = Phone
field-organization = Organization
field-team = Team
field-tags = Tags
field-role = Role
field-status = Status
field-job-title = Job title
field-department = Department
field-employee-id = Employee ID
field-manager = Manager
field-work-phone = Work phone
field-mobile-phone = Mobile phone
field-office = Office
field-cost-center = Cost center
field-start-date = Start date
field-end-date = End date
field-two-factor = 2FA
field-group-count = Groups
field-device-count = Devices
field-identity-provider = Identity provider
field-created-at = Created
field-modified-at = Modified
field-last-sign-in-at = Last sign-in
field-password-changed-at = Password changed
field-created-by = Created by

## A user's status and 2FA state (users/format.ts)

user-status-staged = Staged
user-status-active = Active
user-status-suspended = Suspended
user-status-locked = Locked
user-status-auto-locked = Auto-locked
user-status-awaiting-new-password = Must change password
user-status-recovery = Recovery
user-status-staged-hint = Provisioned; has not signed in yet
user-status-active-hint = Can sign in
user-status-suspended-hint = Suspended by an administrator
user-status-locked-hint = Locked by an administrator
user-status-auto-locked-hint = Locked automatically after failed sign-ins
user-status-awaiting-new-password-hint = Must set a new password at next sign-in
user-status-recovery-hint = Recovering access to the account
two-factor-active = Active
two-factor-pending-activation = Not active
two-factor-not-configured = Not configured
two-factor-not-available = Not available

## Status actions on one or many users (users/actions.ts)

users-count = { $count ->
    [one] { $count } user
   *[other] { $count } users
}
users-activate = Activate
users-activate-title = { $count ->
    [one] Activate { $count } user
   *[other] Activate { $count } users
}
users-activate-done = { $count ->
    [one] { $count } user activated
   *[other] { $count } users activated
}
users-suspend = Suspend
users-suspend-title = { $count ->
    [one] Suspend { $count } user
   *[other] Suspend { $count } users
}
users-suspend-confirm = { $count ->
    [one] Suspend { $count } user? They cannot sign in until unsuspended.
   *[other] Suspend { $count } users? They cannot sign in until unsuspended.
}
users-suspend-done = { $count ->
    [one] { $count } user suspended
   *[other] { $count } users suspended
}
users-unsuspend = Unsuspend
users-unsuspend-title = { $count ->
    [one] Unsuspend { $count } user
   *[other] Unsuspend { $count } users
}
users-unsuspend-done = { $count ->
    [one] { $count } user unsuspended
   *[other] { $count } users unsuspended
}
users-lock = Lock
users-lock-title = { $count ->
    [one] Lock { $count } user
   *[other] Lock { $count } users
}
users-lock-confirm = { $count ->
    [one] Lock { $count } user? They cannot sign in until unlocked.
   *[other] Lock { $count } users? They cannot sign in until unlocked.
}
users-lock-done = { $count ->
    [one] { $count } user locked
   *[other] { $count } users locked
}
users-unlock = Unlock
users-unlock-title = { $count ->
    [one] Unlock { $count } user
   *[other] Unlock { $count } users
}
users-unlock-done = { $count ->
    [one] { $count } user unlocked
   *[other] { $count } users unlocked
}

## Confirmations and results of the other actions (users/useBulkActions.ts)

users-delete-title = { $count ->
    [one] Delete { $count } user
   *[other] Delete { $count } users
}
users-delete-confirm = { $count ->
    [one] Delete { $count } user? This cannot be undone. Their audit trail stays.
   *[other] Delete { $count } users? This cannot be undone. Their audit trail stays.
}
users-delete-done = { $count ->
    [one] { $count } user deleted
   *[other] { $count } users deleted
}
users-reset-two-factor-title = { $count ->
    [one] Reset 2FA of { $count } user
   *[other] Reset 2FA of { $count } users
}
users-reset-two-factor-confirm = { $count ->
    [one] Reset two-factor authentication of { $count } user? Their authenticator codes stop working; at their next sign-in they scan a new QR code. They are told by email.
   *[other] Reset two-factor authentication of { $count } users? Their authenticator codes stop working; at their next sign-in they scan a new QR code. They are told by email.
}
users-reset-two-factor-confirm-button = Reset 2FA
users-reset-two-factor-done = { $count ->
    [one] 2FA reset for { $count } user
   *[other] 2FA reset for { $count } users
}
users-reset-password-title = { $count ->
    [one] Reset password of { $count } user
   *[other] Reset password of { $count } users
}
users-reset-password-confirm = { $count ->
    [one] Send { $count } user a one-time code to choose a new password? The code expires in 24 hours.
   *[other] Send { $count } users a one-time code to choose a new password? The code expires in 24 hours.
}
users-reset-password-confirm-button = Send reset code
users-reset-password-done = { $count ->
    [one] Password reset sent to { $count } user
   *[other] Password reset sent to { $count } users
}
users-remove-from-group-confirm = { $count ->
    [one] Remove { $count } user from { $group }? They stay as users.
   *[other] Remove { $count } users from { $group }? They stay as users.
}
users-remove-from-group-done = { $count ->
    [one] { $count } user removed from { $group }
   *[other] { $count } users removed from { $group }
}

## Deleting users: where their devices go (users/DeviceHandover.tsx)

users-handover-legend = Their devices
users-handover-retire = Retire them (kept on record, with no owner)
users-handover-give = Give them to
users-handover-heir-label = Username or email of who takes the devices
users-handover-heir-placeholder = username or email

## The users list (users/UsersPage.tsx)

users-title = Users
users-title-group-members = Members of { $group }
users-import = Import…
users-export = Export…
users-new = New user
users-search-label = Search users
users-search-placeholder = Search name, username, email or employee ID
users-columns = Columns
users-filters = Filters
users-searching = Searching
users-count-none = No users yet
users-count-no-match = No users match
users-no-match-search = No users match “{ $search }”
users-count-range = { $total ->
    [one] { $first }–{ $last } of { $total } user
   *[other] { $first }–{ $last } of { $total } users
}
users-count-range-more = { $first }–{ $last } of { $total }+ users
users-count-range-counting = { $first }–{ $last } of { $total }+ users (counting…)
users-open = Open
users-reset-password = Reset password…
users-reset-two-factor = Reset 2FA…
users-remove-from-named-group = Remove from { $group }
users-remove-from-group = Remove from group
users-add-to-group = Add to group…
users-delete = Delete…
users-bulk-actions = Bulk actions
users-selection-count = { $count } selected
users-select-all-matching = Select all { $total } matching
users-select-all-matching-more = Select all { $total }+ matching
users-clear-selection = Clear selection
users-bulk-edit = Edit settings…
users-empty-group-title = No members yet
users-empty-group-hint = Add members with the box above.
# $command is the command line, shown as code
users-empty-hint = Add users with { $command } or import a CSV.
users-no-match-filters = No users match these filters
users-no-match-hint = Check the spelling, search by part of a name, username or email, or clear the filters.
users-confirm-ok = OK
users-add-to-group-done = { $count ->
    [one] { $count } user added to { $group }
   *[other] { $count } users added to { $group }
}
users-bulk-edit-done = { $count ->
    [one] { $count } user updated
   *[other] { $count } users updated
}
# $file is the path of the file written
users-export-done = { $count ->
    [one] Exported { $count } user to { $file }
   *[other] Exported { $count } users to { $file }
}
users-group-picker-title = { $count ->
    [one] Add { $count } user to a group
   *[other] Add { $count } users to a group
}
users-group-picker-placeholder = Type a group name
users-group-picker-members = { $count ->
        [one] { $count } member
       *[other] { $count } members
    }
users-group-picker-no-match = No group matches; create groups on the Groups screen.
users-loading = Loading users…
users-load-failed = Couldn’t load users
users-load-failed-hint = Check that the database is reachable, then try again.
# $reason is the database's error message
users-rows-failed = Some rows couldn’t be loaded: { $reason }

## The table (users/UserTable.tsx, users/RowMenu.tsx, users/columns.tsx)

users-table = Users
users-select-loaded = Select the loaded rows
users-actions-column = Actions
users-row-select = Select { $name }
users-row-actions = Actions for { $name }
users-never = Never
users-team-unassigned = Unassigned
users-devices-column = # of devices
users-devices-active = { $count ->
        [one] { $count } active device
       *[other] { $count } active devices
    }

## Choosing columns (users/ColumnsMenu.tsx)

users-columns-move-up = Move { $column } up
users-columns-move-down = Move { $column } down
users-columns-reset = Reset to default

## Filters and their chips (users/filters.tsx)

users-filter-any = Any
users-filter-yes = yes
users-filter-no = no
users-devices-one = One
users-devices-several = Several
users-filter-ending = { $days ->
    [one] Ending in the next { $days } day
   *[other] Ending in the next { $days } days
}
users-filter-group = Group
users-filter-attributes = Attributes
users-chip-status = Status: { $status }
users-chip-two-factor = 2FA: { $state }
users-chip-organization = Organization: { $organization }
users-chip-team = Team: { $team }
users-chip-devices = Devices: { $devices }
users-chip-role = Role: { $role }
users-chip-department = Department: { $department }
users-chip-ending = { $days ->
    [one] Ending in { $days } day
   *[other] Ending in { $days } days
}
# $attribute is the attribute's label, $value the value filtered by
users-chip-attribute = { $attribute }: { $value }
users-chip-managers = Reports to the chosen users
users-chip-group = Group: { $group }

## Editing many users at once (users/BulkEditDialog.tsx)

users-bulk-edit-title = { $count ->
    [one] Edit settings of { $count } user
   *[other] Edit settings of { $count } users
}
users-bulk-edit-apply = { $count ->
    [one] Apply to { $count } user
   *[other] Apply to { $count } users
}
users-bulk-edit-hint = Leave a field empty to keep each user’s own value.
users-bulk-edit-clear-team = Remove from their team (Unassigned)
users-bulk-edit-unchanged = Unchanged
users-bulk-edit-add-tags = Add tags
users-bulk-edit-remove-tags = Remove tags
users-bulk-edit-tags-placeholder = comma, separated

## User details panel: header and tabs

# The panel's title while the user is still being read.
details-title-loading = User
details-user-id = User ID { $id }
details-tab-info = User Info
details-tab-groups = Groups
details-tab-tokens = User Tokens
details-tab-devices = Devices
details-tab-activity = Activity

## User Info tab

details-saved = Saved
details-version = Version
# After the creation date and time: who created the user.
details-created-by = by { $name }
# Last sign-in or password change that has not happened.
details-never = Never

## User form (details and New user)

details-manager-email = Manager (email)
details-team-placeholder = Unassigned
details-tags-placeholder = comma, separated
details-section-work = Work
details-section-attributes = Attributes

## Reporting line

details-reporting-line = Reporting line
details-direct-reports = Direct reports
# No manager set (masculine in German: "der Vorgesetzte").
details-no-manager = None
details-reports-unreadable = Could not be read: { $reason }
# Below the direct reports listed by name: how many more there are.
details-reports-more = and { $count } more

## Administers (organizations a console account administers)

details-administers = Administers
details-administers-legend = Organizations this account administers
details-administers-whole = The whole directory
details-administers-some = Only these organizations
details-administers-save = Save organizations

## New user dialog

details-create-title = New user
details-create-submit = Create user
details-create-username-placeholder = derived from the email
details-create-status = Status
details-create-status-staged = Staged (onboarding not completed)
details-create-status-active = Active
details-create-send-invitation = Send an invitation: an email with a one-time code to choose a password (valid 7 days)

## Credential actions (password, 2FA, invitation)

details-set-password-button = Set password…
details-reset-password-button = Reset password…
details-reset-2fa-button = Reset 2FA…
details-show-qr = Show 2FA QR
details-resend-invitation = Resend invitation
details-reset-2fa-title = Reset 2FA
details-reset-password-title = Reset password
details-resend-invitation-title = Resend invitation
details-reset-2fa-confirm = Reset two-factor authentication of { $name }? Their current authenticator codes stop working; at the next sign-in they scan a new QR code. They are told by email.
details-reset-password-confirm = Send { $name } a one-time code (valid 24 hours) to choose a new password? Their account is in recovery until they do.
details-resend-invitation-confirm = Send { $name } the new-user message with a one-time code again? The previous code stops working.
details-reset-2fa-confirm-button = Reset 2FA
details-send = Send
details-reset-2fa-done = 2FA reset: a new QR code is waiting to be scanned.
details-reset-code-sent = Reset code sent to { $email }.
details-invitation-sent = Invitation sent to { $email }.
details-qr-title = 2FA for { $name }
details-print = Print

## Set password dialog

details-set-password-title = Set password for { $name }
details-set-password-submit = Set password
details-generated-password = The new password. Copy it now: it is not shown again.
details-password-set = The password was set.
details-password-must-change-next = They must choose their own password when they next sign in.
details-password-usable-now = They can sign in with it now.
details-password-generate = Generate a strong password (24 characters, shown once)
details-password-type = Type a password
details-password-label = Password
details-password-must-change = Must change at next sign-in
details-password-notify = Tell { $email } by email (the message does not contain the password)

## Groups tab

details-add-to-group = Add to group…
details-no-groups = Not a member of any group.
details-group-members = { $count ->
        [one] { $count } member
       *[other] { $count } members
    }
details-remove-from-group-title = Remove from group
details-remove-from-group-confirm = Remove { $name } from { $group }?

## User Tokens tab

details-token-days = Valid for days
details-issue-token = Issue token

## Devices tab

details-devices-hidden = Your role does not show devices.
details-active-devices = { $count ->
    [one] { $count } active device
   *[other] { $count } active devices
}

## Activity tab

details-no-activity = No activity yet.
details-sign-in-attempts = Sign-in attempts
details-sign-in-succeeded = Signed in
details-sign-in-failed = Failed
details-changes = Changes

## Audit log: page, filters, export

audit-title = Audit log
audit-export-csv = Export CSV
audit-export-jsonl = Export JSON lines
# $count: entries written; $file: the path of the file
audit-exported = { $count ->
        [one] Exported { $count } entry to { $file }
       *[other] Exported { $count } entries to { $file }
    }
audit-search-label = Search names and changed values
# Changed values are searched as stored: "suspended" is a status code, keep it as is.
audit-search-placeholder = e.g. Lovelace, suspended
audit-filter-actor = Actor
audit-filter-action = Action
audit-filter-target = Target
audit-filter-origin = Origin
audit-filter-workstation = Workstation
audit-filter-date = Date
audit-filter-from = From
audit-filter-to = To
audit-filter-any = Any
audit-period-any = Any time
audit-period-today = Today
audit-period-week = Last 7 days
audit-period-custom = Custom…
# The front end a change came through.
audit-origin-desktop = App
audit-origin-cli = CLI
audit-origin-import = Import
# $kind: the code of a record type (user, group, organization, role, token, device, settings,
# import, audit, mail, backup, attribute, sign_in). English shows the code itself; a translation
# names the known ones and shows any other code as it is.
audit-target-kind = { $kind }
audit-chip-actor = Actor: { $actor }
# $action: a stable action code, e.g. user.suspend
audit-chip-action = Action: { $action }
audit-chip-target-kind = Target kind: { $kind }
audit-chip-target = Target: { $target }
audit-chip-origin = Origin: { $origin }
audit-chip-workstation = Workstation: { $workstation }
audit-chip-date-today = Date: today
audit-chip-date-week = Date: last 7 days
# $from, $to: days as YYYY-MM-DD, or … when open
audit-chip-date-range = Date: { $from } to { $to }
audit-entries-label = Audit entries
audit-no-entries = No entries yet.
audit-no-matches = No entries match these filters.
audit-choose-entry = Choose an entry to see what it changed.

## Audit log: one entry's details

audit-details-when = When
audit-details-who = Who
audit-details-workstation = Workstation
audit-details-through = Through
audit-details-action = Action
audit-details-entry = Entry
# Follows the action's code: "user.suspend on user #12". $kind: see audit-target-kind.
audit-details-action-target = on { $kind } #{ $id }
audit-details-no-fields = No fields were recorded for this action.
audit-changes-caption = Fields before and after
audit-changes-field = Field
audit-changes-before = Before
audit-changes-after = After
# $kind: the code of a record type (see audit-target-kind)
audit-details-about-target = Everything about this { $kind }
audit-details-by-actor = Everything by { $actor }

## Audit log: verifying the chain

audit-verify = Verify the log
audit-verifying = Verifying…
audit-anchor-input-label = Saved anchor (optional)
audit-verdict-tampered = The audit log has been tampered with
audit-verdict-unchecked = The audit log cannot be checked against this anchor
audit-verdict-intact = The audit log is intact
audit-anchor-confirmed = The saved anchor matches: nothing was rewritten since it was taken.
audit-anchor-rewritten = The saved anchor does not match: the log was rewritten after it was taken.
audit-anchor-purged = The anchor cannot be checked: its entry was purged since. Save a new anchor after each purge.
audit-anchor-keep = Anchor — keep it somewhere the database's administrators cannot write, to check later that nothing was rewritten:
audit-anchor-copy = Copy anchor
# $through: date and time of the newest entry checked
audit-verify-checked = { $count ->
        [one] { $count } entry checked, through { $through }.
       *[other] { $count } entries checked, through { $through }.
    }
# $until: date and time of the newest entry purged
audit-verify-purged = Entries written up to { $until } were purged by the retention setting.
audit-verify-pending = { $count ->
    [one] { $count } newer entry is not chained yet and was not checked: verify again in a moment.
   *[other] { $count } newer entries are not chained yet and were not checked: verify again in a moment.
}
# $entry, $after: entry numbers
audit-problem-unsealed = Entry #{ $entry } has no chain hash: it was written outside Roster.
audit-problem-changed = Entry #{ $entry } was changed after it was written.
audit-problem-inserted = Entry #{ $entry } was inserted: the entries on either side link to each other.
audit-problem-broken-start = Entries before #{ $entry }, the oldest kept, were removed without a purge.
audit-problem-broken = The chain breaks between #{ $after } and #{ $entry }: entries were removed, or #{ $after } was changed and rehashed.
audit-problem-truncated-all = Every entry was removed without a purge.
audit-problem-truncated = The newest entries were removed: the log ends at #{ $after }.
audit-problem-appended = Entries after #{ $after } were added outside Roster.
audit-problem-unvouched-purge = The log says its oldest entries were purged, but no purge in the log says so: they were removed and the record edited outside Roster.
audit-problem-head-missing = The record of the newest entry was removed outside Roster; restore the database from a backup.

## Groups page

groups-title = Groups
groups-import-memberships = Import memberships…
groups-export-memberships = Export memberships…
# $count: memberships written; $file: the path of the file
groups-exported-memberships = Exported { $count } memberships to { $file }
groups-new = New group
groups-empty-title = No groups yet
groups-empty-hint = Groups collect users, e.g. by shift or project. Create the first one.
groups-column-name = Name
groups-column-description = Description
groups-column-organization = Organization
groups-column-members = Members
groups-column-created-by = Created by
groups-column-created = Created
groups-column-actions = Actions
groups-members = Members
groups-members-of = Members of { $name }
groups-rename = Rename
groups-rename-named = Rename { $name }
groups-delete-named = Delete { $name }
groups-rename-title = Rename group
groups-field-name = Name
groups-field-description = Description
groups-field-organization = Organization (optional)
groups-delete-title = Delete group
groups-delete-confirm = { $count ->
        [one] Delete group { $name }? Its { $count } member stays a user.
       *[other] Delete group { $name }? Its { $count } members stay as users.
    }
# Saving over another admin's change, when that admin deleted the group meanwhile.
groups-gone = group '{ $name }' no longer exists

## A group's members

groups-back-to-all = ← All groups
groups-add-members-placeholder = Add members: type a name, username or email

## Organization switcher (sidebar)

orgs-switcher-label = Organization
orgs-switcher-all = All organizations

## Organizations page

orgs-title = Organizations
orgs-new = New organization
orgs-empty-title = No organizations yet
orgs-empty-hint = Organizations are the customers, companies or sites your users belong to. Create one here, or name one on a user.
orgs-column-name = Name
orgs-column-users = Users
orgs-column-groups = Groups
orgs-column-devices = Devices
orgs-column-accounts = Accounts
orgs-column-accounts-title = Console accounts limited to this organization
orgs-column-created = Created
orgs-column-actions = Actions
orgs-rename = Rename
orgs-rename-named = Rename { $name }
orgs-delete-named = Delete { $name }
orgs-rename-title = Rename organization
orgs-field-name = Name
orgs-delete-title = Delete organization
orgs-move-and-delete = Move and delete
orgs-delete-empty = Delete organization { $name }? Nothing belongs to it.
# $belongings: what still belongs to it, e.g. "12 users and 2 groups" (orgs-belonging-*)
orgs-delete-occupied = { $name } still has { $belongings }. Move them to another organization, then delete { $name }.
orgs-delete-no-heir = There is no other organization yet: create the one they should move to first.
orgs-move-to = Move them to
orgs-move-to-choose = Choose an organization…
orgs-belonging-users = { $count ->
    [one] { $count } user
   *[other] { $count } users
}
orgs-belonging-groups = { $count ->
    [one] { $count } group
   *[other] { $count } groups
}
orgs-belonging-devices = { $count ->
    [one] { $count } device
   *[other] { $count } devices
}
# "it": the organization
orgs-belonging-accounts = { $count ->
    [one] { $count } console account limited to it
   *[other] { $count } console accounts limited to it
}
# Joins what belongs to an organization; $rest may itself be joined: "12 users and 2 groups and 1 device".
orgs-belonging-and = { $first } and { $rest }

## Overview page

overview-title = Overview
overview-title-of = Overview of { $name }
overview-load-failed = Couldn’t load the overview
overview-empty-title = No users yet
# $command: the command roster user add, shown as code
overview-empty-hint = Add users with { $command } or the Users screen.
overview-users = Users
overview-users-by-status = Users by status
overview-users-by-two-factor = Users by 2FA state
overview-recent-changes = Recent changes

## Export dialog (users list to a CSV file)

export-title = Export users
export-run = Export…
export-running = Exporting…
export-column-identity-provider = Identity provider
export-column-password-changed = Password changed
export-column-created-by = Created by
export-headers-roster = Roster (read back by Roster’s import)
export-which-legend = Users
# $more is "yes" when the list has at least $count matches (it was not counted to the end).
export-which-list = { $more ->
    [yes] The { $count }+ users in the list, with its search, filters and sort
   *[no] { $count ->
        [one] The { $count } user in the list, with its search, filters and sort
       *[other] The { $count } users in the list, with its search, filters and sort
    }
}
export-which-selection = The { $count } selected
export-which-selection-none = The selected users (none selected)
export-columns-legend = Columns, in order
export-move-hint = Alt+↑ and Alt+↓ move the column whose box has the focus.
export-move-up = Move { $column } up
export-move-down = Move { $column } down
export-attributes = Attributes
export-header-names = Header names
export-bom = For Excel (UTF-8 with a byte order mark)
export-formula-hint = Cells that a spreadsheet would run as a formula (starting with =, +, - or @) get a leading '; Roster’s import takes it off again.

## Import problems table (users, memberships, devices)

import-problems-line = Line
import-problems-column = Column
import-problems-value = Value
import-problems-problem = Problem

## Shared by the import wizards

import-choose-file = Choose file…
import-fix-problems = Fix the problems to import
import-problems-heading = Problems
import-save-problems = Save all problems as CSV…
import-rows = { $count ->
    [one] { $count } row
   *[other] { $count } rows
}
import-summary-with-problems = { $count } with problems

## Users import wizard

import-title = Import users
import-field-display-name = Full name (split into first and last)
import-field-tags = Tags (comma-separated)
import-field-manager = Manager (email)
import-field-groups = Groups (comma-separated)
import-field-password = Password
# "Yes" is a value as the file writes it: not translated.
import-field-block-sign-in = Block sign-in (Yes = suspended)
# "False" is a value as the file writes it: not translated.
import-field-account-enabled = Account enabled (False = suspended)
import-intro = Choose a CSV file: Roster’s own export, or an export or template from Google Workspace, Microsoft Entra ID, JumpCloud or Okta. Excel’s “CSV UTF-8” and “Unicode text” files work too.
import-intro-checked = Every row is checked before anything is written, and you see each problem with its line.
import-file-label = File:
import-format = Format
import-choose-another-file = Choose another file…
import-checking = Checking…
import-summary-new = { $count } new
import-summary-to-update = { $count } to update
import-summary-unchanged = { $count } unchanged
import-problems-heading-partial = Problems (first { $shown } of { $total })
import-problems-saved = Saved to { $path }
import-columns-heading = Columns
import-column-in-file = Column in the file
import-column-becomes = Becomes
import-column-field = Field for column { $column }
import-column-ignored = Ignored (Roster does not keep it)
import-column-attributes = Attributes
import-create-attribute-label = Create an attribute for column { $column }
import-create-attribute = Create attribute
import-options-heading = Options
import-new-users-start = New users start
import-start-staged = Staged, with an invitation by email
import-start-active = Active, without an invitation
import-existing-email = A user with the same email exists
import-existing-refuse = It is a problem: import new users only
import-existing-update = Update them with the file’s values
import-invalid-rows = Rows with problems
import-invalid-refuse = Import nothing until every row is fixed
import-invalid-skip = Import the valid rows, skip the others
import-accept-passwords = Use the file’s passwords (anyone who gets the file can read them; delete it afterwards)
import-nothing = Nothing to import
import-start = { $count ->
    [one] Import { $count } user
   *[other] Import { $count } users
}
import-rows-checked = Rows checked
import-progress-saving = { $count ->
    [one] Saving { $count } user…
   *[other] Saving { $count } users…
}
import-progress-checked = { $total ->
    [one] { $checked } of { $total } row checked · { $perSecond } rows per second
   *[other] { $checked } of { $total } rows checked · { $perSecond } rows per second
}
import-progress-writing-hint = They land together or not at all.
import-progress-cancel-hint = Cancel now and nothing is written.
import-cancelling = Cancelling…
import-cancel = Cancel import
# $imported is import-done-imported, shown in bold; the clauses after it (updated, unchanged, skipped) follow.
import-done-from = { $imported } from { $file }
import-done-imported = { $count ->
    [one] { $count } user imported
   *[other] { $count } users imported
}
import-done-updated = { $count ->
    [one] { $count } user updated
   *[other] { $count } users updated
}
import-done-unchanged = { $count ->
    [one] { $count } row unchanged
   *[other] { $count } rows unchanged
}
import-done-skipped = { $count ->
    [one] { $count } row with problems skipped
   *[other] { $count } rows with problems skipped
}
import-done-active = They are active and can sign in once they have a password.
import-done-staged = They are staged; each has an invitation waiting in the outbox.

## Group memberships and devices import

import-memberships-title = Import group memberships
# $group and $member are the file's column headers ("group", "member"), shown in bold and not translated.
import-memberships-intro = Choose a CSV file with a { $group } column and a { $member } column (a username or an email), as “Export memberships…” writes it. Groups that do not exist yet are created.
import-memberships-add = { $count ->
    [one] Add { $count } membership
   *[other] Add { $count } memberships
}
import-memberships-unchanged = { $count } already members
import-devices-title = Import devices
# $name, $os and $owner are the file's column headers ("name", "OS", "owner"), shown in bold and not translated.
import-devices-intro = Choose an asset list: a CSV file with the device’s { $name }, its { $os } and its { $owner } (an email or username), and a model and serial number when it has them. Each device goes to its owner’s organization.
import-devices-add = { $count ->
    [one] Add { $count } device
   *[other] Add { $count } devices
}
import-sheet-added = { $count } added
import-sheet-to-add = { $count } to add
import-sheet-skip-invalid = Add the valid rows and skip the others

## User tokens screen and list

tokens-title = User tokens
tokens-show = Show
tokens-show-expiring = Expiring soon
tokens-show-active = Active
tokens-show-expired = Expired
tokens-show-revoked = Revoked
tokens-show-all = All
tokens-within-days = Within days
tokens-count = { $count ->
        [one] { $count } token
       *[other] { $count } tokens
    }
tokens-state-active = Active
tokens-state-expired = Expired
tokens-state-revoked = Revoked
tokens-empty = No tokens.
tokens-column-user = User
tokens-column-token = Token
tokens-column-expires = Expires
tokens-column-days-left = Days left
tokens-column-last-used = Last used
tokens-column-status = Status
tokens-column-actions = Actions
tokens-never-used = Never
tokens-revoke = Revoke
# $token is the token's last characters ("…1a2b").
tokens-revoke-label = Revoke { $token }
tokens-revoke-title = Revoke token
tokens-revoke-confirm = Revoke token { $token } of { $user }? Devices can no longer enroll with it.
tokens-issued = Token for { $user }, valid { $days } days. Copy it now: it is not shown again.

## Devices screen, a user's devices and the device dialogs

devices-title = Devices
devices-import = Import…
devices-export = Export…
devices-exported = { $count ->
    [one] Exported { $count } device to { $file }
   *[other] Exported { $count } devices to { $file }
}
devices-search-label = Search devices
devices-search-placeholder = Search name, serial, model or owner
devices-os = OS
devices-operating-system = Operating system
devices-name = Name
devices-model = Model
devices-serial = Serial number
devices-owner = Owner
devices-organization = Organization
devices-last-activity = Last activity
devices-state = State
devices-actions = Actions
devices-state-active = Active
devices-state-retired = Retired
devices-filter-any = Any
devices-count = { $count ->
    [one] { $count } device
   *[other] { $count } devices
}
devices-count-in-organization = { $count ->
    [one] { $count } device in { $organization }
   *[other] { $count } devices in { $organization }
}
devices-bulk-actions = Bulk actions
devices-selection-count = { $count } selected
devices-clear-selection = Clear selection
devices-bulk-retire = Retire…
devices-bulk-delete = Delete…
devices-retired-notice = { $count ->
    [one] { $count } device retired
   *[other] { $count } devices retired
}
devices-deleted-notice = { $count ->
    [one] { $count } device deleted
   *[other] { $count } devices deleted
}
devices-none-match = No devices match
devices-none-yet = No devices yet
# $command is the enrollment command line, shown as code.
devices-enroll-hint = Devices appear here once enrolled with a user token: { $command }
# $command is the enrollment command line, shown as code.
devices-enrolled-with-tokens = Devices enrolled with this user’s tokens ({ $command }) are listed here.
devices-select-loaded = Select the loaded devices
devices-select = Select { $name }
devices-no-owner = No owner
devices-never-active = Never
devices-empty = No devices.
devices-add = Add device…
devices-edit-named = Edit { $name }
devices-give = Give…
devices-retire = Retire
devices-retire-named = Retire { $name }
devices-remove-named = Remove { $name }
devices-retire-title = Retire device
devices-remove-title = Remove device
devices-retire-confirm = Retire { $name }? It stays on record as retired and no longer counts as in use.
devices-remove-confirm = Remove { $name } for good? Its record is deleted; the audit trail keeps what happened.
devices-bulk-retire-title = Retire devices
devices-bulk-delete-title = Delete devices
devices-bulk-retire-confirm = { $count ->
    [one] Retire { $count } device? They stay on record as retired and no longer count as in use.
   *[other] Retire { $count } devices? They stay on record as retired and no longer count as in use.
}
devices-bulk-delete-confirm = { $count ->
    [one] Delete { $count } device for good? The audit trail keeps what happened.
   *[other] Delete { $count } devices for good? The audit trail keeps what happened.
}
devices-add-title = Add a device
devices-add-device = Add device
devices-reassign-title = Give { $name } to another user
devices-reassign-save = Give device
devices-reassign-to = Username or email of the new owner
devices-reassign-hint = The device moves to the new owner's organization.

## Settings page

settings-title = Settings
settings-saved = Settings saved.
# After saving a mail server with another host, port, security or username.
settings-saved-enter-password = Settings saved. Now enter the mail server's password and save again: the one kept here is for the old server only.
# Error when the settings were deleted during a conflicting save (never happens in practice).
settings-gone = the settings no longer exist
settings-organization = Organization
settings-organization-name = Name
settings-organization-name-hint = Shown in authenticator apps and as the sender of messages.
settings-mail-language = Language of messages
settings-mail-language-hint = Invitations, password resets and the other messages Roster sends are written in it.
settings-passwords = Passwords and sign-in
settings-min-password-chars = Minimum password length
settings-min-password-chars-hint = NIST recommends 15 characters.
settings-max-failed-sign-ins = Lock after failed sign-ins
settings-session-idle-minutes = Sign out after idle minutes
settings-audit-log = Audit log
settings-audit-retention-days = Keep audit entries for (days)
settings-audit-retention-days-hint = 0 keeps them forever. Older entries and sign-in events are purged when an admin who may change settings signs in; the purge is itself recorded.
settings-purge-now = Purge old entries now
settings-purge-kept-forever = Entries are kept forever: save a number of days first.
settings-purged = Purged { $entries ->
        [one] { $entries } audit entry
       *[other] { $entries } audit entries
    } and { $signIns ->
        [one] { $signIns } sign-in event
       *[other] { $signIns } sign-in events
    }.
settings-smtp = Mail server (SMTP)
settings-smtp-enabled = Send messages through a mail server (otherwise they stay in the Outbox)
settings-smtp-host = Server
settings-smtp-security = Security
# The other choices are STARTTLS and TLS.
settings-smtp-security-none = None (local relay only)
settings-smtp-port = Port
settings-smtp-username = Username
settings-smtp-username-hint = Empty if the server needs no sign-in.
settings-smtp-password = Password
settings-smtp-password-hint = Kept in this computer's OS keyring for this server, not in the database. Leave empty to keep the stored one.
settings-smtp-password-hint-new-server = Enter this server's password: a kept password goes only to the server, port, security and username it was entered for.
settings-smtp-from-address = Sender address
settings-backups = Automatic backups
settings-backups-automatic = Back up automatically: when the app closes, and daily while it runs
settings-backups-folder = Backups folder
settings-backups-folder-hint = Empty: a backups folder beside the database. A second disk or a network share keeps them safe from this disk failing.
# How many daily, weekly and monthly backups are kept.
settings-backups-keep-daily = Keep daily
settings-backups-keep-weekly = Keep weekly
settings-backups-keep-monthly = Keep monthly
settings-backups-keep-hint = The newest backup of each of that many days, weeks and months is kept, and every backup of the last 24 hours. Only an Owner (every right) may change these.
settings-test-message = Test message
settings-test-message-to = Send a test message to
settings-test-message-send = Send test message
settings-test-message-queued = Test message queued for { $to }; see the Outbox for its delivery.

## Settings → Backups

backups-title = Backups
# $backend is "postgres" for PostgreSQL, anything else for MySQL or MariaDB.
backups-server-intro = This directory is kept on a { $backend ->
        [postgres] PostgreSQL
       *[other] MySQL or MariaDB
    } server, which is backed up with the server's own tools, for example:
# $command is a command line, shown as code.
backups-server-portable-copy = For a portable copy in one file, { $command } copies the whole directory into a SQLite file.
backups-save-encrypted-copy = Save an encrypted copy…
backups-back-up-now = Back up now
# $folder is the backups folder's path, shown as code.
backups-folder-hint = In { $folder }. Each backup is checked after it is written (SQLite's integrity check and the audit trail) and readable by your account only.
backups-empty = No backups yet. One is taken when the app closes, and daily while it runs.
backups-taken = Taken
backups-users = Users
backups-kind = Kind
backups-kind-before-restore = Before a restore
backups-kind-backup = Backup
backups-size = Size
backups-actions = Actions
backups-restore = Restore…
backups-restore-aria = Restore the backup taken { $taken }
backups-restore-title = Restore this backup?
backups-restore-confirm = Replace the directory
backups-restore-message = Everything in the directory is replaced with what this backup holds; changes made since it was taken are undone. The directory as it is now is kept as a backup first.
backups-restore-checking = Checking the backup…
backups-last-change = Last change
# The newest audit entry in a backup: when, what was done ("Suspended"), to whom, by whom.
backups-last-change-entry = { $at }: { $action } { $target } by { $actor }
backups-last-change-none = none
backups-audit-trail = Audit trail
backups-audit-trail-broken = does not verify
backups-audit-trail-verified = verified, { $entries } entries
# $size is a file size such as "400 kB".
backups-written = Backup written and checked: { $file } ({ $users ->
        [one] { $users } user
       *[other] { $users } users
    }, { $size }).
backups-encrypted-written = Encrypted copy written and checked: { $file } ({ $users ->
        [one] { $users } user
       *[other] { $users } users
    }, { $size }).
backups-restored = Restored { $file }. The directory as it was is kept as { $keptAside }: restore that to undo.
backups-size-gb = { NUMBER($size, minimumFractionDigits: 1, maximumFractionDigits: 1) } GB
backups-size-mb = { NUMBER($size, minimumFractionDigits: 1, maximumFractionDigits: 1) } MB
backups-size-kb = { $size } kB

## Settings → Backups → Save an encrypted copy

backups-encrypted-title = Save an encrypted copy
backups-encrypted-saving = Saving…
backups-encrypted-choose-where = Choose where to save…
backups-encrypted-intro = For a copy that leaves this computer: a USB stick, a network share, a cloud drive. It holds every account, password hash and 2FA key, so it is encrypted with a passphrase. Without the passphrase nobody can open it, you included: keep the passphrase somewhere safe, apart from the copy.
# $format is "age" (the encryption tool's name), $restore and $open are command lines, all shown as code.
backups-encrypted-format = It is in the { $format } format: { $restore } restores it, and { $open } opens it anywhere.
backups-encrypted-passphrase = Passphrase
backups-encrypted-passphrase-hint = At least 12 characters; a few unrelated words are easy to type and hard to guess.
backups-encrypted-passphrase-again = The same passphrase again
# Shown under the second passphrase field when the two differ.
backups-encrypted-passphrase-mismatch = type the same passphrase twice

## Roles page

roles-title = Roles
roles-new = New role
roles-empty = No roles.
roles-column-role = Role
# After a role's name: the role comes with Roster and cannot be changed.
roles-built-in = built in
# Column and list of what a role's holders may do.
roles-column-may = May
roles-self-service-only = Self-service only
roles-column-users = Users
roles-column-actions = Actions
roles-edit-aria = Edit { $name }
roles-delete-aria = Delete { $name }
roles-delete-title = Delete role
roles-delete-message = Delete the role { $name }?
roles-gone = role '{ $name }' no longer exists
roles-edit-title = Edit role { $name }
roles-name = Name
roles-description = Description
roles-may = May
roles-permission-view-users = View users and groups
roles-permission-manage-users = Create, edit, suspend, lock and delete users
roles-permission-unlock-users = Unlock accounts
roles-permission-manage-groups = Manage groups
roles-permission-reset-credentials = Reset passwords and 2FA
roles-permission-view-tokens = View user tokens
roles-permission-manage-tokens = Issue and revoke user tokens
roles-permission-view-audit = Read the audit trail
roles-permission-view-outbox = Read the outbox
roles-permission-manage-roles = Manage roles
roles-permission-manage-organizations = Create, rename and delete organizations
roles-permission-manage-settings = Change settings

## Outbox page

outbox-title = Outbox
outbox-no-smtp = No mail server is set up, so messages stay here. Read them to the person, or set up SMTP in Settings.
outbox-empty = No messages yet.
outbox-status-sent = Sent
# $at is a date and time.
outbox-status-sent-at = Sent { $at }
outbox-status-failed = Failed after { $attempts } attempts
outbox-status-not-sent = Not sent: no mail server set up
outbox-status-retrying = Retrying ({ $failed } failed)
outbox-status-queued = Queued
outbox-code-revealed = The code is shown; reading it was recorded in the audit log.
# $recipient is a name and address ("Ada Lovelace <ada@example.org>"), $written a date and time.
outbox-message-to = To { $recipient } · written { $written }
outbox-last-attempt = Last attempt: { $error }
outbox-show-code = Show code
outbox-copy-text = Copy text
outbox-copied = Copied the message text.
# $path is where the .eml file was saved.
outbox-saved-to = Saved { $path }
outbox-save-eml = Save as .eml

## Attributes page

attributes-title = Attributes
attributes-new = New attribute
attributes-empty-title = No attributes yet
attributes-empty-hint = Attributes keep what your directory needs beyond the built-in fields: a badge number, a shirt size, whether someone has a parking space. Each becomes a column, a filter, a field on every user and a column in CSV files.
attributes-label = Label
attributes-column-name = Name in files
attributes-kind = Kind
attributes-column-rules = Rules
# Which organization's users may hold the attribute.
attributes-users-of = Users of
attributes-every-organization = Every organization
# Inside a sentence: "…, for every organization: …"
attributes-every-organization-in-sentence = every organization
attributes-column-created = Created
# $date is when the attribute was defined, $actor who defined it.
attributes-created = { $date } by { $actor }
attributes-column-actions = Actions
attributes-change = Change
attributes-change-named = Change { $label }
attributes-remove-named = Remove { $label }
attributes-create = Create
# What cannot change once an attribute is defined. $name is its name in files (shown as code),
# $kind its kind, $organization an organization's name or the message attributes-every-organization-in-sentence.
attributes-fixed = Kept as { $name } in files and filters, { $kind ->
        [number] number
        [date] date
        [yes_no] yes / no
        [choice] one of a list
       *[text] text
    }, for { $organization }: these stay, so files, filters and the values users hold keep meaning the same.
attributes-name = Name in files and filters
attributes-name-hint = Leave empty to take it from the label (Badge number → badge_number).
attributes-choices = Choices, one per line or separated by commas
attributes-rule-required-label = Required for new users
attributes-rule-unique-label = No two users share a value
# The rules column lists these, separated by semicolons.
attributes-rule-required = required
attributes-rule-unique = unique
attributes-rule-one-of = one of { $choices }
attributes-remove-title = Remove attribute
attributes-remove-with-values = { $values ->
        [one] Remove with { $values } value
       *[other] Remove with { $values } values
    }
attributes-remove-message = { $label } holds values for { $users ->
        [one] { $users } user
       *[other] { $users } users
    }. Removing it deletes them.
attributes-remove-message-unused = Remove { $label }? No user holds a value of it.
attributes-kind-text = Text
attributes-kind-number = Number
attributes-kind-date = Date
attributes-kind-yes-no = Yes / no
attributes-kind-choice = One of a list
# The empty choice of a required list attribute.
attributes-choose = Choose…

## Help and about

about-title = Help and about Roster
about-version = Version
about-database = Database
about-licence = Licence
about-roster-licence = Roster's licence
about-components = Bundled components: { $crates } Rust crates, { $packages } npm packages
about-components-crates = Rust crates
about-components-npm = npm packages in the window
about-component = Component
about-component-source = Source and licence text

## Help → Diagnostics

diagnostics-title = Diagnostics
diagnostics-intro = If Roster misbehaves, save a diagnostics file and send it to whoever supports you. It holds the versions of Roster, the window's engine and the OS; the database's kind, size and counts; the settings; and recent problems from the log. It never holds a password, code or key.
diagnostics-saving = Saving…
diagnostics-save = Save diagnostics…
diagnostics-saved = Saved to { $path }

## Help → Updates

updates-title = Updates
updates-no-channel = This copy of Roster { $version } was built without an update channel (from source, or packaged by your system). Whoever built or packaged it provides new versions.
updates-automatic-checks = Look for new versions by itself: when Roster opens, then once a day. It only tells you; nothing is installed until you ask.
updates-this-version = This is Roster { $version }.
# $at is a date and time.
updates-last-checked = Last looked for updates { $at }.
updates-never-checked = Not looked for updates yet.
updates-installed = Roster { $version } is installed. Restart Roster to use it; until then this version keeps running.
updates-restart-now = Restart now
updates-available = Roster { $version } is available
# $available is the message updates-available, in bold.
updates-available-sentence = { $available }.
# $available is the message updates-available, in bold; $published a date and time.
updates-available-published = { $available } (published { $published }).
updates-whats-new = What's new in { $version }
updates-installing = Downloading and checking its signature…
updates-install = Install { $version }
updates-newest = Roster { $version } is the newest version.
updates-checking = Looking…
updates-check-now = Look for updates now

## The OS file dialogs (src-tauri/src/files.rs)

dialog-import-users = Import users
dialog-save-import-problems = Save the import's problems
dialog-export-users = Export users
dialog-import-memberships = Import group memberships
dialog-export-memberships = Export group memberships
dialog-import-devices = Import devices
dialog-export-devices = Export devices
dialog-export-audit-log = Export the audit log
dialog-save-diagnostics = Save diagnostics
dialog-save-encrypted-backup = Save an encrypted backup
dialog-filter-spreadsheets = Spreadsheets (CSV, Unicode text)
dialog-filter-json-lines = JSON lines
dialog-filter-encrypted-backup = Encrypted backup (age)

## What core says about a value it refuses (crates/core): a form shows it beside the field

# $field is the field's name as core knows it; each message names it in words.
validate-name-required = { $field ->
        [first_name] first name
       *[other] last name
    } is required
validate-name-too-long = { $field ->
        [first_name] first name
       *[other] last name
    } is { $count } characters long; shorten it to at most { $max }
validate-name-control-character = { $field ->
        [first_name] first name
       *[other] last name
    } contains a control character (tab, line break …); remove it
validate-email-required = email is required
validate-email-too-long = email is longer than { $max } characters
validate-email-invalid = '{ $value }' is not a valid email address; write it like name@example.com
validate-email-not-plain = '{ $value }' is not a plain email address; write it like name@example.com
validate-email-no-domain = '{ $value }' has no top-level domain after '@'; write it like name@example.com
validate-username-empty = username is empty; leave it out to derive it from the email
validate-username-too-long = username is { $count } characters long; shorten it to at most { $max }
validate-username-character = username contains '{ $character }'; use letters, digits and . _ - @ + only
validate-username-digits = username is only digits, which reads as a User ID; add a letter
validate-username-mixed-scripts = username mixes letters of different scripts (Latin with Cyrillic or Greek …), so it can pass for another name; write it in one script
validate-phone-too-long = phone is { $count } characters long; shorten it to at most { $max }
validate-phone-invalid = '{ $value }' is not a phone number; use digits, spaces and + - ( ) only
validate-label-too-long = { $field } is { $count } characters long; shorten it to at most { $max }
validate-label-control-character = { $field } contains a control character; remove it
validate-team-unassigned = "Unassigned" means no team; leave the team empty instead
validate-tag-too-long = tag '{ $tag }' is longer than { $max } characters; shorten it
validate-tag-character = tag '{ $tag }' contains a comma or control character; split it into separate tags
validate-too-many-tags = { $count } tags given; a user can have at most { $max }
validate-role-empty = role cannot be empty; choose a role such as user
error-taken = this { $field ->
        [email] email address
        [employee_id] employee ID
        [attributes] value, unique to each user,
       *[other] { $field }
    } is already taken; choose another
error-used-by-another-user = this { $field ->
        [email] email address
        [employee_id] employee ID
        [attributes] value, unique to each user,
       *[other] { $field }
    } is already used by another user; choose another
error-lookalike = this { $field ->
        [email] email address
        [employee_id] employee ID
        [attributes] value, unique to each user,
       *[other] { $field }
    } looks like another user's (letters of another script, or 1 for l, 0 for O, rn for m); choose one that cannot be mistaken for it
error-reporting-loop-meanwhile = another admin has just made this manager report to the user (directly or through others); nothing was changed: choose someone else
error-attribute-redefined = another admin has just changed what this attribute takes; nothing was changed: look at its choices again

## How the audit trail names each action (crates/core/src/audit.rs: action_message_id)

action-user-create = Created
action-user-update = Updated
action-user-delete = Deleted
action-user-activate = Activated
action-user-suspend = Suspended
action-user-unsuspend = Unsuspended
action-user-lock = Locked
action-user-unlock = Unlocked
action-user-auto-lock = Locked after failed sign-ins
action-user-require-password-change = Told to choose a new password
action-user-complete-password-change = New password chosen
action-user-set-password = Password set
action-user-change-password = Password changed by the user
action-user-reset-2fa = 2FA reset
action-user-activate-2fa = 2FA activated
action-user-start-recovery = Password reset started
action-user-redeem-code = One-time code redeemed
action-user-invite = Invitation sent
action-user-set-scope = Organizations administered changed
action-token-issue = Token issued
action-token-revoke = Token revoked
action-device-enroll = Device enrolled
action-device-add = Device added
action-device-edit = Device changed
action-device-reassign = Device given to another user
action-device-retire = Device retired
action-device-delete = Device deleted
action-group-create = Group created
action-group-update = Group changed
action-group-delete = Group deleted
action-group-add-member = Added to group
action-group-remove-member = Removed from group
action-organization-create = Organization created
action-organization-rename = Organization renamed
action-organization-delete = Organization deleted
action-attribute-create = Attribute defined
action-attribute-delete = Attribute removed
action-role-create = Role created
action-role-update = Role changed
action-role-delete = Role deleted
action-settings-update = Settings changed
action-mail-test = Test message queued
action-mail-read-code = One-time code read in the outbox
action-session-sign-in = Signed in
action-session-sign-in-failed = Sign-in refused
action-import-users = Users imported
action-import-memberships = Group memberships imported
action-import-devices = Devices imported
action-audit-purge = Old audit entries purged
action-backup-create = Backup taken
action-backup-restore = Restored from a backup

## The messages Roster sends (crates/core/src/mail.rs), in the directory's language for messages

mail-invitation-subject = Your { $org } account is ready
mail-invitation-body =
    Hello { $name },

    An account was created for you in { $org }.

    Username: { $username }
    One-time code: { $code }

    Open Roster, choose "I have a code" on the sign-in screen, and enter your username, this code and a new password of your choice. The code works once and expires in { $days } days.

    If you did not expect this message, tell your IT helpdesk.
mail-recovery-subject = Reset your { $org } password
mail-recovery-body =
    Hello { $name },

    A password reset was started for your { $org } account ({ $username }).

    One-time code: { $code }

    Open Roster, choose "I have a code" on the sign-in screen, and enter your username, this code and a new password. The code works once and expires in 24 hours.

    If you did not ask for this, tell your IT helpdesk at once.
mail-password-set-subject = Your { $org } password was changed
mail-password-set-body =
    Hello { $name },

    An administrator set a new password for your { $org } account ({ $username }). Your helpdesk will tell you the new password in person.

    If you did not ask for this, tell your IT helpdesk at once.
mail-password-set-change-subject = Your { $org } password was changed
mail-password-set-change-body =
    Hello { $name },

    An administrator set a new password for your { $org } account ({ $username }). You will be asked to choose a new password when you next sign in.

    If you did not ask for this, tell your IT helpdesk at once.
mail-two-factor-reset-subject = Set up two-factor authentication for { $org }
mail-two-factor-reset-body =
    Hello { $name },

    The two-factor authentication of your { $org } account ({ $username }) was reset. When you next sign in, Roster shows a QR code: scan it with your authenticator app and enter the 6-digit code it shows.

    If you did not ask for this, tell your IT helpdesk at once.
mail-test-subject = { $org }: test message
mail-test-body = This is a test message from Roster. { $org }'s mail settings work.

## Why a sign-in or a code was refused (crates/core/src/service/sign_in.rs, credentials.rs, codes.rs)

sign-in-bad-credentials = the username or password is not correct
sign-in-locked-now = this account is locked after too many failed sign-ins; ask an administrator to unlock it
sign-in-locked = this account is locked; ask an administrator to unlock it
sign-in-suspended = this account is suspended; ask an administrator
sign-in-code-required = enter the 6-digit code from your authenticator app
sign-in-code-malformed = enter the 6-digit code your authenticator app shows
sign-in-code-wrong = this code is not right; check the device's clock and enter the code shown now
sign-in-code-reused = this code was already used; wait for the app to show the next one
sign-in-one-time-code-invalid = this code is not valid: check the username and the code; codes work once and expire (recovery codes after 24 hours), so ask the helpdesk for a new one
