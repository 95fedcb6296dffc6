//! The server's log: one line per request with the method, the matched route (not the path: no
//! case number, no query string), the status, the time and the signed-in user. The log is
//! captured with the server's own subscriber writing into a buffer (this file is a test binary of
//! its own, so the process-wide subscriber is this test's alone).

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use common::*;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Buffer;

    fn make_writer(&'a self) -> Buffer {
        self.clone()
    }
}

impl Buffer {
    fn lines(&self) -> Vec<String> {
        String::from_utf8(self.0.lock().unwrap().clone())
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

#[tokio::test]
async fn each_request_is_one_line_with_its_route_status_and_user_but_no_case_number() {
    let buffer = Buffer::default();
    tracing::subscriber::set_global_default(tianping_web::request_log::subscriber(
        buffer.clone(),
        EnvFilter::new("info"),
    ))
    .unwrap();

    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let case = clerk.get("/cases/（2023）皖0202民初1号").await;
    assert_eq!(case.status, StatusCode::OK);
    let deadlines = clerk
        .get("/api/v1/deadlines?as_of=2023-09-20&scope=皖0202&status=all")
        .await;
    assert_eq!(deadlines.status, StatusCode::OK);
    let mut anonymous = Client::new(&world.app);
    assert_eq!(
        anonymous.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        anonymous
            .get("/no/such/page/（2023）皖0202民初2号")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let lines = buffer.lines();
    let requests: Vec<&String> = lines.iter().filter(|l| l.contains(" request: ")).collect();
    let find = |needle: &str| {
        requests
            .iter()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle} in\n{}", lines.join("\n")))
            .to_string()
    };
    let line = find("route=/cases/{case_number}");
    assert!(line.contains(" INFO "), "{line}");
    assert!(line.contains("method=GET"), "{line}");
    assert!(line.contains("status=200"), "{line}");
    assert!(line.contains("user=clerk0202"), "{line}");
    assert!(line.contains(" ms="), "{line}");
    // The time is China Standard Time, as in the audit log.
    assert!(line[..30].contains("+08:00"), "{line}");
    let line = find("route=/api/v1/deadlines");
    assert!(
        line.contains("status=200") && line.contains("user=clerk0202"),
        "{line}"
    );
    let line = find("route=/api/v1/me");
    assert!(
        line.contains("status=401") && line.contains("user=-"),
        "{line}"
    );
    let line = find("status=404");
    assert!(
        line.contains("route=-") || line.contains("route=/"),
        "{line}"
    );
    let line = find("route=/api/v1/login");
    assert!(
        line.contains("method=POST") && line.contains("status=200"),
        "{line}"
    );

    // No case number, no query string, no court from a query: neither as text nor encoded.
    let log = lines.join("\n");
    for secret in [
        "民初",
        "皖0202",
        "%E7%9A%96",
        "2023-09-20",
        "status=all",
        "?",
    ] {
        assert!(!log.contains(secret), "the log holds {secret}:\n{log}");
    }
}
