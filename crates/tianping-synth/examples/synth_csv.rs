//! Write a synthetic province as exchange-format CSV files.
//!
//! ```sh
//! cargo run --release -p tianping-synth --example synth_csv -- small 7 /tmp/province
//! cargo run --release -p tianping-synth --example synth_csv -- province 7 /tmp/province 1000000
//! ```
//! Arguments: scale (`small` or `province`), seed, output directory, optional target case count.

use std::path::PathBuf;

use tianping_synth::{SynthConfig, generate_csv_files};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut config = match args.first().map(String::as_str) {
        Some("province") => SynthConfig::province(seed),
        _ => SynthConfig::small(seed),
    };
    config.target_cases = args.get(3).and_then(|s| s.parse().ok());
    let dir = PathBuf::from(args.get(2).map_or("synth-out", String::as_str));
    let files = generate_csv_files(&config, &dir)?;
    for file in files {
        println!("{}", file.display());
    }
    Ok(())
}
