//! The bulletin of the demo province (`tianping report`) tells 信访 and 司法建议 with the same
//! figures as `tianping petitions indicators` and `tianping suggestions indicators` for the
//! period (issue 18: "both modules … in the bulletin where the reports put them").

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn tianping(db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("tianping").unwrap();
    cmd.env_remove("TIANPING_HOLIDAYS")
        .env("TIANPING_DB", db)
        .env("USER", "tester");
    cmd
}

fn json(db: &Path, args: &[&str]) -> Value {
    let output = tianping(db).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The number right after `prefix` in `text`.
fn number_after(text: &str, prefix: &str) -> String {
    let at = text
        .find(prefix)
        .unwrap_or_else(|| panic!("“{prefix}” is not in the bulletin"));
    text[at + prefix.len()..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect()
}

#[test]
fn the_demo_bulletin_tells_petitions_and_suggestions_as_the_commands_count_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let output = tianping(&db).args(["demo", "--no-serve"]).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = dir.path().join("bulletin.html");
    let output = tianping(&db)
        .args(["report", "--period", "2025", "--format", "html", "-o"])
        .arg(&html)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&html).unwrap();
    let petitions = json(
        &db,
        &[
            "petitions",
            "indicators",
            "--period",
            "2025",
            "--format",
            "json",
        ],
    );
    let p = &petitions["rows"][0]["indicators"];
    assert!(p["received"].as_u64().unwrap() > 100, "{p}");
    assert_eq!(
        number_after(&text, "信访方面，收到信访"),
        p["received"].to_string()
    );
    assert_eq!(
        number_after(&text[text.find("信访方面").unwrap()..], "按期答复率"),
        format!(
            "{:.2}",
            p["handling_on_time_rate"].as_f64().unwrap() * 100.0
        )
    );
    let suggestions = json(
        &db,
        &[
            "suggestions",
            "indicators",
            "--period",
            "2025",
            "--format",
            "json",
        ],
    );
    let s = &suggestions["rows"][0]["indicators"];
    assert!(s["issued"].as_u64().unwrap() > 10, "{s}");
    assert_eq!(
        number_after(&text, "司法建议方面，发出司法建议"),
        s["issued"].to_string()
    );
    assert_eq!(
        number_after(&text[text.find("司法建议方面").unwrap()..], "反馈率"),
        format!("{:.2}", s["reply_rate"].as_f64().unwrap() * 100.0)
    );
}
