//! A database server as a person describes it on the Connect screen, the URL that says the
//! same to the driver, and what a failed connection means in words.

use crate::OpenError;
use serde::{Deserialize, Serialize};

/// Which kind of server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ServerKind {
    Postgres,
    /// MySQL or MariaDB.
    Mysql,
}

impl ServerKind {
    pub fn default_port(self) -> u16 {
        match self {
            ServerKind::Postgres => 5432,
            ServerKind::Mysql => 3306,
        }
    }
}

/// How the connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum TlsMode {
    /// Plain TCP: only on a network nobody else can listen to.
    Disable,
    /// TLS if the server offers it, else plain (what psql and the MySQL client do).
    Prefer,
    /// TLS always, without checking whose certificate it is.
    Require,
    /// TLS always, with a certificate signed by a trusted CA (the CA file, or the
    /// workstation's own trusted CAs) and naming the host.
    VerifyFull,
}

/// A database server, as filled in on the Connect screen. The password is not part of it:
/// it lives in the OS keyring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServerAddress {
    pub kind: ServerKind,
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    pub tls: TlsMode,
    /// With [`TlsMode::VerifyFull`]: the PEM file of the CA that signed the server's
    /// certificate; none trusts the CAs the workstation trusts.
    pub ca_file: Option<String>,
}

impl ServerAddress {
    /// `user@host:port/database`: the server's name in titles, lists and the keyring.
    pub fn location(&self) -> String {
        let scheme = match self.kind {
            ServerKind::Postgres => "postgres",
            ServerKind::Mysql => "mysql",
        };
        format!(
            "{scheme}://{}@{}:{}/{}",
            self.user.trim(),
            bracketed(self.host.trim()),
            self.port,
            self.database.trim()
        )
    }

    /// The URL `Database::open` takes, every part percent-encoded. Refuses an address a
    /// connection could not be made from, naming the field.
    pub fn url(&self, password: Option<&str>) -> Result<String, OpenError> {
        let invalid = |field: &'static str, message: &str| OpenError::Invalid {
            field,
            message: message.to_owned(),
        };
        let host = self.host.trim();
        if host.is_empty() {
            return Err(invalid(
                "host",
                "enter the server's name or IP address, e.g. db.office.lan",
            ));
        }
        if host.contains(|c: char| c.is_whitespace() || "/?#@".contains(c)) {
            return Err(invalid(
                "host",
                "a host name has no spaces or / ? # @; enter only the server's name or address",
            ));
        }
        if self.port == 0 {
            return Err(invalid("port", "enter the port the server listens on"));
        }
        let database = self.database.trim();
        if database.is_empty() {
            return Err(invalid("database", "enter the name of the database"));
        }
        if database.contains(['/', '?', '#']) {
            return Err(invalid(
                "database",
                "a database name here cannot contain / ? or #",
            ));
        }
        let user = self.user.trim();
        if user.is_empty() {
            return Err(invalid(
                "user",
                "enter the database user Roster signs in as",
            ));
        }
        let ca_file = self
            .ca_file
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty());
        if let Some(file) = ca_file {
            if self.tls != TlsMode::VerifyFull {
                return Err(invalid(
                    "ca_file",
                    "a CA file is only used with the TLS mode \"verify-full\"; choose it or clear the file",
                ));
            }
            if !std::path::Path::new(file).is_file() {
                return Err(invalid(
                    "ca_file",
                    &format!("there is no file at {file}; choose the CA certificate (PEM) again"),
                ));
            }
        }

        let scheme = match self.kind {
            ServerKind::Postgres => "postgres",
            ServerKind::Mysql => "mysql",
        };
        let mut url = url::Url::parse(&format!("{scheme}://{}", bracketed(host)))
            .map_err(|e| invalid("host", &format!("{host} is not a host name ({e})")))?;
        let unusable = |field: &'static str| invalid(field, "this value cannot be used in a URL");
        url.set_port(Some(self.port))
            .map_err(|()| unusable("port"))?;
        url.set_username(user).map_err(|()| unusable("user"))?;
        if let Some(password) = password.filter(|p| !p.is_empty()) {
            url.set_password(Some(password))
                .map_err(|()| unusable("password"))?;
        }
        url.set_path(database);
        {
            let mut query = url.query_pairs_mut();
            match self.kind {
                ServerKind::Postgres => {
                    let mode = match self.tls {
                        TlsMode::Disable => "disable",
                        TlsMode::Prefer => "prefer",
                        TlsMode::Require => "require",
                        TlsMode::VerifyFull => "verify-full",
                    };
                    query.append_pair("sslmode", mode);
                    if let Some(file) = ca_file {
                        query.append_pair("sslrootcert", file);
                    }
                }
                ServerKind::Mysql => {
                    let mode = match self.tls {
                        TlsMode::Disable => "DISABLED",
                        TlsMode::Prefer => "PREFERRED",
                        TlsMode::Require => "REQUIRED",
                        TlsMode::VerifyFull => "VERIFY_IDENTITY",
                    };
                    query.append_pair("ssl-mode", mode);
                    if let Some(file) = ca_file {
                        query.append_pair("ssl-ca", file);
                    }
                }
            }
        }
        Ok(url.into())
    }
}

/// An IPv6 address in a URL's authority needs brackets.
fn bracketed(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_owned()
    }
}

/// What the server's refusal of a connection meant, read by its error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Wrong user name or password, or the server does not let this user in from here.
    Authentication,
    NoDatabase,
    /// The user may not use this database.
    Permission,
    TooManyConnections,
}

/// Where a connection was going, for the sentences below.
pub(crate) struct Target<'a> {
    pub host: &'a str,
    pub port: u16,
    pub user: &'a str,
    pub database: &'a str,
}

impl Target<'_> {
    /// `scheme://user@host:port/database`, without the password: for titles and messages.
    pub fn location(&self, scheme: &str) -> String {
        format!(
            "{scheme}://{}@{}:{}/{}",
            self.user, self.host, self.port, self.database
        )
    }
}

/// A failed connection in words a person can act on; the driver's own text follows in
/// brackets for whoever helps them.
pub(crate) fn explain(error: &sqlx::Error, refused: Option<Refused>, to: &Target) -> String {
    let (host, port, user, database) = (to.host, to.port, to.user, to.database);
    let reason = match (error, refused) {
        (_, Some(Refused::Authentication)) => format!(
            "the server refused user {user}: the user name or password is wrong, or the \
             server does not let {user} in from this computer"
        ),
        (_, Some(Refused::NoDatabase)) => format!(
            "there is no database named {database} on {host}: check the name, or have it \
             created (for example CREATE DATABASE {database})"
        ),
        (_, Some(Refused::Permission)) => {
            format!("user {user} may not use the database {database}: ask for access to it")
        }
        (_, Some(Refused::TooManyConnections)) => format!(
            "{host} has no connections left: too many programs are connected; try again \
             shortly or ask for a higher limit"
        ),
        (sqlx::Error::Io(e), None) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            format!(
                "{host} refused the connection on port {port}: the database server is not \
                 running there, or it listens on another port"
            )
        }
        (sqlx::Error::Io(e), None) if e.kind() == std::io::ErrorKind::TimedOut => format!(
            "no answer from {host} on port {port}: the server is off, or a firewall is in \
             the way"
        ),
        (sqlx::Error::Io(e), None) if looks_like_unknown_host(e) => format!(
            "no computer named {host} was found: check the host name, or use its IP address"
        ),
        (sqlx::Error::PoolTimedOut, None) => format!(
            "no answer from {host} on port {port} within {} seconds: the server is off, \
             busy, or a firewall is in the way",
            crate::CONNECT_TIMEOUT.as_secs()
        ),
        (sqlx::Error::Tls(_), None) => format!(
            "the secure (TLS) connection to {host} failed: with verify-full the server's \
             certificate must be signed by the CA file (or a CA this computer trusts) and \
             name {host}; with require the server must offer TLS"
        ),
        (_, None) => return format!("cannot connect to {host}:{port}: {error}"),
    };
    format!("{reason} ({error})")
}

/// Name resolution failures carry no portable error kind; their text does say so.
fn looks_like_unknown_host(error: &std::io::Error) -> bool {
    let text = error.to_string().to_ascii_lowercase();
    [
        "failed to lookup address",
        "name or service not known",
        "no such host",
        "nodename nor servname",
        "temporary failure in name resolution",
    ]
    .iter()
    .any(|phrase| text.contains(phrase))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office() -> ServerAddress {
        ServerAddress {
            kind: ServerKind::Postgres,
            host: "db.office.lan".into(),
            port: 5432,
            database: "roster".into(),
            user: "admin".into(),
            tls: TlsMode::Prefer,
            ca_file: None,
        }
    }

    #[test]
    fn every_part_of_the_url_is_encoded() {
        let url = office().url(Some("p@ss:w/rd ü")).unwrap();
        assert_eq!(
            url,
            "postgres://admin:p%40ss%3Aw%2Frd%20%C3%BC@db.office.lan:5432/roster?sslmode=prefer"
        );
        let options: sqlx::postgres::PgConnectOptions = url.parse().unwrap();
        assert_eq!(options.get_host(), "db.office.lan");
        assert_eq!(options.get_username(), "admin");
    }

    #[test]
    fn tls_modes_are_spelled_for_each_server() {
        let ca = tempfile::NamedTempFile::new().unwrap();
        let ca_path = ca.path().to_str().unwrap().to_owned();
        let verified = ServerAddress {
            tls: TlsMode::VerifyFull,
            ca_file: Some(ca_path.clone()),
            ..office()
        };
        let url = verified.url(None).unwrap();
        assert!(url.contains("sslmode=verify-full"), "{url}");
        assert!(url.contains("sslrootcert="), "{url}");
        let maria = ServerAddress {
            kind: ServerKind::Mysql,
            port: 3306,
            ..verified
        };
        let url = maria.url(None).unwrap();
        assert!(
            url.starts_with("mysql://admin@db.office.lan:3306/roster?"),
            "{url}"
        );
        assert!(url.contains("ssl-mode=VERIFY_IDENTITY"), "{url}");
        let options: sqlx::mysql::MySqlConnectOptions = url.parse().unwrap();
        assert_eq!(options.get_database(), Some("roster"));
    }

    #[test]
    fn ipv6_hosts_are_bracketed() {
        let address = ServerAddress {
            host: "::1".into(),
            ..office()
        };
        assert!(
            address
                .url(None)
                .unwrap()
                .starts_with("postgres://admin@[::1]:5432/")
        );
        assert_eq!(address.location(), "postgres://admin@[::1]:5432/roster");
    }

    #[test]
    fn an_unusable_address_names_the_field() {
        let field_of = |address: ServerAddress| match address.url(None) {
            Err(OpenError::Invalid { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        };
        assert_eq!(
            field_of(ServerAddress {
                host: " ".into(),
                ..office()
            }),
            "host"
        );
        assert_eq!(
            field_of(ServerAddress {
                host: "db lan".into(),
                ..office()
            }),
            "host"
        );
        assert_eq!(
            field_of(ServerAddress {
                port: 0,
                ..office()
            }),
            "port"
        );
        assert_eq!(
            field_of(ServerAddress {
                database: "".into(),
                ..office()
            }),
            "database"
        );
        assert_eq!(
            field_of(ServerAddress {
                database: "a/b".into(),
                ..office()
            }),
            "database"
        );
        assert_eq!(
            field_of(ServerAddress {
                user: "".into(),
                ..office()
            }),
            "user"
        );
        let missing_ca = ServerAddress {
            tls: TlsMode::VerifyFull,
            ca_file: Some("/nonexistent/ca.pem".into()),
            ..office()
        };
        assert_eq!(field_of(missing_ca), "ca_file");
        let ca_without_verify = ServerAddress {
            ca_file: Some("/etc/hostname".into()),
            ..office()
        };
        assert_eq!(field_of(ca_without_verify), "ca_file");
    }
}
