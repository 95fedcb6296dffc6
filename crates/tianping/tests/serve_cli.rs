//! `tianping serve` and `tianping user add` run as an administrator runs them: the real binary on
//! port 0, spoken to over TCP; the API's bodies are byte for byte what the CLI prints.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};

use assert_cmd::Command;
use serde_json::Value;

fn tianping(db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("tianping").unwrap();
    cmd.env_remove("TIANPING_HOLIDAYS").env("TIANPING_DB", db);
    cmd
}

/// The server, stopped when the test ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(db: &Path) -> (Server, SocketAddr) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tianping"))
        .env_remove("TIANPING_HOLIDAYS")
        .args(["serve", "--bind", "127.0.0.1:0", "--db"])
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    let line = lines
        .find_map(|l| l.ok().filter(|l| l.contains("http://")))
        .expect("the server prints its address");
    let addr = line
        .split("http://")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    (server, addr)
}

/// Percent-encode the non-ASCII characters of a path.
fn uri(path: &str) -> String {
    path.chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                let mut buf = [0u8; 4];
                c.encode_utf8(&mut buf)
                    .bytes()
                    .map(|b| format!("%{b:02X}"))
                    .collect()
            }
        })
        .collect()
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on its own connection.
fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    json: Option<&Value>,
) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    let body = json.map(|v| v.to_string()).unwrap_or_default();
    let mut request = format!(
        "{method} {} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        uri(path),
        body.len()
    );
    if json.is_some() {
        request.push_str("Content-Type: application/json\r\n");
    }
    if let Some(cookie) = cookie {
        request.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(&body);
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    if headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        let mut decoded = Vec::new();
        let mut rest = &body[..];
        loop {
            let end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size =
                usize::from_str_radix(std::str::from_utf8(&rest[..end]).unwrap(), 16).unwrap();
            if size == 0 {
                break;
            }
            decoded.extend_from_slice(&rest[end + 2..end + 2 + size]);
            rest = &rest[end + 2 + size + 2..];
        }
        body = decoded;
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn sign_in(addr: SocketAddr, username: &str, password: &str) -> String {
    let reply = http(
        addr,
        "POST",
        "/api/v1/login",
        None,
        Some(&serde_json::json!({"username": username, "password": password})),
    );
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    reply
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// `tianping user add ARGS` with `password` on standard input: (exit code, stdout, stderr).
fn user_add(db: &Path, args: &[&str], password: &str) -> (i32, String, String) {
    let output = tianping(db)
        .args(["user", "add"])
        .args(args)
        .write_stdin(format!("{password}\n"))
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The CLI's stdout for `args` (with `--format json`).
fn cli_json(db: &Path, args: &[&str]) -> Vec<u8> {
    let output = tianping(db)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn user_add_refuses_bad_input_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("u.db");
    let refused = |args: &[&str], password: &str, words: &str| {
        let (code, _, stderr) = user_add(&db, args, password);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(words), "{args:?}: {stderr}");
    };
    refused(
        &["--username", "x", "--role", "root"],
        "long enough",
        "角色“root”无法识别",
    );
    refused(
        &["--username", "x", "--role", "staff"],
        "long enough",
        "须指定所在法院",
    );
    refused(
        &["--username", "x", "--role", "judge", "--court", "皖0202"],
        "long enough",
        "承办人姓名",
    );
    refused(
        &["--username", "x", "--role", "admin"],
        "short",
        "at least 8 characters",
    );
    let (code, stdout, _) = user_add(
        &db,
        &["--username", "x", "--role", "staff", "--court", "皖0202"],
        "long enough",
    );
    assert_eq!(code, 0);
    assert!(stdout.contains("已添加用户 x"), "{stdout}");
}

#[test]
fn the_served_api_answers_what_the_cli_prints_and_keeps_clerks_in_their_court() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let status = tianping(&db)
        .args(["demo", "--no-serve"])
        .output()
        .unwrap()
        .status;
    assert!(status.success());
    // The demo province's courts: the high court, and a basic court and its sibling.
    let courts: Value = serde_json::from_slice(&cli_json(
        &db,
        &[
            "indicators",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--by",
            "court",
        ],
    ))
    .unwrap();
    let codes: Vec<String> = courts["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap().to_owned())
        .collect();
    let high = codes
        .iter()
        .find(|c| c.chars().count() == 1)
        .unwrap()
        .clone();
    let basics: Vec<&String> = codes.iter().filter(|c| c.chars().count() == 5).collect();
    let (basic, sibling) = (basics[0].clone(), basics[1].clone());

    assert_eq!(
        user_add(
            &db,
            &["--username", "admin", "--role", "admin"],
            "admin password"
        )
        .0,
        0
    );
    assert_eq!(
        user_add(
            &db,
            &["--username", "clerk", "--role", "staff", "--court", &basic],
            "clerk password"
        )
        .0,
        0
    );
    let (_server, addr) = serve(&db);

    // Without a session: 401.
    let reply = http(
        addr,
        "GET",
        "/api/v1/deadlines?as_of=2025-06-30",
        None,
        None,
    );
    assert_eq!(reply.status, 401);

    let admin = sign_in(addr, "admin", "admin password");
    let questions: Vec<(String, Vec<String>)> = vec![
        (
            format!("/api/v1/indicators?from=2025-01-01&to=2025-06-30&scope={high}&by=court"),
            vec![
                "indicators",
                "--from",
                "2025-01-01",
                "--to",
                "2025-06-30",
                "--scope",
                &high,
                "--by",
                "court",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
        ),
        (
            format!(
                "/api/v1/indicators?from=2024-01-01&to=2024-12-31&as_of=2025-06-30&scope={basic}&by=judge"
            ),
            vec![
                "indicators",
                "--from",
                "2024-01-01",
                "--to",
                "2024-12-31",
                "--as-of",
                "2025-06-30",
                "--scope",
                &basic,
                "--by",
                "judge",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
        ),
        (
            "/api/v1/indicators?from=2025-01-01&to=2025-12-31".to_owned(),
            vec!["indicators", "--from", "2025-01-01", "--to", "2025-12-31"]
                .into_iter()
                .map(String::from)
                .collect(),
        ),
        (
            "/api/v1/deadlines?as_of=2025-06-30".to_owned(),
            vec!["deadlines", "--as-of", "2025-06-30"]
                .into_iter()
                .map(String::from)
                .collect(),
        ),
        (
            format!("/api/v1/deadlines?as_of=2025-10-31&scope={basic}&status=all"),
            vec![
                "deadlines",
                "--as-of",
                "2025-10-31",
                "--scope",
                &basic,
                "--status",
                "all",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
        ),
        (
            format!("/api/v1/signals?year=2024&scope={high}"),
            vec!["signals", "--year", "2024", "--scope", &high]
                .into_iter()
                .map(String::from)
                .collect(),
        ),
        (
            "/api/v1/case-numbers/parse?q=(2023)鲁0102民初1234号&q=2023鲁民初1号".to_owned(),
            vec![
                "case-number",
                "parse",
                "(2023)鲁0102民初1234号",
                "2023鲁民初1号",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
        ),
    ];
    for (path, args) in &questions {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let expected = if args[0] == "case-number" {
            // Exit code 2 (one number is invalid), but the JSON is printed all the same.
            tianping(&db)
                .args(&args)
                .args(["--format", "json"])
                .output()
                .unwrap()
                .stdout
        } else {
            cli_json(&db, &args)
        };
        let reply = http(addr, "GET", path, Some(&admin), None);
        assert_eq!(reply.status, 200, "{path}");
        assert!(expected.len() > 20, "{path}");
        assert!(
            reply.body == expected,
            "{path}: the API differs from `tianping {}`",
            args.join(" ")
        );
    }

    // A basic court's clerk: their own court without asking; 403 for the sibling and the province.
    let clerk = sign_in(addr, "clerk", "clerk password");
    let own = http(
        addr,
        "GET",
        "/api/v1/deadlines?as_of=2025-06-30",
        Some(&clerk),
        None,
    );
    assert_eq!(
        own.body,
        cli_json(
            &db,
            &["deadlines", "--as-of", "2025-06-30", "--scope", &basic]
        )
    );
    for scope in [&sibling, &high] {
        for path in [
            format!("/api/v1/deadlines?as_of=2025-06-30&scope={scope}"),
            format!("/api/v1/indicators?from=2025-01-01&to=2025-06-30&scope={scope}"),
            format!("/courts/{scope}"),
            format!("/deadlines?court={scope}"),
        ] {
            assert_eq!(
                http(addr, "GET", &path, Some(&clerk), None).status,
                403,
                "{path}"
            );
        }
    }
    // The pages answer too.
    let page = http(addr, "GET", "/", Some(&clerk), None);
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
}
