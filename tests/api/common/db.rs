//! One database per test, copied from a migrated template, so tests run in
//! parallel without sharing rows. The template is built once per schema
//! (its name carries a hash of `migrations/`), under an advisory lock so
//! parallel test processes do not race; a test's database is dropped when
//! the test ends, pass or fail (set PEERLOG_KEEP_TEST_DBS=1 to keep them).

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use std::path::Path;
use tokio::sync::OnceCell;

/// The server URL the suite was given (`DATABASE_URL`).
pub fn admin_url() -> String {
    std::env::var("DATABASE_URL").expect(
        "DATABASE_URL must name a PostgreSQL server the tests may create databases on \
         (scripts/test sets it up)",
    )
}

/// The same server, another database.
pub fn url_for(db: &str) -> String {
    let base = admin_url();
    let (base, query) = match base.split_once('?') {
        Some((b, q)) => (b.to_string(), format!("?{q}")),
        None => (base, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..].find('/').map(|i| i + scheme_end);
    let server = match path_start {
        Some(i) => &base[..i],
        None => &base[..],
    };
    format!("{server}/{db}{query}")
}

fn migrations_hash() -> String {
    // FNV-1a over every migration file's name and content.
    let mut hash: u64 = 0xcbf29ce484222325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x100000001b3);
        }
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            feed(f.strip_prefix(&root).unwrap().to_string_lossy().as_bytes());
            feed(&std::fs::read(&f).unwrap());
        }
    }
    format!("{hash:016x}")
}

async fn admin_conn() -> AsyncPgConnection {
    AsyncPgConnection::establish(&admin_url())
        .await
        .expect("cannot connect to DATABASE_URL")
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();

async fn template() -> String {
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("peerlog_tpl_{}", migrations_hash());
            let mut conn = admin_conn().await;
            diesel::sql_query("SELECT pg_advisory_lock(7277001)")
                .execute(&mut conn)
                .await
                .unwrap();
            let exists = diesel::sql_query(format!(
                "SELECT 1 FROM pg_database WHERE datname = '{name}'"
            ))
            .execute(&mut conn)
            .await
            .unwrap()
                > 0;
            if !exists {
                let building = format!("{name}_building");
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await
                    .unwrap();
                diesel::sql_query(format!("CREATE DATABASE {building}"))
                    .execute(&mut conn)
                    .await
                    .unwrap();
                peerlog::db::run_migrations(&url_for(&building))
                    .await
                    .expect("migrations apply to a fresh database");
                diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {name}"))
                    .execute(&mut conn)
                    .await
                    .unwrap();
            }
            diesel::sql_query("SELECT pg_advisory_unlock(7277001)")
                .execute(&mut conn)
                .await
                .unwrap();
            name
        })
        .await
        .clone()
}

/// A database of the test's own; dropped with the value.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    pub async fn create() -> TestDb {
        let template = template().await;
        let name = format!("peerlog_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = admin_conn().await;
        // Concurrent copies of one template can collide briefly; retry.
        let mut attempt = 0;
        loop {
            match diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
                .execute(&mut conn)
                .await
            {
                Ok(_) => break,
                Err(_) if attempt < 20 => {
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(50 * attempt)).await;
                }
                Err(e) => panic!("cannot create test database: {e}"),
            }
        }
        TestDb {
            url: url_for(&name),
            name,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if std::env::var("PEERLOG_KEEP_TEST_DBS").is_ok_and(|v| v == "1") {
            return;
        }
        let name = self.name.clone();
        // Drop on a thread of its own: the test's runtime may be ending.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(mut conn) = AsyncPgConnection::establish(&admin_url()).await {
                    let _ =
                        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&mut conn)
                            .await;
                }
            });
        })
        .join();
    }
}
