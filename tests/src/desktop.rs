//! Drives the real desktop app for end-to-end tests: a virtual X display (Xvfb),
//! tauri-driver (which starts WebKitWebDriver), and a WebDriver session in which the built
//! `roster-desktop` runs in a real WebKit window.

use crate::{built_binary, target_dir, test_actor};
use fantoccini::{Client, ClientBuilder, Locator};
use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A failed check, with what was seen; tests return it instead of panicking so the app is
/// always closed before the failure is reported.
pub type Check<T = ()> = Result<T, String>;

/// An X display of our own, so tests never open windows on a developer's screen.
struct VirtualDisplay {
    xvfb: Child,
    name: String,
}

impl VirtualDisplay {
    fn start() -> Check<Self> {
        // -displayfd makes Xvfb pick a free display number and print it.
        let mut xvfb = Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start Xvfb ({e}); install it (apt-get install xvfb) or run `cargo xtask test`"))?;
        let mut line = String::new();
        BufReader::new(xvfb.stdout.take().ok_or("no Xvfb output")?)
            .read_line(&mut line)
            .map_err(|e| format!("Xvfb did not say its display: {e}"))?;
        let number = line.trim();
        if number.is_empty() {
            return Err("Xvfb exited without a display".into());
        }
        Ok(VirtualDisplay {
            xvfb,
            name: format!(":{number}"),
        })
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        self.xvfb.kill().ok();
        self.xvfb.wait().ok();
    }
}

struct Driver {
    process: Child,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // SIGTERM, not SIGKILL: only then does tauri-driver stop WebKitWebDriver, whose
        // orphan would keep the test's output pipe open.
        Command::new("kill")
            .args(["-TERM", &self.process.id().to_string()])
            .status()
            .ok();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.process.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.process.kill().ok();
        self.process.wait().ok();
    }
}

/// At most this many app windows at once: each is three processes and ~450 MB, and on a
/// two-core machine more would only make every test slower and flakier.
const MAX_WINDOWS: usize = 2;
static WINDOWS: (std::sync::Mutex<usize>, std::sync::Condvar) =
    (std::sync::Mutex::new(0), std::sync::Condvar::new());

/// A place among the windows allowed to run; given back on drop.
struct WindowSlot;

impl WindowSlot {
    async fn acquire() -> WindowSlot {
        tokio::task::spawn_blocking(|| {
            let (lock, freed) = &WINDOWS;
            let mut open = lock.lock().unwrap_or_else(|e| e.into_inner());
            while *open >= MAX_WINDOWS {
                open = freed.wait(open).unwrap_or_else(|e| e.into_inner());
            }
            *open += 1;
        })
        .await
        .expect("wait for a window slot");
        WindowSlot
    }
}

impl Drop for WindowSlot {
    fn drop(&mut self) {
        let (lock, freed) = &WINDOWS;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
        freed.notify_one();
    }
}

fn free_port() -> Check<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

/// Where the app keeps per-workstation state (window size, column choices): its own
/// XDG folders, so tests never share or touch a developer's settings. Launch twice with
/// the same profile to test what survives a restart.
pub struct Profile {
    dir: tempfile::TempDir,
    /// More of the app's environment, as a test sets it ([`Profile::set_env`]).
    extra: Vec<(&'static str, std::ffi::OsString)>,
}

impl Profile {
    pub fn new() -> Self {
        Profile {
            dir: tempfile::tempdir().expect("create a profile folder"),
            extra: Vec::new(),
        }
    }

    /// Starts the app with `name` set to `value` in its environment.
    pub fn set_env(&mut self, name: &'static str, value: impl Into<std::ffi::OsString>) {
        self.extra.push((name, value.into()));
    }

    /// The app's config folder (`XDG_CONFIG_HOME`), where its workstation choices are kept.
    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// The app's data folder (`XDG_DATA_HOME`), where its log is kept too.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn env(&self) -> Vec<(&'static str, std::ffi::OsString)> {
        let root = self.dir.path();
        let mut env = vec![
            ("XDG_CONFIG_HOME", self.config_dir().into()),
            ("XDG_DATA_HOME", self.data_dir().into()),
            ("XDG_CACHE_HOME", root.join("cache").into()),
            // The window speaks the system's language; tests read English unless they
            // choose another (`set_env("LANGUAGE", …)`), whatever the machine's locale.
            ("LANGUAGE", "en".into()),
        ];
        env.extend(self.extra.iter().cloned());
        env
    }
}

impl Default for Profile {
    fn default() -> Self {
        Self::new()
    }
}

/// How the window looks: the OS colour scheme the app follows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

/// The running app in its window, with a WebDriver client to drive it.
pub struct App {
    pub client: Client,
    driver: Driver,
    display: VirtualDisplay,
    db_url: String,
    _slot: WindowSlot,
}

/// The password of the Owner the console tests sign in as.
pub const OWNER_PASSWORD: &str = "console tests owner passphrase";

/// Makes the first active user of the database an Owner with [`OWNER_PASSWORD`] (or
/// creates one in an empty database) and returns the username. Counts stay as seeded.
pub async fn prepare_owner(db_url: &str) -> Check<String> {
    use roster_core::{
        NewUser, SetPassword, Status, TwoFactorState, UserPatch, UserQuery, UserRef,
    };
    let database = roster_store::Database::open(db_url, roster_store::OpenMode::MustExist)
        .await
        .map_err(|e| e.to_string())?;
    let roster = roster_core::Roster::new(
        database.repository(),
        std::sync::Arc::new(roster_core::SystemClock),
    );
    let actor = crate::test_actor();
    let active = roster
        .list_users(
            &test_actor(),
            &UserQuery {
                statuses: vec![Status::Active],
                // One who signs in with a password alone: the bench's datasets give many
                // users a 2FA state without a key behind it.
                two_factor: vec![TwoFactorState::NotConfigured],
                sort: "created_at"
                    .parse()
                    .map_err(|e: roster_core::FieldError| e.message)?,
                limit: 1,
                ..UserQuery::default()
            },
        )
        .await
        .map_err(|e| e.to_string())?;
    let owner = match active.users.into_iter().next() {
        Some(user) if user.role == "owner" => user,
        Some(user) => roster
            .edit_user(
                &actor,
                &UserRef::Id(user.id),
                UserPatch {
                    role: Some("owner".into()),
                    ..UserPatch::default()
                },
                None,
            )
            .await
            .map_err(|e| e.to_string())?,
        None => roster
            .add_user(
                &actor,
                NewUser {
                    email: "owner@example.org".into(),
                    first_name: "Olive".into(),
                    last_name: "Owner".into(),
                    role: Some("owner".into()),
                    status: Some(Status::Active),
                    ..NewUser::default()
                },
            )
            .await
            .map_err(|e| e.to_string())?,
    };
    let choice = SetPassword {
        password: Some(OWNER_PASSWORD.into()),
        ..SetPassword::default()
    };
    roster
        .set_password(&actor, &UserRef::Id(owner.id), choice)
        .await
        .map_err(|e| e.to_string())?;
    Ok(owner.username)
}

/// The app under test: the one `cargo build` made, or an installed one named by `ROSTER_APP`
/// (the fresh-check drives the app the .deb installed).
pub fn app_binary() -> PathBuf {
    match std::env::var_os("ROSTER_APP") {
        Some(app) => PathBuf::from(app),
        None => built_binary("roster-desktop"),
    }
}

impl App {
    /// Starts the built app on the given database with a fresh profile, light theme, and
    /// signs in as an Owner (see [`prepare_owner`]).
    pub async fn launch(db_url: &str) -> Check<App> {
        App::launch_with(db_url, &Profile::new(), Theme::Light).await
    }

    /// Starts the built app on the given database and profile, signed in as an Owner.
    pub async fn launch_with(db_url: &str, profile: &Profile, theme: Theme) -> Check<App> {
        let owner = prepare_owner(db_url).await?;
        let app = App::launch_signed_out(db_url, profile, theme).await?;
        if let Err(e) = app.sign_in(&owner, OWNER_PASSWORD).await {
            app.screenshot("failure-sign-in").await.ok();
            app.close().await;
            return Err(e);
        }
        Ok(app)
    }

    /// On an empty database's first screen: fills in Olive Owner with `password` and submits.
    pub async fn submit_first_owner(&self, password: &str) -> Check {
        self.wait_for_element("[data-testid=create-owner]").await?;
        self.type_into("[data-testid=first_name]", "Olive").await?;
        self.type_into("[data-testid=last_name]", "Owner").await?;
        self.type_into("[data-testid=email]", "olive@example.org")
            .await?;
        self.type_into("[data-testid=owner_password]", password)
            .await?;
        self.click("[data-testid=create-owner]").await
    }

    /// Signs in on the sign-in screen and waits for the console.
    pub async fn sign_in(&self, login: &str, password: &str) -> Check {
        self.sign_in_to_step(login, password, "[data-testid=signed-in]")
            .await
    }

    /// Types username and password, submits, and waits for `next` (the console, the TOTP
    /// field, the activation screen…).
    pub async fn sign_in_to_step(&self, login: &str, password: &str, next: &str) -> Check {
        self.type_into("[data-testid=login]", login).await?;
        self.type_into("[data-testid=password]", password).await?;
        self.click("[data-testid=sign-in-submit]").await?;
        self.wait_for_element(next).await
    }

    /// Starts the built app on the given database and profile at its sign-in screen.
    pub async fn launch_signed_out(db_url: &str, profile: &Profile, theme: Theme) -> Check<App> {
        let slot = WindowSlot::acquire().await;
        let display = VirtualDisplay::start()?;
        let (port, native_port) = (free_port()?, free_port()?);
        let process = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("DISPLAY", &display.name)
            .envs(profile.env())
            .env("GTK_THEME", if theme == Theme::Dark { "Adwaita:dark" } else { "Adwaita" })
            // Xvfb has no GPU: WebKit's accelerated compositing then leaves layers (the
            // virtualised rows, fixed panels) unpainted in captures of the window.
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start tauri-driver ({e}); install it with `cargo install tauri-driver --locked`"))?;
        let driver = Driver { process };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("tauri-driver did not start listening within 20 s".into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let app = app_binary();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app, "args": ["--db", db_url] }),
        );
        let client = ClientBuilder::native()
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .map_err(|e| format!("cannot open a WebDriver session: {e}"))?;
        Ok(App {
            client,
            driver,
            display,
            db_url: db_url.to_owned(),
            _slot: slot,
        })
    }

    /// Ends the test: on failure saves a screenshot `failure-NAME`, always closes the app,
    /// then reports the failure.
    pub async fn finish(self, name: &str, result: Check) {
        if result.is_err() {
            self.screenshot(&format!("failure-{name}")).await.ok();
        }
        self.close().await;
        if let Err(message) = result {
            panic!("{name}: {message}");
        }
    }

    /// Ends the session and the app, whatever happened in the test.
    pub async fn close(self) {
        self.client.close().await.ok();
        drop(self.driver);
        // A session that broke may leave the app behind; its --db argument is unique.
        Command::new("pkill")
            .args([
                "-TERM",
                "-f",
                &format!("roster-desktop --db {}", self.db_url),
            ])
            .status()
            .ok();
    }

    /// Waits until `probe` returns `Some`, or fails after 10 s with the last thing seen.
    pub async fn wait_for<T, F, Fut>(&self, what: &str, mut probe: F) -> Check<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<Option<T>, String>>,
    {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut last = String::from("nothing");
        loop {
            match probe().await {
                Ok(Some(value)) => return Ok(value),
                Ok(None) => {}
                Err(seen) => last = seen,
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for {what}; last saw: {last}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The rendered text (`innerText`) of the first element matching `css`.
    ///
    /// Read through script because WebKitWebDriver's own "element text" answers "" for
    /// elements with `overflow: hidden` (ellipsised cells, the status bar) although they
    /// are plainly on screen.
    pub async fn text_of(&self, css: &str) -> Result<String, String> {
        let texts = self.texts(css).await?;
        texts
            .into_iter()
            .next()
            .ok_or_else(|| format!("no element matches {css}"))
    }

    /// The text of one column in every rendered row.
    pub async fn column(&self, column: &str) -> Result<Vec<String>, String> {
        self.texts(&format!("[data-testid=user-row] [data-col={column}]"))
            .await
    }

    /// Runs `script` in the window with `args` (its `arguments`) and reads what it returns.
    pub async fn script<T: serde::de::DeserializeOwned>(
        &self,
        script: &str,
        args: Vec<serde_json::Value>,
    ) -> Check<T> {
        let value = self
            .client
            .execute(script, args)
            .await
            .map_err(|e| e.to_string())?;
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    /// The rendered text of every element matching `css`.
    pub async fn texts(&self, css: &str) -> Result<Vec<String>, String> {
        self.script(
            "return [...document.querySelectorAll(arguments[0])].map(e => e.innerText.trim());",
            vec![serde_json::Value::String(css.to_owned())],
        )
        .await
        .map_err(|e| format!("{css}: {e}"))
    }

    /// Replaces the input's text the way a person does: backspace over what is there,
    /// then type. Keystrokes fire the input events the UI listens to.
    pub async fn type_into(&self, css: &str, text: &str) -> Check {
        const BACKSPACE: char = '\u{E003}';
        self.wait_for_element(css).await?;
        let input = self
            .client
            .find(Locator::Css(css))
            .await
            .map_err(|e| format!("{css}: {e}"))?;
        let current = input
            .prop("value")
            .await
            .map_err(|e| e.to_string())?
            .unwrap_or_default();
        let keys: String = std::iter::repeat_n(BACKSPACE, current.chars().count())
            .chain(text.chars())
            .collect();
        if keys.is_empty() {
            return Ok(());
        }
        input.send_keys(&keys).await.map_err(|e| e.to_string())
    }

    /// Clicks the first element matching `css` with a real WebDriver click. WebKitWebDriver
    /// refuses some visible elements as "not interactable" (see `text_of`); those get a
    /// DOM click instead, which runs the same handlers.
    pub async fn click(&self, css: &str) -> Check {
        self.wait_for_element(css).await?;
        let element = self
            .client
            .find(Locator::Css(css))
            .await
            .map_err(|e| format!("{css}: {e}"))?;
        if element.click().await.is_ok() {
            return Ok(());
        }
        self.client
            .execute(
                "const e = document.querySelector(arguments[0]); if (!e) throw new Error('gone'); e.click();",
                vec![serde_json::Value::String(css.to_owned())],
            )
            .await
            .map(|_| ())
            .map_err(|e| format!("click {css}: {e}"))
    }

    /// Waits until an element matching `css` exists and its text contains `text`.
    pub async fn wait_for_text(&self, css: &str, text: &str) -> Check<String> {
        self.wait_for(&format!("'{text}' in {css}"), || async {
            let texts = self.texts(css).await?;
            Ok(texts.into_iter().find(|t| t.contains(text)))
        })
        .await
    }

    /// What dragging the users list's scrollbar to the bottom does: scrolls the table's
    /// viewport to its end.
    pub async fn scroll_list_to_end(&self) -> Check {
        self.client
            .execute(
                "let e = document.querySelector('[data-testid=user-row]');\
                 while (e && e.scrollHeight <= e.clientHeight) e = e.parentElement;\
                 e.scrollTop = e.scrollHeight;",
                vec![],
            )
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Scrolls the first element `css` finds into view within its screen (for a screenshot
    /// of it); the window itself stays where it is.
    pub async fn scroll_into_view(&self, css: &str) -> Check {
        self.client
            .execute(
                "document.querySelector(arguments[0]).scrollIntoView({ block: 'start' });\
                 document.scrollingElement.scrollTop = 0;",
                vec![serde_json::Value::String(css.to_owned())],
            )
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Waits until the users count line says `text`, read without digit grouping: the
    /// locale decides between "100,000", "100.000", "100 000" and "100000".
    pub async fn wait_for_count(&self, text: &str) -> Check<String> {
        let ungrouped = |s: &str| {
            s.chars()
                .filter(|c| !matches!(c, ',' | '.' | '\u{a0}' | '\u{202f}' | '\''))
                .collect::<String>()
        };
        let want = ungrouped(text);
        self.wait_for(&format!("the count line to say '{text}'"), || async {
            let texts = self.texts("[data-testid=count]").await?;
            // "14 users" must not match "of 114 users".
            let says = |t: &str| {
                let t = ungrouped(t);
                t.match_indices(&want)
                    .any(|(at, _)| !t[..at].ends_with(|c: char| c.is_ascii_digit()))
            };
            Ok(texts.into_iter().find(|t| says(t)))
        })
        .await
    }

    /// Waits until an element matching `css` exists.
    pub async fn wait_for_element(&self, css: &str) -> Check {
        self.wait_for(css, || async {
            Ok((!self.texts(css).await?.is_empty()).then_some(()))
        })
        .await
    }

    /// Waits until no element matches `css`.
    pub async fn wait_for_absence(&self, css: &str) -> Check {
        self.wait_for(&format!("{css} to go away"), || async {
            Ok(self.texts(css).await?.is_empty().then_some(()))
        })
        .await
    }

    /// How many elements match `css`.
    pub async fn count(&self, css: &str) -> Check<usize> {
        Ok(self.texts(css).await?.len())
    }

    /// Chooses an option of a <select>. WebDriver cannot open WebKitGTK's native popup
    /// menu, so this sets the value the way the browser does when a person picks it (the
    /// prototype's setter, which React's change tracking sees) and fires `change`.
    pub async fn select(&self, css: &str, value: &str) -> Check {
        // A list's options may still be loading (the organization switcher's are).
        let option = format!("{css} option[value=\"{}\"]", value.replace('"', "\\\""));
        self.wait_for_element(&option).await?;
        self.client
            .execute(
                "const s = document.querySelector(arguments[0]);\
                 if (![...s.options].some(o => o.value === arguments[1])) throw new Error('no option ' + arguments[1]);\
                 Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(s, arguments[1]);\
                 s.dispatchEvent(new Event('change', {bubbles: true}));",
                vec![serde_json::Value::String(css.to_owned()), serde_json::Value::String(value.to_owned())],
            )
            .await
            .map(|_| ())
            .map_err(|e| format!("select {value} in {css}: {e}"))
    }

    /// Runs xdotool on this app's display: the keyboard as a person's, through the X server.
    fn xdotool(&self, args: &[&str]) -> Check<String> {
        let output = Command::new("timeout")
            .arg("20")
            .arg("xdotool")
            .args(args)
            .env("DISPLAY", &self.display.name)
            .output()
            .map_err(|e| {
                format!("cannot run xdotool ({e}); run `cargo xtask test`, which installs it")
            })?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
        } else {
            Err(format!(
                "xdotool {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            ))
        }
    }

    /// Presses each of `keys` (X key names: `Tab`, `Return`, `Escape`, `shift+Tab`) on the
    /// keyboard, into whatever has the focus.
    pub async fn press(&self, keys: &[&str]) -> Check {
        let mut args = vec!["key", "--clearmodifiers", "--delay", "40"];
        args.extend(keys);
        tokio::task::block_in_place(|| self.xdotool(&args)).map(drop)?;
        // Let the window act on the last key before anything looks at it.
        tokio::time::sleep(Duration::from_millis(150)).await;
        Ok(())
    }

    /// Types `text` on the keyboard into whatever has the focus.
    pub async fn type_keys(&self, text: &str) -> Check {
        tokio::task::block_in_place(|| self.xdotool(&["type", "--delay", "20", text])).map(drop)
    }

    /// Whether the element with the focus matches `css`.
    pub async fn focused(&self, css: &str) -> Check<bool> {
        self.script(
            "const e = document.activeElement; return !!e && e.matches(arguments[0]);",
            vec![serde_json::Value::String(css.to_owned())],
        )
        .await
        .map_err(|e| format!("{css}: {e}"))
    }

    /// Moves the focus forward with Tab, as a person does, until it is on what matches `css`
    /// (at most 80 presses), and checks that the focus shows there.
    pub async fn tab_to(&self, css: &str) -> Check {
        self.move_focus_to(css, "Tab").await
    }

    /// As [`App::tab_to`], backwards (Shift+Tab): how a person reaches a dialog's buttons
    /// below a long form.
    pub async fn tab_back_to(&self, css: &str) -> Check {
        self.move_focus_to(css, "shift+Tab").await
    }

    async fn move_focus_to(&self, css: &str, key: &str) -> Check {
        for _ in 0..80 {
            if self.focused(css).await? {
                return self.focus_is_visible(css).await;
            }
            self.press(&[key]).await?;
        }
        let at: serde_json::Value = self
            .script(
                "return document.activeElement?.outerHTML.slice(0, 200);",
                vec![],
            )
            .await?;
        Err(format!(
            "80 presses of {key} never reached {css}; the focus is on {at}"
        ))
    }

    /// Checks that the focused element (matching `css`) is drawn with a focus outline.
    async fn focus_is_visible(&self, css: &str) -> Check {
        let outline: String = self
            .script(
                "const s = getComputedStyle(document.activeElement); \
                 return s.outlineStyle === 'none' ? '' : s.outlineWidth;",
                vec![],
            )
            .await?;
        if outline.is_empty() || outline == "0px" {
            return Err(format!("{css} has the focus but shows no outline"));
        }
        Ok(())
    }

    /// Counts the pointer events the page receives from now on ([`App::pointer_events`]).
    pub async fn count_pointer_events(&self) -> Check {
        self.script(
            "window.rosterPointerEvents = 0; \
             for (const kind of ['pointerdown', 'mousedown', 'wheel', 'touchstart']) \
               window.addEventListener(kind, () => { window.rosterPointerEvents += 1; }, true);",
            vec![],
        )
        .await
    }

    /// How many pointer events the page received since [`App::count_pointer_events`].
    pub async fn pointer_events(&self) -> Check<u64> {
        let counted: Option<u64> = self
            .script("return window.rosterPointerEvents;", vec![])
            .await?;
        counted.ok_or_else(|| "pointer events are not being counted".into())
    }

    /// The X window whose `by` (`--class`, `--name`) matches `pattern`, once one shows.
    fn find_window(&self, by: &str, pattern: &str) -> Check<String> {
        let found = tokio::task::block_in_place(|| {
            self.xdotool(&["search", "--sync", "--onlyvisible", by, pattern])
        })?;
        Ok(found.lines().last().unwrap_or_default().to_owned())
    }

    /// Gives the app's window the keyboard focus (no window manager runs under Xvfb).
    pub async fn focus_window(&self) -> Check {
        let window = self.find_window("--class", "roster-desktop")?;
        tokio::task::block_in_place(|| self.xdotool(&["windowfocus", "--sync", &window])).map(drop)
    }

    /// Answers the OS file dialog titled `title` (GTK's, which the app opens from Rust) as a
    /// person at the keyboard does: focus it, type the file's full path in its location
    /// field, press Enter. WebDriver cannot reach a native dialog; xdotool drives the
    /// display itself.
    pub async fn answer_file_dialog(&self, title: &str, path: &std::path::Path) -> Check {
        let xdotool = |args: &[&str]| self.xdotool(args);
        let window = self
            .find_window("--name", &format!("^{title}$"))
            .map_err(|e| format!("no file dialog appeared: {e}"))?;
        // The dialog needs a moment to take keys after it maps.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let path = path.to_str().ok_or("the path is not UTF-8")?;
        tokio::task::block_in_place(|| {
            xdotool(&["windowfocus", "--sync", &window])?;
            // Open: Ctrl+L shows the location field. Save: the name field has focus and
            // its text is selected, so typing replaces it either way.
            xdotool(&["key", "--clearmodifiers", "ctrl+l"])?;
            xdotool(&["key", "--clearmodifiers", "ctrl+a"])?;
            xdotool(&["type", "--delay", "5", path])?;
            std::thread::sleep(Duration::from_millis(300));
            xdotool(&["key", "--clearmodifiers", "Return"])
        })?;
        Ok(())
    }

    /// Runs axe-core in the window (WCAG 2 A and AA rules) on what matches `css` and
    /// returns each violation as "rule: nodes", empty when there are none.
    pub async fn accessibility_violations(&self, css: &str) -> Check<Vec<String>> {
        let script = std::fs::read_to_string(
            crate::workspace_root().join("ui/node_modules/axe-core/axe.min.js"),
        )
        .map_err(|e| {
            format!("axe-core is not installed in ui/node_modules ({e}); run `cargo xtask test`")
        })?;
        self.client
            .execute(&script, Vec::new())
            .await
            .map_err(|e| format!("cannot load axe-core: {e}"))?;
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 axe.run(document.querySelector(arguments[0]), { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'] })\
                   .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')))\
                   .catch(e => done(['axe failed: ' + e]));",
                vec![serde_json::Value::String(css.to_owned())],
            )
            .await
            .map_err(|e| format!("axe-core: {e}"))?;
        serde_json::from_value(result).map_err(|e| e.to_string())
    }

    /// Saves a PNG of the window to target/e2e-screenshots/NAME.png, taken from the X
    /// display as a person sees it (WebDriver's own capture sometimes misses composited
    /// layers such as the virtualised rows and the details panel).
    pub async fn screenshot(&self, name: &str) -> Check<PathBuf> {
        let dir = target_dir().join("e2e-screenshots");
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let path = dir.join(format!("{name}.png"));
        // Let the last change reach the screen.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let captured = Command::new("import")
            .args(["-display", &self.display.name, "-window", "root"])
            .arg(&path)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !captured {
            let png = self.client.screenshot().await.map_err(|e| e.to_string())?;
            std::fs::write(&path, png).map_err(|e| e.to_string())?;
        }
        Ok(path)
    }
}

/// Something a test looks for in each part of the console [`walk_every_screen`] opens,
/// given the CSS of that part (`body`, the details panel, the open dialog).
pub trait Inspection {
    fn inspect(
        &self,
        app: &App,
        scope: &str,
    ) -> impl std::future::Future<Output = Check<Vec<String>>>;
}

/// Every screen an Owner has, in the sidebar's order.
pub const SCREENS: [&str; 12] = [
    "overview",
    "users",
    "groups",
    "organizations",
    "devices",
    "tokens",
    "audit",
    "roles",
    "outbox",
    "settings",
    "attributes",
    "account",
];

/// The dialogs each screen's buttons open: new records, the CSV wizards' first steps, an
/// encrypted backup's passphrase, Help. (Memberships' and devices' exports go straight to the
/// OS's save dialog.)
pub const DIALOGS: [(&str, &str); 11] = [
    ("users", "new-user"),
    ("users", "import-users"),
    ("users", "export-users"),
    ("groups", "new-group"),
    ("groups", "import-memberships"),
    ("organizations", "new-organization"),
    ("devices", "import-devices"),
    ("roles", "new-role"),
    ("settings", "encrypted-copy"),
    ("attributes", "new-attribute"),
    // The sidebar's Help: version, updates, diagnostics, licences.
    ("account", "about"),
];

/// Opens, signed in, every screen, the user details panel's tabs and every dialog, then signs
/// out and opens the sign-in screen, the Connect screen and a server's form, running
/// `inspection` on each; what it finds is labelled with where.
pub async fn walk_every_screen(app: &App, inspection: &impl Inspection) -> Check<Vec<String>> {
    let mut found = Vec::new();
    let mut look = async |scope: &str, place: String| -> Check {
        found.extend(
            inspection
                .inspect(app, scope)
                .await?
                .into_iter()
                .map(|f| format!("{place}: {f}")),
        );
        Ok(())
    };
    for screen in SCREENS {
        app.click(&format!("[data-testid=nav-{screen}]")).await?;
        app.wait_for_element("main h1").await?;
        // Let the screen's first load land before it is judged.
        tokio::time::sleep(Duration::from_millis(800)).await;
        look("body", screen.to_owned()).await?;
        if screen == "users" {
            app.click("[data-testid=user-row] [data-testid=row-menu]")
                .await?;
            app.click("[data-testid=action-open]").await?;
            for tab in ["info", "groups", "tokens", "devices", "activity"] {
                app.click(&format!("[data-testid=tab-{tab}]")).await?;
                tokio::time::sleep(Duration::from_millis(500)).await;
                look("[data-testid=user-details]", format!("user details, {tab}")).await?;
            }
            app.click("[data-testid=close-details]").await?;
            app.wait_for_absence("[data-testid=user-details]").await?;
        }
        for (_, button) in DIALOGS.iter().filter(|(on, _)| *on == screen) {
            app.click(&format!("[data-testid={button}]")).await?;
            app.wait_for_element("dialog[open] h2").await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
            look("dialog[open]", format!("{screen}, its {button} dialog")).await?;
            app.click("dialog[open] .dialog-header [data-testid=close-dialog]")
                .await?;
            app.wait_for_absence("dialog[open]").await?;
        }
    }
    for (button, shown) in [
        ("sign-out", "[data-testid=login]"),
        ("change-directory", "[data-testid=connect-screen]"),
        ("add-server", "[data-testid=connection-form]"),
    ] {
        app.click(&format!("[data-testid={button}]")).await?;
        app.wait_for_element(shown).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        look("body", format!("after {button}")).await?;
    }
    Ok(found)
}

/// axe-core's WCAG 2 A/AA and best-practice rules.
pub struct Axe;

impl Inspection for Axe {
    async fn inspect(&self, app: &App, scope: &str) -> Check<Vec<String>> {
        app.accessibility_violations(scope).await
    }
}

/// Controls whose words are cut off where the reader cannot see them, dialogs that must be
/// scrolled sideways to read, search boxes squeezed too narrow to type in: what longer words
/// (German) or a larger zoom break first.
pub struct Clipped;

const CLIPPED: &str = r##"
const scope = document.querySelector(arguments[0]);
const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
const found = [];
for (const el of scope.querySelectorAll("button, label, legend, th, [role=columnheader], [role=tab], .nav-item, h1, h2, h3")) {
  // Text for screen readers only is a pixel wide on purpose.
  if (!shown(el) || el.closest(".visually-hidden")) continue;
  if (getComputedStyle(el).overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1) {
    found.push(`clipped ${el.tagName.toLowerCase()} "${el.innerText.trim().slice(0, 60)}" (${el.scrollWidth} px in ${el.clientWidth})`);
  }
}
for (const body of scope.querySelectorAll(".dialog-body")) {
  if (shown(body) && body.scrollWidth > body.clientWidth + 1) {
    found.push(`a dialog scrolls sideways (${body.scrollWidth} px in ${body.clientWidth})`);
  }
}
for (const input of scope.querySelectorAll(".search input")) {
  if (shown(input) && input.clientWidth < 160) {
    found.push(`a search box squeezed to ${input.clientWidth} px`);
  }
}
return found;
"##;

impl Inspection for Clipped {
    async fn inspect(&self, app: &App, scope: &str) -> Check<Vec<String>> {
        app.script(CLIPPED, vec![scope.into()]).await
    }
}
