// Generated from the #[tauri::command]s in src-tauri/src/commands by `cargo xtask codegen`. Do not edit.
import type { Attribute } from "./Attribute";
import type { AttributeEdit } from "./AttributeEdit";
import type { AuditEntry } from "./AuditEntry";
import type { AuditPurge } from "./AuditPurge";
import type { AuditQuery } from "./AuditQuery";
import type { BackupContents } from "./BackupContents";
import type { BackupList } from "./BackupList";
import type { BulkEdit } from "./BulkEdit";
import type { ChainReport } from "./ChainReport";
import type { Channel } from "@tauri-apps/api/core";
import type { Connections } from "./Connections";
import type { Count } from "./Count";
import type { DatabaseInfo } from "./DatabaseInfo";
import type { Device } from "./Device";
import type { DeviceDraft } from "./DeviceDraft";
import type { DeviceId } from "./DeviceId";
import type { DevicePage } from "./DevicePage";
import type { DeviceQuery } from "./DeviceQuery";
import type { Enrollment } from "./Enrollment";
import type { ExportChoice } from "./ExportChoice";
import type { ExportDone } from "./ExportDone";
import type { Facets } from "./Facets";
import type { FieldError } from "./FieldError";
import type { FirstOwner } from "./FirstOwner";
import type { Group } from "./Group";
import type { GroupId } from "./GroupId";
import type { GroupPatch } from "./GroupPatch";
import type { ImportChoice } from "./ImportChoice";
import type { ImportPreview } from "./ImportPreview";
import type { ImportProgress } from "./ImportProgress";
import type { IssuedToken } from "./IssuedToken";
import type { MailMessage } from "./MailMessage";
import type { NewAttribute } from "./NewAttribute";
import type { NewGroup } from "./NewGroup";
import type { NewUser } from "./NewUser";
import type { Organization } from "./Organization";
import type { OrganizationId } from "./OrganizationId";
import type { Overview } from "./Overview";
import type { PasswordSet } from "./PasswordSet";
import type { Profile } from "./Profile";
import type { RedeemCode } from "./RedeemCode";
import type { Restored } from "./Restored";
import type { Role } from "./Role";
import type { RoleInput } from "./RoleInput";
import type { ServerAddress } from "./ServerAddress";
import type { Session } from "./Session";
import type { SessionState } from "./SessionState";
import type { SetPassword } from "./SetPassword";
import type { Settings } from "./Settings";
import type { SheetPreview } from "./SheetPreview";
import type { SignInEntry } from "./SignInEntry";
import type { SignInRequest } from "./SignInRequest";
import type { StatusAction } from "./StatusAction";
import type { TokenQuery } from "./TokenQuery";
import type { TokenView } from "./TokenView";
import type { UpdateStatus } from "./UpdateStatus";
import type { User } from "./User";
import type { UserId } from "./UserId";
import type { UserPage } from "./UserPage";
import type { UserPatch } from "./UserPatch";
import type { UserQuery } from "./UserQuery";
import type { UserRows } from "./UserRows";

/** Invokes one command by name with its arguments. */
export type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

/** Every command of the app, typed from its Rust signature. */
export function commands(invoke: Invoke) {
  return {
    connections: (): Promise<Connections> => invoke<Connections>("connections"),
    /** Connects to `server` without changing anything there, and says what connecting for real would do: create Roster's tables, update them, or nothing. */
    testConnection: (server: ServerAddress, password: string | null): Promise<string> => invoke<string>("test_connection", { server, password }),
    /** Saves `profile` (replacing the one named `replacing`), and its password in the OS keyring when one is given. When the keyring cannot keep it, nothing is saved. The password is kept for the server exactly as saved: an edit of where or how it connects forgets the old one, and the new server's is asked for when it is opened. */
    saveConnection: (profile: Profile, password: string | null, replacing: string | null): Promise<Connections> => invoke<Connections>("save_connection", { profile, password, replacing }),
    deleteConnection: (name: string): Promise<Connections> => invoke<Connections>("delete_connection", { name }),
    /** Switches the window to the saved connection `profile` (`None`: the database file on this computer), creating or updating Roster's tables there. Whoever was signed in is signed out. When it cannot be opened, the directory open now stays open. */
    openDirectory: (profile: string | null, password: string | null): Promise<DatabaseInfo> => invoke<DatabaseInfo>("open_directory", { profile, password }),
    databaseInfo: (): Promise<DatabaseInfo> => invoke<DatabaseInfo>("database_info"),
    /** Help → Save diagnostics: a report for support (versions, the database, settings without secrets, the log's recent problems) in a file the admin chooses; the directory's part only for someone signed in who may see the settings. The file's path, or `null` when they cancel the dialog. */
    saveDiagnostics: (): Promise<string | null> => invoke<string | null>("save_diagnostics"),
    listUsers: (query: UserQuery): Promise<UserPage> => invoke<UserPage>("list_users", { query }),
    /** The users list's rows, answered before they are counted (see `count_users`). */
    listUserRows: (query: UserQuery): Promise<UserRows> => invoke<UserRows>("list_user_rows", { query }),
    countUsers: (query: UserQuery, upTo: number | null): Promise<Count> => invoke<Count>("count_users", { query, upTo }),
    matchingUserIds: (query: UserQuery): Promise<Array<UserId>> => invoke<Array<UserId>>("matching_user_ids", { query }),
    getUser: (id: UserId): Promise<User> => invoke<User>("get_user", { id }),
    checkNewUser: (input: NewUser): Promise<Array<FieldError>> => invoke<Array<FieldError>>("check_new_user", { input }),
    checkUserPatch: (patch: UserPatch): Promise<Array<FieldError>> => invoke<Array<FieldError>>("check_user_patch", { patch }),
    createUser: (input: NewUser, invite: boolean): Promise<User> => invoke<User>("create_user", { input, invite }),
    updateUser: (id: UserId, patch: UserPatch, expectedVersion: number): Promise<User> => invoke<User>("update_user", { id, patch, expectedVersion }),
    changeStatus: (ids: Array<UserId>, action: StatusAction): Promise<Array<User>> => invoke<Array<User>>("change_status", { ids, action }),
    editUsers: (ids: Array<UserId>, edit: BulkEdit): Promise<Array<User>> => invoke<Array<User>>("edit_users", { ids, edit }),
    deleteUsers: (ids: Array<UserId>, giveDevicesTo: string | null): Promise<number> => invoke<number>("delete_users", { ids, giveDevicesTo }),
    userActivity: (id: UserId): Promise<Array<AuditEntry>> => invoke<Array<AuditEntry>>("user_activity", { id }),
    userGroups: (id: UserId): Promise<Array<Group>> => invoke<Array<Group>>("user_groups", { id }),
    listGroups: (): Promise<Array<Group>> => invoke<Array<Group>>("list_groups"),
    createGroup: (input: NewGroup): Promise<Group> => invoke<Group>("create_group", { input }),
    updateGroup: (id: GroupId, patch: GroupPatch, version: number): Promise<Group> => invoke<Group>("update_group", { id, patch, version }),
    deleteGroup: (id: GroupId): Promise<undefined> => invoke<undefined>("delete_group", { id }),
    addGroupMembers: (id: GroupId, users: Array<UserId>): Promise<number> => invoke<number>("add_group_members", { id, users }),
    removeGroupMembers: (id: GroupId, users: Array<UserId>): Promise<number> => invoke<number>("remove_group_members", { id, users }),
    listOrganizations: (): Promise<Array<Organization>> => invoke<Array<Organization>>("list_organizations"),
    createOrganization: (name: string): Promise<Organization> => invoke<Organization>("create_organization", { name }),
    renameOrganization: (id: OrganizationId, name: string): Promise<Organization> => invoke<Organization>("rename_organization", { id, name }),
    deleteOrganization: (id: OrganizationId, moveTo: OrganizationId | null): Promise<undefined> => invoke<undefined>("delete_organization", { id, moveTo }),
    accountScope: (id: UserId): Promise<Array<OrganizationId> | null> => invoke<Array<OrganizationId> | null>("account_scope", { id }),
    setAccountScope: (id: UserId, organizations: Array<OrganizationId> | null): Promise<undefined> => invoke<undefined>("set_account_scope", { id, organizations }),
    overview: (organization: OrganizationId | null): Promise<Overview> => invoke<Overview>("overview", { organization }),
    facets: (): Promise<Facets> => invoke<Facets>("facets"),
    /** The attributes admins defined that the signed-in account sees. */
    listAttributes: (): Promise<Array<Attribute>> => invoke<Array<Attribute>>("list_attributes"),
    defineAttribute: (attribute: NewAttribute): Promise<Attribute> => invoke<Attribute>("define_attribute", { attribute }),
    /** Changes the attribute's label, choices and rules. */
    editAttribute: (name: string, edit: AttributeEdit): Promise<Attribute> => invoke<Attribute>("edit_attribute", { name, edit }),
    /** How many users hold a value of the attribute: what removing it deletes. */
    attributeValues: (name: string): Promise<number> => invoke<number>("attribute_values", { name }),
    /** Removes the attribute; `confirmed` is the number of values the admin agreed to delete. */
    removeAttribute: (name: string, confirmed: number | null): Promise<number> => invoke<number>("remove_attribute", { name, confirmed }),
    listDevices: (query: DeviceQuery): Promise<DevicePage> => invoke<DevicePage>("list_devices", { query }),
    getDevice: (id: DeviceId): Promise<Device> => invoke<Device>("get_device", { id }),
    addDevice: (user: UserId, draft: DeviceDraft): Promise<Device> => invoke<Device>("add_device", { user, draft }),
    editDevice: (id: DeviceId, draft: DeviceDraft, version: number): Promise<Device> => invoke<Device>("edit_device", { id, draft, version }),
    reassignDevices: (ids: Array<DeviceId>, to: string): Promise<Array<Device>> => invoke<Array<Device>>("reassign_devices", { ids, to }),
    retireDevices: (ids: Array<DeviceId>): Promise<Array<Device>> => invoke<Array<Device>>("retire_devices", { ids }),
    deleteDevices: (ids: Array<DeviceId>): Promise<number> => invoke<number>("delete_devices", { ids }),
    sessionState: (): Promise<SessionState> => invoke<SessionState>("session_state"),
    signIn: (request: SignInRequest): Promise<Session> => invoke<Session>("sign_in", { request }),
    signOut: (): Promise<undefined> => invoke<undefined>("sign_out"),
    /** The person typed, clicked or scrolled in the window: only that keeps a session from ending after the idle time (reloads the window makes by itself do not). */
    recordActivity: (): Promise<undefined> => invoke<undefined>("record_activity"),
    createFirstOwner: (input: FirstOwner): Promise<Session> => invoke<Session>("create_first_owner", { input }),
    redeemCode: (request: RedeemCode): Promise<undefined> => invoke<undefined>("redeem_code", { request }),
    /** The signed-in person sets a new password (the current one is needed unless they were told to choose a new one). */
    changeOwnPassword: (current: string | null, new_: string): Promise<Session> => invoke<Session>("change_own_password", { current, new: new_ }),
    ownEnrollment: (): Promise<Enrollment> => invoke<Enrollment>("own_enrollment"),
    activateOwnTwoFactor: (code: string): Promise<Session> => invoke<Session>("activate_own_two_factor", { code }),
    ownTokens: (): Promise<Array<TokenView>> => invoke<Array<TokenView>>("own_tokens"),
    setPassword: (id: UserId, choice: SetPassword): Promise<PasswordSet> => invoke<PasswordSet>("set_password", { id, choice }),
    resetTwoFactor: (ids: Array<UserId>): Promise<number> => invoke<number>("reset_two_factor", { ids }),
    /** The QR code of a user's pending 2FA, for the helpdesk to show at the desk. */
    enrollment: (id: UserId): Promise<Enrollment> => invoke<Enrollment>("enrollment", { id }),
    startRecovery: (ids: Array<UserId>): Promise<Array<User>> => invoke<Array<User>>("start_recovery", { ids }),
    inviteUser: (id: UserId): Promise<User> => invoke<User>("invite_user", { id }),
    userSignIns: (id: UserId): Promise<Array<SignInEntry>> => invoke<Array<SignInEntry>>("user_sign_ins", { id }),
    listTokens: (query: TokenQuery): Promise<Array<TokenView>> => invoke<Array<TokenView>>("list_tokens", { query }),
    issueToken: (id: UserId, days: number | null): Promise<IssuedToken> => invoke<IssuedToken>("issue_token", { id, days }),
    revokeToken: (id: number): Promise<TokenView> => invoke<TokenView>("revoke_token", { id }),
    listRoles: (): Promise<Array<Role>> => invoke<Array<Role>>("list_roles"),
    saveRole: (input: RoleInput): Promise<Role> => invoke<Role>("save_role", { input }),
    deleteRole: (name: string): Promise<undefined> => invoke<undefined>("delete_role", { name }),
    getSettings: (): Promise<Settings> => invoke<Settings>("get_settings"),
    /** With `smtp_password`, the mail server's password goes to the OS keyring (never to the database) once the settings are saved, kept for that server alone (host, port, security and user); without it, the one kept for that same server, if any, is used. */
    saveSettings: (settings: Settings, smtpPassword: string | null): Promise<Settings> => invoke<Settings>("save_settings", { settings, smtpPassword }),
    sendTestMail: (to: string): Promise<undefined> => invoke<undefined>("send_test_mail", { to }),
    outbox: (): Promise<Array<MailMessage>> => invoke<Array<MailMessage>>("outbox"),
    /** One message whole, its one-time code shown: for someone who may set that account's password, and recorded in the audit trail. */
    revealMail: (id: number): Promise<MailMessage> => invoke<MailMessage>("reveal_mail", { id }),
    /** Writes a message as an .eml file to the Downloads folder and returns its path. */
    exportMail: (id: number): Promise<string> => invoke<string>("export_mail", { id }),
    /** The backups folder of a SQLite directory and the backups in it. */
    backups: (): Promise<BackupList> => invoke<BackupList>("backups"),
    backUpNow: (): Promise<BackupContents> => invoke<BackupContents>("back_up_now"),
    /** A backup encrypted with `passphrase` (the age format) in a file the admin chooses: a copy that leaves this computer. `null` when they cancel the dialog. */
    saveEncryptedBackup: (passphrase: string): Promise<BackupContents | null> => invoke<BackupContents | null>("save_encrypted_backup", { passphrase }),
    /** What the backup of this name in the backups folder holds, checked: shown before a restore. */
    inspectBackup: (name: string): Promise<BackupContents> => invoke<BackupContents>("inspect_backup", { name }),
    /** Restores the backup of this name. Sessions the restored directory no longer holds as they were (an account deleted or changed since) end at their next command. */
    restoreBackup: (name: string): Promise<Restored> => invoke<Restored>("restore_backup", { name }),
    /** Opens the file dialog; the chosen file is checked at once, as a dry run, and the preview returned (`null` when the admin cancelled the dialog). */
    chooseImportFile: (): Promise<ImportPreview | null> => invoke<ImportPreview | null>("choose_import_file"),
    /** Checks every row of the chosen file with this mapping and these options; writes nothing. */
    previewImport: (choice: ImportChoice): Promise<ImportPreview> => invoke<ImportPreview>("preview_import", { choice }),
    /** Imports the chosen file, telling `progress` how far it got; [`cancel_import`] stops it while rows are still being checked, with nothing written. */
    runImport: (choice: ImportChoice, progress: Channel<ImportProgress>): Promise<ImportPreview> => invoke<ImportPreview>("run_import", { choice, progress }),
    /** Stops the running import if it is still checking rows; `false` when there is none, or it is already writing (its one transaction then lands or rolls back whole). */
    cancelImport: (): Promise<boolean> => invoke<boolean>("cancel_import"),
    /** Writes every problem of the last preview or import (line, column, value, message) to a CSV file the admin chooses; `null` when they cancel the dialog. */
    saveImportProblems: (): Promise<string | null> => invoke<string | null>("save_import_problems"),
    /** Exports the users the query matches (the list's search, filters and sort, or its selection) to a CSV file the admin chooses; `null` when they cancel the dialog. */
    exportUsersToFile: (choice: ExportChoice): Promise<ExportDone | null> => invoke<ExportDone | null>("export_users_to_file", { choice }),
    /** Opens the file dialog for a memberships file (a group and a member column) and checks it, writing nothing; `null` when the admin cancelled the dialog. */
    chooseMembershipsFile: (): Promise<SheetPreview | null> => invoke<SheetPreview | null>("choose_memberships_file"),
    /** Adds the chosen file's memberships: all of them, or with `skip_invalid` the valid ones. */
    importMemberships: (skipInvalid: boolean): Promise<SheetPreview> => invoke<SheetPreview>("import_memberships", { skipInvalid }),
    /** Opens the file dialog for a devices file (an asset list: name, OS and owner columns) and checks it, writing nothing; `null` when the admin cancelled the dialog. */
    chooseDevicesFile: (): Promise<SheetPreview | null> => invoke<SheetPreview | null>("choose_devices_file"),
    /** Records the chosen file's devices: all of them, or with `skip_invalid` the valid ones. */
    importDevices: (skipInvalid: boolean): Promise<SheetPreview> => invoke<SheetPreview>("import_devices", { skipInvalid }),
    /** Exports every group membership (group, username, email) to a CSV file the admin chooses; `null` when they cancel the dialog. */
    exportMembershipsToFile: (): Promise<ExportDone | null> => invoke<ExportDone | null>("export_memberships_to_file"),
    /** Exports the devices the Devices screen's search and filters match to a CSV file the admin chooses (read back by `roster import devices`); `null` when they cancel. */
    exportDevicesToFile: (query: DeviceQuery): Promise<ExportDone | null> => invoke<ExportDone | null>("export_devices_to_file", { query }),
    auditEntries: (query: AuditQuery): Promise<Array<AuditEntry>> => invoke<Array<AuditEntry>>("audit_entries", { query }),
    /** Exports the entries the screen's filters match to a file the admin chooses, as CSV or JSON lines (`csv`, `jsonl`); `null` when they cancel the dialog. */
    exportAuditToFile: (query: AuditQuery, format: string): Promise<ExportDone | null> => invoke<ExportDone | null>("export_audit_to_file", { query, format }),
    /** Walks the whole chain; with an anchor saved earlier (its text), also checks the log was not rewritten since. */
    verifyAudit: (anchor: string | null): Promise<ChainReport> => invoke<ChainReport>("verify_audit", { anchor }),
    /** Purges what the retention setting no longer keeps; `null` when entries are kept forever. */
    applyAuditRetention: (): Promise<AuditPurge | null> => invoke<AuditPurge | null>("apply_audit_retention"),
    updateStatus: (): Promise<UpdateStatus> => invoke<UpdateStatus>("update_status"),
    /** Turns this workstation's checks by itself on or off; turned on, it checks at once. */
    setAutomaticUpdateChecks: (on: boolean): Promise<UpdateStatus> => invoke<UpdateStatus>("set_automatic_update_checks", { on }),
    checkForUpdate: (): Promise<UpdateStatus> => invoke<UpdateStatus>("check_for_update"),
    /** Installs the version the last check found (never one the window names). */
    installUpdate: (): Promise<UpdateStatus> => invoke<UpdateStatus>("install_update"),
    /** Restarts Roster into the version just installed (the backup due on closing is taken first, as on any exit). */
    restartRoster: (): Promise<undefined> => invoke<undefined>("restart_roster"),
    /** The language the window shows, so what Rust puts on screen itself (the OS file dialogs' titles) reads in it too. Only a language Roster has a catalogue for is kept; any other is English. */
    setWindowLanguage: (language: string): Promise<string> => invoke<string>("set_window_language", { language }),
  };
}
