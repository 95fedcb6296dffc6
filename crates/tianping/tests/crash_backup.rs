//! Crash safety and backups: a SIGKILL in the middle of a large import leaves the database as it
//! was (SQLite and PostgreSQL), and the import can then run to completion; backups taken while
//! the database is in use restore to the same answers.

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin;

fn tianping(db: &str) -> Command {
    let mut cmd = Command::cargo_bin("tianping").unwrap();
    cmd.env_remove("TIANPING_HOLIDAYS").env("TIANPING_DB", db);
    cmd
}

/// The answers a user would see: every indicator by court and every pending deadline.
fn answers(db: &str) -> (String, String) {
    let indicators = tianping(db)
        .args([
            "indicators",
            "--from",
            "2022-01-01",
            "--to",
            "2025-12-31",
            "--by",
            "court",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        indicators.status.success(),
        "{}",
        String::from_utf8_lossy(&indicators.stderr)
    );
    let deadlines = tianping(db)
        .args([
            "deadlines",
            "--as-of",
            "2024-06-30",
            "--status",
            "all",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(deadlines.status.success());
    (
        String::from_utf8(indicators.stdout).unwrap(),
        String::from_utf8(deadlines.stdout).unwrap(),
    )
}

fn synth(dir: &Path, name: &str, seed: &str, cases: &str) -> PathBuf {
    let out = dir.join(name);
    tianping("unused.db")
        .args(["synth", "--seed", seed, "--cases", cases, "--out"])
        .arg(&out)
        .assert()
        .success();
    out
}

/// Start an import of `files` and SIGKILL it once `writing()` says the write has begun.
fn kill_during_import(db: &str, files: &[PathBuf], writing: impl Fn() -> bool) -> bool {
    let mut child = Process::new(cargo_bin("tianping"))
        .env_remove("TIANPING_HOLIDAYS")
        .env("TIANPING_DB", db)
        .arg("import")
        .args(files)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut killed_while_writing = false;
    while started.elapsed() < Duration::from_secs(120) {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if writing() {
            killed_while_writing = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap_or(()); // SIGKILL on Unix
    child.wait().unwrap();
    killed_while_writing
}

/// A database (`t.db` in `dir`) holding a first import of 3,000 cases, a synthetic province of
/// `cases` cases (seed `seed`) to import next, and the database's answers before that import.
fn first_import_and_a_big_one(
    dir: &Path,
    seed: &str,
    cases: &str,
) -> (PathBuf, String, PathBuf, (String, String)) {
    let db_path = dir.join("t.db");
    let db = db_path.to_str().unwrap().to_owned();
    let first = synth(dir, "first", "1", "3000");
    let big = synth(dir, "big", seed, cases);
    tianping(&db)
        .arg("import")
        .args(["courts.csv", "cases.csv"].map(|f| first.join(f)))
        .assert()
        .success();
    let before = answers(&db);
    (db_path, db, big, before)
}

#[test]
fn a_sqlite_import_killed_midway_leaves_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (_, db, big, before) = first_import_and_a_big_one(dir.path(), "2", "150000");

    let wal = PathBuf::from(format!("{db}-wal"));
    let journal = PathBuf::from(format!("{db}-journal"));
    let files = ["courts.csv", "cases.csv", "events.csv"]
        .map(|f| big.join(f))
        .to_vec();
    // The write has begun when the write-ahead log grows past a few pages, or, for a large
    // import that skips the log (docs/import.md), when the rollback journal exists: from the
    // first page written to the commit.
    let killed = kill_during_import(&db, &files, || {
        std::fs::metadata(&wal).is_ok_and(|m| m.len() > 1 << 20) || journal.exists()
    });
    assert!(
        killed,
        "the import finished before it could be killed; use a larger file"
    );

    // Read the database itself, not the snapshot cached before the import.
    std::fs::remove_file(format!("{db}.snapshot")).unwrap();
    assert_eq!(
        answers(&db),
        before,
        "the database holds exactly what it held before"
    );
    tianping(&db).arg("import").args(&files).assert().success();
    let after = answers(&db);
    assert_ne!(after, before);
    assert!(after.0.contains("\"filed\""));
}

#[test]
fn a_large_import_killed_after_its_pages_reached_the_file_leaves_the_database_as_it_was() {
    // 300,000 cases are more than the 64 MiB page cache holds: SQLite writes pages into the
    // database file before the commit (and the import's flusher puts them on disk), so the
    // kill below comes when the file itself already holds rows of the import, and only the
    // rollback journal can bring back what was there.
    let dir = tempfile::tempdir().unwrap();
    let (db_path, db, big, before) = first_import_and_a_big_one(dir.path(), "3", "300000");
    let size_before = std::fs::metadata(&db_path).unwrap().len();

    let journal = PathBuf::from(format!("{db}-journal"));
    let files = ["courts.csv", "cases.csv"].map(|f| big.join(f)).to_vec();
    let killed = kill_during_import(&db, &files, || {
        journal.exists()
            && std::fs::metadata(&db_path).is_ok_and(|m| m.len() > size_before + (16 << 20))
    });
    assert!(
        killed,
        "the import finished before its pages reached the file; use a larger file"
    );
    assert!(journal.exists(), "a hot journal is left behind");

    std::fs::remove_file(format!("{db}.snapshot")).unwrap();
    assert_eq!(
        answers(&db),
        before,
        "the database holds exactly what it held before"
    );
    assert!(
        !journal.exists(),
        "the journal was rolled back when the database was opened"
    );
}

#[test]
fn a_postgres_import_killed_midway_leaves_the_database_as_it_was() {
    let base = std::env::var("TIANPING_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let schema = format!("crash_{}", std::process::id());
    let psql = |sql: &str| {
        Process::new("psql")
            .arg(&base)
            .args(["-qAtc", sql])
            .output()
    };
    match psql(&format!("CREATE SCHEMA {schema}")) {
        Ok(out) if out.status.success() => {}
        _ if std::env::var_os("CI").is_some() => panic!("PostgreSQL is not reachable at {base}"),
        _ => {
            eprintln!("skipped: no PostgreSQL");
            return;
        }
    }
    let db = format!("{base}?options=-csearch_path%3D{schema}");
    let dir = tempfile::tempdir().unwrap();
    let first = synth(dir.path(), "first", "1", "3000");
    let big = synth(dir.path(), "big", "2", "150000");
    let result = std::panic::catch_unwind(|| {
        tianping(&db)
            .arg("import")
            .args(["courts.csv", "cases.csv"].map(|f| first.join(f)))
            .assert()
            .success();
        let before = answers(&db);
        let files = ["courts.csv", "cases.csv", "events.csv"]
            .map(|f| big.join(f))
            .to_vec();
        // The write has begun when the server runs the import's INSERT for this schema's tables.
        let probe = "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'INSERT INTO cases%'";
        let killed = kill_during_import(&db, &files, || {
            psql(probe).is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() != "0")
        });
        assert!(killed, "the import finished before it could be killed");
        // The server notices the dead client and rolls its transaction back.
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(answers(&db), before);
        tianping(&db).arg("import").args(&files).assert().success();
        assert_ne!(answers(&db), before);
    });
    let _ = psql(&format!("DROP SCHEMA {schema} CASCADE"));
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn a_backup_taken_in_use_restores_to_the_same_answers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db").to_str().unwrap().to_owned();
    let first = synth(dir.path(), "first", "3", "3000");
    let more = synth(dir.path(), "more", "4", "3000");
    tianping(&db)
        .arg("import")
        .args(["courts.csv", "cases.csv", "events.csv"].map(|f| first.join(f)))
        .assert()
        .success();
    let before = answers(&db);
    let backup = dir.path().join("backup.db");
    tianping(&db)
        .arg("backup")
        .arg("-o")
        .arg(&backup)
        .assert()
        .success();
    // A second backup to the same file is refused rather than overwritten.
    tianping(&db)
        .arg("backup")
        .arg("-o")
        .arg(&backup)
        .assert()
        .code(2);

    tianping(&db)
        .arg("import")
        .args(["courts.csv", "cases.csv"].map(|f| more.join(f)))
        .assert()
        .success();
    assert_ne!(answers(&db), before);
    tianping(&db).arg("restore").arg(&backup).assert().success();
    assert_eq!(answers(&db), before);

    let not_a_db = dir.path().join("notes.txt");
    std::fs::write(&not_a_db, "hello").unwrap();
    tianping(&db).arg("restore").arg(&not_a_db).assert().code(2);
    assert_eq!(answers(&db), before, "a failed restore changes nothing");
}

/// Issue 14: the server SIGKILLed while a web upload is being written leaves the database as it
/// was. (The import runs in one transaction through the write-ahead log, since the server holds
/// the database open.)
#[test]
fn a_server_killed_during_a_web_upload_leaves_the_database_as_it_was() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::{SocketAddr, TcpStream};

    let dir = tempfile::tempdir().unwrap();
    let (_, db, big, before) = first_import_and_a_big_one(dir.path(), "3", "150000");
    let mut add = Process::new(cargo_bin("tianping"))
        .env("TIANPING_DB", &db)
        .args(["user", "add", "--username", "admin", "--role", "admin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(b"upload-crash-test\n")
        .unwrap();
    assert!(add.wait().unwrap().success());
    // The user was added after the answers were read; they are not part of them.

    let mut server = Process::new(cargo_bin("tianping"))
        .env_remove("TIANPING_HOLIDAYS")
        .args(["serve", "--bind", "127.0.0.1:0", "--db", &db])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let line = BufReader::new(server.stdout.take().unwrap())
        .lines()
        .find_map(|l| l.ok().filter(|l| l.contains("http://")))
        .expect("the server prints its address");
    let addr: SocketAddr = line.split("http://").nth(1).unwrap()[..]
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // One request on its own connection: (head, body).
    let request = move |head: String, body: &[u8]| -> (String, String) {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        (head.to_owned(), body.to_owned())
    };
    let login = br#"{"username":"admin","password":"upload-crash-test"}"#;
    let (head, _) = request(
        format!(
            "POST /api/v1/login HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            login.len()
        ),
        login,
    );
    let cookie = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or(l.strip_prefix("Set-Cookie: "))
        })
        .expect("signed in")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let (_, page) = request(
        format!(
            "GET /import HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nCookie: {cookie}\r\n\r\n"
        ),
        b"",
    );
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .expect("the upload form carries its token")
        .split('"')
        .next()
        .unwrap()
        .to_owned();

    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
             --XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"cases.csv\"\r\n\
             Content-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(&std::fs::read(big.join("cases.csv")).unwrap());
    body.extend_from_slice(b"\r\n--XyZ--\r\n");
    let head = format!(
        "POST /import HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nCookie: {cookie}\r\n\
         Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let upload = std::thread::spawn(move || request(head, &body));

    let wal = PathBuf::from(format!("{db}-wal"));
    let started = Instant::now();
    let mut killed_while_writing = false;
    while started.elapsed() < Duration::from_secs(120) {
        if upload.is_finished() {
            break;
        }
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 4 << 20) {
            killed_while_writing = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    server.kill().unwrap_or(());
    server.wait().unwrap();
    let _ = upload.join();
    assert!(
        killed_while_writing,
        "the upload finished before the server could be killed; use a larger file"
    );

    std::fs::remove_file(format!("{db}.snapshot")).ok();
    assert_eq!(
        answers(&db),
        before,
        "the database holds exactly what it held before the upload"
    );
}
