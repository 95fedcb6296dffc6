//! The server on a real socket (127.0.0.1, port 0), with short time limits: clients that send a
//! request slowly or never are disconnected; ordinary clients, kept-alive connections, the
//! client's address and a graceful stop work as before.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::*;
use tianping_web::Settings;
use tianping_web::request_limits::Timeouts;

/// A server with `timeouts`, stopped by dropping the returned sender.
async fn serve(timeouts: Timeouts) -> (World, SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let world = world_app_with(Settings {
        timeouts,
        ..Settings::default()
    })
    .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let state = world.state.clone();
    tokio::spawn(async move {
        tianping_web::serve_with_shutdown(listener, state, async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    (world, addr, stop)
}

fn short(header_read: u64, body_idle: u64, request: u64) -> Timeouts {
    Timeouts {
        header_read: Duration::from_millis(header_read),
        body_idle: Duration::from_millis(body_idle),
        request: Duration::from_millis(request),
        upload: Duration::from_millis(request),
    }
}

/// Connect, send `first`, then `then` one byte at a time every `pace`; read what the server says
/// until it closes the connection (at most 10 seconds). Returns the answer and when the
/// connection was closed.
async fn slow_client(
    addr: SocketAddr,
    first: &'static [u8],
    then: &'static [u8],
    pace: Duration,
) -> (String, Duration) {
    tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        stream.write_all(first).unwrap();
        let mut answer = Vec::new();
        let mut rest = then.iter();
        let mut next_byte = Instant::now() + pace;
        loop {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the server kept the connection open: {}",
                String::from_utf8_lossy(&answer)
            );
            let mut buf = [0u8; 4096];
            match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(_) => break,
            }
            if Instant::now() >= next_byte
                && let Some(b) = rest.next()
            {
                // The server may have closed already.
                if stream.write_all(&[*b]).is_err() {
                    break;
                }
                next_byte += pace;
            }
        }
        (
            String::from_utf8_lossy(&answer).into_owned(),
            started.elapsed(),
        )
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_sends_half_a_request_line_is_disconnected_after_the_header_timeout() {
    let (_world, addr, _stop) = serve(short(300, 5000, 5000)).await;
    let (_, closed_after) = slow_client(addr, b"GET / HT", b"", Duration::ZERO).await;
    assert!(
        closed_after >= Duration::from_millis(250) && closed_after < Duration::from_secs(3),
        "{closed_after:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_trickled_byte_by_byte_are_cut_off_at_the_header_timeout() {
    let (_world, addr, _stop) = serve(short(500, 5000, 5000)).await;
    let (answer, closed_after) = slow_client(
        addr,
        b"G",
        b"ET /login HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
        Duration::from_millis(100),
    )
    .await;
    assert!(!answer.contains("200 OK"), "{answer}");
    assert!(closed_after < Duration::from_secs(3), "{closed_after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    let (_world, addr, _stop) = serve(short(300, 5000, 5000)).await;
    let (answer, closed_after) = slow_client(addr, b"", b"", Duration::ZERO).await;
    assert!(answer.is_empty(), "{answer}");
    assert!(closed_after < Duration::from_secs(3), "{closed_after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_stops_coming_is_given_up_after_the_pause_limit() {
    let (_world, addr, _stop) = serve(short(5000, 300, 5000)).await;
    let (answer, closed_after) = slow_client(
        addr,
        b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
          Content-Length: 1000\r\n\r\ncsrf=",
        b"",
        Duration::ZERO,
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(closed_after < Duration::from_secs(3), "{closed_after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_trickled_past_the_request_limit_is_answered_408() {
    // Each byte comes within the pause limit; the whole request takes too long.
    let (_world, addr, _stop) = serve(short(5000, 2000, 800)).await;
    let (answer, closed_after) = slow_client(
        addr,
        b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
          Content-Length: 100\r\n\r\n",
        b"csrf=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        Duration::from_millis(100),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("请求超时"), "{answer}");
    assert!(closed_after < Duration::from_secs(3), "{closed_after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ordinary_clients_are_served_on_kept_alive_connections_with_their_address() {
    let (world, addr, stop) = serve(Timeouts::default()).await;
    let answers = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut answers = Vec::new();
        for _ in 0..2 {
            stream
                .write_all(b"GET /login HTTP/1.1\r\nHost: x\r\n\r\n")
                .unwrap();
            let mut answer = Vec::new();
            let mut buf = [0u8; 65536];
            // Read one answer: its headers, then Content-Length bytes.
            loop {
                let n = stream.read(&mut buf).unwrap();
                assert!(n > 0, "closed early");
                answer.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&answer).into_owned();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length: usize = text
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length: "))
                        .unwrap()
                        .trim()
                        .parse()
                        .unwrap();
                    if answer.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            answers.push(String::from_utf8_lossy(&answer).into_owned());
        }
        let body = r#"{"username":"nobody","password":"guess"}"#;
        let mut stream = TcpStream::connect(addr).unwrap();
        write!(
            stream,
            "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answers.push(answer);
        answers
    })
    .await
    .unwrap();
    assert!(answers[0].starts_with("HTTP/1.1 200"), "{}", answers[0]);
    assert!(answers[1].starts_with("HTTP/1.1 200"), "{}", answers[1]);
    assert!(answers[2].starts_with("HTTP/1.1 401"), "{}", answers[2]);
    let log = world.store.audit_log(10).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "sign_in_failed" && e.detail.contains("来自 127.0.0.1")),
        "{log:?}"
    );
    // Stopping: the server no longer accepts connections.
    drop(stop);
    let deadline = Instant::now() + Duration::from_secs(5);
    while TcpStream::connect(addr).is_ok() {
        assert!(Instant::now() < deadline, "still accepting after the stop");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_alive_connection_left_idle_is_closed_after_the_header_timeout() {
    let (_world, addr, _stop) = serve(short(400, 5000, 5000)).await;
    let (answer, closed_after) = slow_client(
        addr,
        b"GET /static/app.css HTTP/1.1\r\nHost: x\r\n\r\n",
        b"",
        Duration::ZERO,
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(!answer.contains("connection: close"), "{answer}");
    assert!(closed_after < Duration::from_secs(3), "{closed_after:?}");
}
