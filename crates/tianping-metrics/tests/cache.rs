//! The snapshot cache: what is read back answers every question exactly as what was written.

use std::sync::Arc;

use chrono::NaiveDate;
use tianping_domain::calendar::HolidayCalendar;
use tianping_domain::time_limit::LimitSettings;
use tianping_metrics::{GroupBy, IndicatorQuery, Snapshot, compute};
use tianping_synth::{SynthConfig, generate};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn built() -> Snapshot {
    let data = generate(&SynthConfig::small(5));
    Snapshot::build(
        &data.courts,
        &data.cases,
        &data.events,
        Arc::new(HolidayCalendar::builtin()),
        LimitSettings::default(),
    )
}

#[test]
fn a_snapshot_read_from_its_cache_answers_every_question_the_same() {
    let original = built();
    let bytes = original.to_cache_bytes(42);
    assert_eq!(Snapshot::cache_data_version(&bytes), Some(42));
    let restored = Snapshot::from_cache_bytes(
        &bytes,
        42,
        Arc::new(HolidayCalendar::builtin()),
        LimitSettings::default(),
    )
    .expect("a fresh cache reads back");
    assert_eq!(restored.len(), original.len());
    for by in [
        GroupBy::None,
        GroupBy::Court,
        GroupBy::Judge,
        GroupBy::TypeCode,
    ] {
        for (from, to) in [("2024-01-01", "2024-12-31"), ("2023-07-01", "2023-09-30")] {
            let q = IndicatorQuery {
                from: d(from),
                to: d(to),
                as_of: d(to),
                scope: None,
                by,
            };
            let a = serde_json::to_string(&compute(&original, &q).unwrap()).unwrap();
            let b = serde_json::to_string(&compute(&restored, &q).unwrap()).unwrap();
            assert_eq!(a, b, "{by:?} {from}..{to}");
        }
    }
    // And it writes back to the same bytes.
    assert_eq!(restored.to_cache_bytes(42), bytes);
    // Written to a file as it is made (a megabyte at a time), the same bytes again.
    let mut streamed = Vec::new();
    restored.write_cache(&mut streamed, 42).unwrap();
    assert!(
        bytes.len() > 2 << 20,
        "spilled more than once: {}",
        bytes.len()
    );
    assert_eq!(streamed, bytes);
    // A disk that fills up is an error, not a short file taken for a cache.
    let mut full = FullDisk(1 << 20);
    assert!(restored.write_cache(&mut full, 42).is_err());
}

/// A writer that takes `.0` bytes, then reports a full disk.
struct FullDisk(usize);

impl std::io::Write for FullDisk {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0 == 0 {
            return Err(std::io::Error::other("no space left on device"));
        }
        let n = buf.len().min(self.0);
        self.0 -= n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_cache_for_other_data_another_calendar_or_damaged_bytes_is_refused() {
    let original = built();
    let bytes = original.to_cache_bytes(7);
    let calendar = Arc::new(HolidayCalendar::builtin());
    assert!(
        Snapshot::from_cache_bytes(&bytes, 8, calendar.clone(), LimitSettings::default()).is_none()
    );
    let mut other = HolidayCalendar::builtin();
    other.load_csv("2027,2027-01-01,true,元旦").unwrap();
    assert!(
        Snapshot::from_cache_bytes(&bytes, 7, Arc::new(other), LimitSettings::default()).is_none()
    );
    let no_rollover = LimitSettings {
        holiday_rollover: false,
        ..LimitSettings::default()
    };
    assert!(Snapshot::from_cache_bytes(&bytes, 7, calendar.clone(), no_rollover).is_none());
    assert!(
        Snapshot::from_cache_bytes(
            &bytes[..bytes.len() - 3],
            7,
            calendar.clone(),
            LimitSettings::default()
        )
        .is_none()
    );
    assert!(
        Snapshot::from_cache_bytes(b"not a cache", 7, calendar, LimitSettings::default()).is_none()
    );
}

#[test]
fn a_snapshot_read_from_its_cache_takes_later_imports() {
    let data = generate(&SynthConfig::small(5));
    let (first, later) = data.cases.split_at(data.cases.len() - 500);
    let calendar = Arc::new(HolidayCalendar::builtin());
    let partial = Snapshot::build(
        &data.courts,
        first,
        &data.events,
        calendar.clone(),
        LimitSettings::default(),
    );
    let mut restored = Snapshot::from_cache_bytes(
        &partial.to_cache_bytes(1),
        1,
        calendar.clone(),
        LimitSettings::default(),
    )
    .unwrap();
    restored.apply(later, &data.events);
    let full = Snapshot::build(
        &data.courts,
        &data.cases,
        &data.events,
        calendar,
        LimitSettings::default(),
    );
    let q = IndicatorQuery {
        from: d("2025-01-01"),
        to: d("2025-12-31"),
        as_of: d("2025-12-31"),
        scope: None,
        by: GroupBy::Court,
    };
    assert_eq!(
        serde_json::to_string(&compute(&restored, &q).unwrap()).unwrap(),
        serde_json::to_string(&compute(&full, &q).unwrap()).unwrap()
    );
}

/// A cache cut short anywhere (a disk that filled up, a copy stopped half-way), or with bytes
/// after its end, is refused, never half-read; the file reader gives what the byte reader gives.
#[test]
fn a_cache_cut_short_anywhere_or_with_trailing_bytes_is_refused() {
    let original = built();
    let bytes = original.to_cache_bytes(3);
    let calendar = Arc::new(HolidayCalendar::builtin());
    let read =
        |b: &[u8]| Snapshot::from_cache_bytes(b, 3, calendar.clone(), LimitSettings::default());
    // Cuts spread over the whole file: header, court table, events, case numbers, columns.
    let step = (bytes.len() / 97).max(1);
    for cut in (0..bytes.len()).step_by(step).chain([bytes.len() - 1]) {
        assert!(
            read(&bytes[..cut]).is_none(),
            "cut at {cut} of {}",
            bytes.len()
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(read(&longer).is_none(), "a trailing byte");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.snapshot");
    std::fs::write(&path, &bytes).unwrap();
    let file = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
    let from_file = Snapshot::read_cache(file, 3, calendar.clone(), LimitSettings::default())
        .expect("the file reads back");
    assert_eq!(from_file.to_cache_bytes(3), bytes);
}
