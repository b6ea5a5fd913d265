//! A database server that goes away mid-session: through a loopback TCP proxy the test cuts
//! and restores, the client reports the loss in words, reconnects on the next call without
//! a restart, and no write is ever half-done, doubled or lost without a word.

use roster_core::{ChangeWatch, Error, FixedClock, NewUser, Roster};
use roster_tests::{Server, TempDatabase, test_actor, user_count};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// Forwards connections to the server until cut. While down, new connections are closed
/// as soon as they arrive, as a server that is restarting does.
struct Proxy {
    address: SocketAddr,
    up: Arc<AtomicBool>,
    /// Bumped to end every connection open at that moment.
    cuts: watch::Sender<u64>,
}

impl Proxy {
    async fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let up = Arc::new(AtomicBool::new(true));
        let (cuts, _) = watch::channel(0u64);
        let (accepting, cut_signal) = (up.clone(), cuts.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    return;
                };
                if !accepting.load(Ordering::SeqCst) {
                    continue;
                }
                let mut cut = cut_signal.subscribe();
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cut.changed() => {}
                    }
                });
            }
        });
        Proxy { address, up, cuts }
    }

    /// Ends every open connection and refuses new ones until [`Proxy::restore`].
    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.cuts.send_modify(|n| *n += 1);
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

/// `url` with its host and port replaced by the proxy's.
fn through(url: &str, proxy: SocketAddr) -> (String, String) {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (authority, path) = rest.split_once('/').unwrap();
    let (user, host) = authority.rsplit_once('@').unwrap();
    (format!("{scheme}://{user}@{proxy}/{path}"), host.to_owned())
}

fn person(n: usize) -> NewUser {
    NewUser {
        email: format!("person{n}@example.org"),
        first_name: "Person".into(),
        last_name: format!("Number {n}"),
        ..NewUser::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_connection_is_reported_and_resumed_with_nothing_doubled_or_half_done() {
    for server in [Server::Postgres, Server::MySql] {
        let Some(db) = TempDatabase::on_server(server) else {
            continue;
        };
        let name = server.backend();
        let (direct, _) = db.roster().await;
        let (_, upstream) = through(&db.url, "127.0.0.1:1".parse().unwrap());
        let proxy = Proxy::start(upstream).await;
        let (url, _) = through(&db.url, proxy.address);
        let database = roster_store::Database::open(&url, roster_store::OpenMode::MustExist)
            .await
            .unwrap();
        let clock = Arc::new(FixedClock::new("2026-01-01T09:00:00Z".parse().unwrap()));
        let roster = Roster::new(database.repository(), clock);
        let actor = test_actor();

        roster.add_user(&actor, person(0)).await.unwrap();
        let mut watch = ChangeWatch::default();
        roster.poll_changes(&mut watch).await.unwrap();

        // The server goes away: a save and the watch both say so, in words.
        proxy.cut();
        let refused = roster.add_user(&actor, person(1)).await.unwrap_err();
        let Error::Storage(message) = &refused else {
            panic!("{name}: {refused:?}");
        };
        assert!(
            message.contains("the connection to the database was lost"),
            "{name}: {message}"
        );
        roster.poll_changes(&mut watch).await.unwrap_err();
        assert_eq!(
            user_count(&direct).await,
            1,
            "{name}: nothing was saved meanwhile"
        );

        // It is back: the same services carry on, and the save is made once, by the person.
        proxy.restore();
        roster.add_user(&actor, person(1)).await.unwrap();
        assert!(
            roster.poll_changes(&mut watch).await.unwrap(),
            "{name}: the watch resumes and sees the change"
        );
        assert_eq!(user_count(&direct).await, 2, "{name}");

        // Cut in the middle of writing 300 users in one transaction, at different moments
        // (the last one after it finished): all of them land or none do, never some, never
        // twice.
        let mut expected = 2;
        for (round, pause_ms) in [2u64, 25, 150, 5_000].into_iter().enumerate() {
            let batch: Vec<NewUser> = (0..300).map(|i| person(1_000 * (round + 1) + i)).collect();
            let writer = {
                let (roster, actor) = (roster.clone(), actor.clone());
                tokio::spawn(async move { roster.add_users(&actor, batch).await })
            };
            tokio::time::sleep(Duration::from_millis(pause_ms)).await;
            proxy.cut();
            let outcome = writer.await.unwrap();
            proxy.restore();
            let now = user_count(&direct).await;
            match outcome {
                Ok(created) => {
                    assert_eq!(created.len(), 300, "{name}: round {round}");
                    assert_eq!(now, expected + 300, "{name}: round {round}: saved once");
                }
                Err(Error::Storage(message)) => {
                    assert!(
                        now == expected || now == expected + 300,
                        "{name}: round {round}: all or nothing, found {now} after {expected}"
                    );
                    assert!(message.contains("may not have been saved"), "{message}");
                }
                Err(other) => panic!("{name}: round {round}: {other:?}"),
            }
            expected = now;
        }
        assert_eq!(
            user_count(&roster).await,
            expected,
            "{name}: the client agrees"
        );
    }
}
