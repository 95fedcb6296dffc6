//! Read an exchange file and print what was found: `cargo run --example inspect -- FILE [LAYOUT]`.

use std::path::Path;

use tianping_exchange::{Layout, read_file};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: inspect FILE [tianping|ecourts-india]");
        std::process::exit(2);
    };
    let layout = args
        .next()
        .map(|l| l.parse::<Layout>().unwrap_or_else(|e| panic!("{e}")))
        .unwrap_or_default();
    match read_file(Path::new(&path), None, layout, None) {
        Ok(parsed) => {
            println!(
                "{}: {} rows, kind {}, {} courts, {} cases, {} events, {} rejected rows",
                parsed.file,
                parsed.total_rows,
                parsed.kind,
                parsed.courts.len(),
                parsed.cases.len(),
                parsed.events.len(),
                parsed.rejected_rows().len()
            );
            for warning in &parsed.warnings {
                println!("warning: {warning}");
            }
            for error in &parsed.errors {
                println!("{error}");
            }
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    }
}
