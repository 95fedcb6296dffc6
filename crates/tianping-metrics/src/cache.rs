//! The snapshot as bytes, so that a new process (a CLI command, a restarted server) does not
//! rebuild it from the database: building means reading every case and computing every
//! deadline; reading the cache is one file read. The bytes carry the database's data version,
//! the calendar's fingerprint and the time-limit settings, and are refused when any differs.
//!
//! The format is private to this build (it starts with a format number): a cache written by
//! another version is simply rebuilt.

use std::sync::Arc;

use tianping_domain::calendar::HolidayCalendar;
use tianping_domain::time_limit::LimitSettings;
use tianping_domain::{CourtRecord, EventKind, EventRecord};

use crate::snapshot::{Interner, Snapshot};

const MAGIC: &[u8; 8] = b"TPSNAP04";

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
            None => self.u8(0),
        }
    }
    fn column<T: Copy, const N: usize>(&mut self, values: &[T], bytes: impl Fn(T) -> [u8; N]) {
        self.u32(values.len() as u32);
        self.0.reserve(values.len() * N);
        for v in values {
            self.0.extend_from_slice(&bytes(*v));
        }
    }
    fn interner(&mut self, interner: &Interner) {
        self.u32(interner.len() as u32);
        for id in 1..interner.len() as u32 {
            self.str(interner.get(id));
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let slice = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(slice)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn str(&mut self) -> Option<&'a str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).ok()
    }
    fn opt_str(&mut self) -> Option<Option<&'a str>> {
        match self.u8()? {
            0 => Some(None),
            _ => Some(Some(self.str()?)),
        }
    }
    fn column<T, const N: usize>(&mut self, from: impl Fn([u8; N]) -> T) -> Option<Vec<T>> {
        let n = self.u32()? as usize;
        let raw = self.take(n.checked_mul(N)?)?;
        Some(
            raw.chunks_exact(N)
                .map(|c| from(c.try_into().unwrap()))
                .collect(),
        )
    }
    fn interner(&mut self) -> Option<Interner> {
        let n = self.u32()?;
        let mut interner = Interner::default();
        for _ in 1..n {
            interner.push_unchecked(self.str()?);
        }
        Some(interner)
    }
}

fn settings_bytes(settings: &LimitSettings) -> [u8; 9] {
    let mut b = [0u8; 9];
    b[0] = u8::from(settings.holiday_rollover);
    b[1..].copy_from_slice(&settings.due_soon_days.to_le_bytes());
    b
}

impl Snapshot {
    /// The snapshot as cache bytes, stamped with the database's `data_version`.
    pub fn to_cache_bytes(&self, data_version: i64) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(self.len() * 120 + 1024));
        w.0.extend_from_slice(MAGIC);
        w.i64(data_version);
        w.0.extend_from_slice(&self.calendar.fingerprint().to_le_bytes());
        w.0.extend_from_slice(&settings_bytes(&self.settings));

        let courts: Vec<&CourtRecord> = self.courts.iter().collect();
        w.u32(courts.len() as u32);
        for c in courts {
            w.str(&c.code);
            w.str(&c.name);
            w.str(c.level.id());
            w.opt_str(c.parent_code.as_deref());
        }
        w.interner(&self.court_codes);
        w.interner(&self.names);
        w.str(&self.case_numbers.text);
        w.column(&self.case_numbers.ends, u32::to_le_bytes);
        w.column(&self.court, u32::to_le_bytes);
        w.column(&self.type_code, u16::to_le_bytes);
        w.column(&self.type_name, u32::to_le_bytes);
        w.column(&self.procedure, |v: u8| [v]);
        w.column(&self.filed, i32::to_le_bytes);
        w.column(&self.closed, i32::to_le_bytes);
        w.column(&self.received, i32::to_le_bytes);
        w.column(&self.closing_mode, |v: u8| [v]);
        w.column(&self.division, u32::to_le_bytes);
        w.column(&self.judge, u32::to_le_bytes);
        w.column(&self.claim, i64::to_le_bytes);
        w.column(&self.recovered, i64::to_le_bytes);
        w.column(&self.flags, u16::to_le_bytes);
        w.column(&self.net_duration, i32::to_le_bytes);
        w.column(&self.static_deadline, i32::to_le_bytes);
        w.column(&self.settled_from, i32::to_le_bytes);
        let months: Vec<i32> = self.months.iter().flatten().copied().collect();
        w.column(&months, i32::to_le_bytes);
        w.column(&self.appeal_known, i32::to_le_bytes);
        w.column(&self.reversed_at, i32::to_le_bytes);
        w.column(&self.origin, u32::to_le_bytes);

        let mut with_events: Vec<(&u32, &Vec<EventRecord>)> = self.events.iter().collect();
        with_events.sort_by_key(|(i, _)| **i);
        w.u32(with_events.len() as u32);
        for (i, events) in with_events {
            w.u32(*i);
            w.u32(events.len() as u32);
            for e in events {
                w.u8(EventKind::ALL.iter().position(|k| *k == e.kind).unwrap() as u8);
                w.0.extend_from_slice(&tianping_domain::dates::to_day_number(e.date).to_le_bytes());
                w.opt_str(e.end_date.map(|d| d.to_string()).as_deref());
                w.i64(e.months.map_or(-1, i64::from));
                w.i64(e.days.map_or(-1, i64::from));
                w.opt_str(e.reason.as_deref());
            }
        }
        w.0
    }

    /// The data version a cache was written for, if the bytes are a cache of this format.
    pub fn cache_data_version(bytes: &[u8]) -> Option<i64> {
        let mut r = Reader { bytes, at: 0 };
        (r.take(8)? == MAGIC).then_some(())?;
        r.i64()
    }

    /// The snapshot from cache bytes, or `None` when they are not for this data version,
    /// calendar and settings (or are damaged): then build it anew.
    pub fn from_cache_bytes(
        bytes: &[u8],
        data_version: i64,
        calendar: Arc<HolidayCalendar>,
        settings: LimitSettings,
    ) -> Option<Snapshot> {
        let mut r = Reader { bytes, at: 0 };
        (r.take(8)? == MAGIC).then_some(())?;
        (r.i64()? == data_version).then_some(())?;
        (r.take(8)? == calendar.fingerprint().to_le_bytes()).then_some(())?;
        (r.take(9)? == settings_bytes(&settings)).then_some(())?;

        let mut courts = Vec::new();
        for _ in 0..r.u32()? {
            courts.push(CourtRecord {
                code: r.str()?.to_owned(),
                name: r.str()?.to_owned(),
                level: tianping_domain::CourtLevel::parse(r.str()?)?,
                parent_code: r.opt_str()?.map(str::to_owned),
            });
        }
        let mut snapshot = Snapshot::new(&courts, calendar, settings);
        snapshot.court_codes = r.interner()?;
        snapshot.court_ancestors = vec![Vec::new(); snapshot.court_codes.len()];
        for id in 1..snapshot.court_codes.len() as u32 {
            snapshot.rederive_ancestors(id);
        }
        snapshot.names = r.interner()?;
        let text = r.str()?.to_owned();
        let ends: Vec<u32> = r.column(u32::from_le_bytes)?;
        let n = ends.len();
        let in_order = ends.windows(2).all(|w| w[0] <= w[1]);
        (in_order && ends.last().is_none_or(|&e| e as usize == text.len())).then_some(())?;
        (ends.iter().all(|&e| text.is_char_boundary(e as usize))).then_some(())?;
        snapshot.case_numbers = crate::snapshot::CaseNumbers { text, ends };
        snapshot.court = r.column(u32::from_le_bytes)?;
        snapshot.type_code = r.column(u16::from_le_bytes)?;
        snapshot.type_name = r.column(u32::from_le_bytes)?;
        snapshot.procedure = r.column(|[b]: [u8; 1]| b)?;
        snapshot.filed = r.column(i32::from_le_bytes)?;
        snapshot.closed = r.column(i32::from_le_bytes)?;
        snapshot.received = r.column(i32::from_le_bytes)?;
        snapshot.closing_mode = r.column(|[b]: [u8; 1]| b)?;
        snapshot.division = r.column(u32::from_le_bytes)?;
        snapshot.judge = r.column(u32::from_le_bytes)?;
        snapshot.claim = r.column(i64::from_le_bytes)?;
        snapshot.recovered = r.column(i64::from_le_bytes)?;
        snapshot.flags = r.column(u16::from_le_bytes)?;
        snapshot.net_duration = r.column(i32::from_le_bytes)?;
        snapshot.static_deadline = r.column(i32::from_le_bytes)?;
        snapshot.settled_from = r.column(i32::from_le_bytes)?;
        let months: Vec<i32> = r.column(i32::from_le_bytes)?;
        snapshot.months = months
            .chunks_exact(4)
            .map(|c| [c[0], c[1], c[2], c[3]])
            .collect();
        snapshot.appeal_known = r.column(i32::from_le_bytes)?;
        snapshot.reversed_at = r.column(i32::from_le_bytes)?;
        snapshot.origin = r.column(u32::from_le_bytes)?;
        let columns = [
            snapshot.court.len(),
            snapshot.type_code.len(),
            snapshot.filed.len(),
            snapshot.closed.len(),
            snapshot.flags.len(),
            snapshot.months.len(),
            snapshot.origin.len(),
        ];
        columns.iter().all(|&len| len == n).then_some(())?;

        for _ in 0..r.u32()? {
            let i = r.u32()?;
            if i as usize >= n {
                return None;
            }
            let number = snapshot.case_numbers.get(i as usize).to_owned();
            let mut events = Vec::new();
            for _ in 0..r.u32()? {
                let kind = *EventKind::ALL.get(r.u8()? as usize)?;
                let date = tianping_domain::dates::from_day_number(i32::from_le_bytes(
                    r.take(4)?.try_into().ok()?,
                ));
                let end_date = match r.opt_str()? {
                    Some(text) => Some(tianping_domain::dates::parse_date(text).ok()?),
                    None => None,
                };
                let months = u32::try_from(r.i64()?).ok();
                let days = u32::try_from(r.i64()?).ok();
                let reason = r.opt_str()?.map(str::to_owned);
                events.push(EventRecord {
                    case_number: number.clone(),
                    kind,
                    date,
                    end_date,
                    months,
                    days,
                    reason,
                });
            }
            snapshot.events.insert(i, events);
        }
        (r.at == bytes.len()).then_some(())?;
        snapshot.rebuild_indexes();
        Some(snapshot)
    }
}
