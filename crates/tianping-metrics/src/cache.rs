//! The snapshot as bytes, so that a new process (a CLI command, a restarted server) does not
//! rebuild it from the database: building means reading every case and computing every
//! deadline; reading the cache is one file read. The bytes carry the database's data version,
//! the calendar's fingerprint and the time-limit settings, and are refused when any differs.
//!
//! The format is private to this build (it starts with a format number): a cache written by
//! another version is simply rebuilt.

use std::io::Read;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use tianping_domain::dates::{from_day_number, to_day_number};

use tianping_domain::calendar::HolidayCalendar;
use tianping_domain::time_limit::LimitSettings;
use tianping_domain::{CourtRecord, EventKind, EventRecord};

use crate::snapshot::{Interner, NEVER, Snapshot};

const MAGIC: &[u8; 8] = b"TPSNAP08";

/// Cache bytes, gathered in `.0` and, with a sink, handed to it a megabyte at a time (a
/// million cases' cache is 200 MB: written as it is made, it never exists whole in memory).
struct Writer<'o>(Vec<u8>, Option<&'o mut dyn std::io::Write>);

impl Writer<'_> {
    /// Hand what is gathered to the sink, if there is one and it holds a megabyte.
    fn spill(&mut self) -> std::io::Result<()> {
        if let Some(out) = self.1.as_mut()
            && self.0.len() >= 1 << 20
        {
            out.write_all(&self.0)?;
            self.0.clear();
        }
        Ok(())
    }
    fn finish(mut self) -> std::io::Result<Vec<u8>> {
        if let Some(out) = self.1.as_mut() {
            out.write_all(&self.0)?;
            self.0.clear();
        }
        Ok(self.0)
    }
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
        let (text, ends) = interner.parts();
        self.str(text);
        self.column(ends, u32::to_le_bytes);
    }
}

struct Reader<R> {
    input: R,
}

impl<R: Read> Reader<R> {
    fn bytes(&mut self, n: usize) -> Option<Vec<u8>> {
        let mut buf = Vec::new();
        buf.try_reserve_exact(n).ok()?;
        (&mut self.input)
            .take(n as u64)
            .read_to_end(&mut buf)
            .ok()?;
        (buf.len() == n).then_some(buf)
    }
    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        let mut buf = [0u8; N];
        self.input.read_exact(&mut buf).ok()?;
        Some(buf)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.array::<1>()?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.array()?))
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.array()?))
    }
    fn string(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.bytes(n)?).ok()
    }
    fn opt_string(&mut self) -> Option<Option<String>> {
        match self.u8()? {
            0 => Some(None),
            _ => Some(Some(self.string()?)),
        }
    }
    /// A column of little-endian numbers, read into the vector's own bytes.
    fn column<T: bytemuck::Pod + FromLittleEndian>(&mut self) -> Option<Vec<T>> {
        let n = self.u32()? as usize;
        let mut values: Vec<T> = Vec::new();
        values.try_reserve_exact(n).ok()?;
        // In steps, so that a damaged length meets the end of the file before it fills memory.
        while values.len() < n {
            let start = values.len();
            values.resize(start + (n - start).min(1 << 20), T::zeroed());
            self.input
                .read_exact(bytemuck::cast_slice_mut(&mut values[start..]))
                .ok()?;
        }
        if cfg!(target_endian = "big") {
            values.iter_mut().for_each(|v| *v = v.to_native());
        }
        Some(values)
    }
    fn interner(&mut self) -> Option<Interner> {
        let text = self.string()?;
        Interner::from_parts(text, self.column()?)
    }
    fn at_end(&mut self) -> bool {
        matches!(self.input.read(&mut [0u8]), Ok(0))
    }
}

/// Numbers as the cache stores them (little-endian), turned into this machine's order.
trait FromLittleEndian: Copy {
    fn to_native(self) -> Self;
}

macro_rules! from_little_endian {
    ($($t:ty),*) => {$(
        impl FromLittleEndian for $t {
            fn to_native(self) -> Self {
                <$t>::from_le(self)
            }
        }
    )*};
}
from_little_endian!(u8, u16, u32, i32, i64);

impl FromLittleEndian for [i32; 4] {
    fn to_native(self) -> Self {
        self.map(i32::from_le)
    }
}

/// Events in the cache: kind, date, end date ([`NEVER`] for none), months and days (−1 for
/// none), reason; one list per case with events.
fn write_events(w: &mut Writer<'_>, events: &HashMap<u32, Vec<EventRecord>>) {
    let mut with_events: Vec<(&u32, &Vec<EventRecord>)> = events.iter().collect();
    with_events.sort_by_key(|(i, _)| **i);
    w.u32(with_events.len() as u32);
    for (i, events) in with_events {
        w.u32(*i);
        w.u32(events.len() as u32);
        for e in events {
            w.u8(EventKind::ALL.iter().position(|k| *k == e.kind).unwrap() as u8);
            w.0.extend_from_slice(&to_day_number(e.date).to_le_bytes());
            w.0.extend_from_slice(&e.end_date.map_or(NEVER, to_day_number).to_le_bytes());
            w.i64(e.months.map_or(-1, i64::from));
            w.i64(e.days.map_or(-1, i64::from));
            w.opt_str(e.reason.as_deref());
        }
    }
}

/// The events section, decoded (on a thread of its own while the columns are read); the
/// events' case numbers stay empty (see [`Snapshot::apply`]).
fn read_events(bytes: &[u8]) -> Option<Vec<(u32, Vec<EventRecord>)>> {
    let mut r = Reader { input: bytes };
    let cases = r.u32()?;
    let mut out = Vec::with_capacity(cases as usize);
    for _ in 0..cases {
        let i = r.u32()?;
        let n = r.u32()?;
        let mut events = Vec::with_capacity(n.min(1024) as usize);
        for _ in 0..n {
            let kind = *EventKind::ALL.get(r.u8()? as usize)?;
            let date = from_day_number(i32::from_le_bytes(r.array()?));
            let end = i32::from_le_bytes(r.array()?);
            let end_date = (end != NEVER).then(|| from_day_number(end));
            let months = u32::try_from(r.i64()?).ok();
            let days = u32::try_from(r.i64()?).ok();
            let reason = r.opt_string()?;
            events.push(EventRecord {
                case_number: String::new(),
                kind,
                date,
                end_date,
                months,
                days,
                reason,
            });
        }
        out.push((i, events));
    }
    r.at_end().then_some(out)
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
        let w = Writer(Vec::with_capacity(self.len() * 160 + 1024), None);
        self.write_cache_with(w, data_version)
            .expect("writing to memory does not fail")
    }

    /// The same bytes as [`Snapshot::to_cache_bytes`], written to `out` as they are made.
    pub fn write_cache(
        &self,
        out: &mut dyn std::io::Write,
        data_version: i64,
    ) -> std::io::Result<()> {
        let w = Writer(Vec::with_capacity(2 << 20), Some(out));
        self.write_cache_with(w, data_version).map(drop)
    }

    fn write_cache_with(&self, mut w: Writer<'_>, data_version: i64) -> std::io::Result<Vec<u8>> {
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
        // The events before the columns, so that a reader decodes them on a second thread
        // while it reads the columns.
        let mut events = Writer(Vec::new(), None);
        write_events(&mut events, &self.events);
        w.i64(events.0.len() as i64);
        w.0.extend_from_slice(&events.0);
        drop(events);
        w.spill()?;
        w.str(&self.case_numbers.text);
        w.spill()?;
        w.column(&self.case_numbers.ends, u32::to_le_bytes);
        w.spill()?;
        w.column(&self.court, u32::to_le_bytes);
        w.spill()?;
        w.column(&self.type_code, u16::to_le_bytes);
        w.spill()?;
        w.column(&self.type_name, u32::to_le_bytes);
        w.spill()?;
        w.column(&self.procedure, |v: u8| [v]);
        w.spill()?;
        w.column(&self.filed, i32::to_le_bytes);
        w.spill()?;
        w.column(&self.closed, i32::to_le_bytes);
        w.spill()?;
        w.column(&self.received, i32::to_le_bytes);
        w.spill()?;
        w.column(&self.closing_mode, |v: u8| [v]);
        w.spill()?;
        w.column(&self.division, u32::to_le_bytes);
        w.spill()?;
        w.column(&self.judge, u32::to_le_bytes);
        w.spill()?;
        w.column(&self.claim, i64::to_le_bytes);
        w.spill()?;
        w.column(&self.recovered, i64::to_le_bytes);
        w.spill()?;
        w.column(&self.flags, u16::to_le_bytes);
        w.spill()?;
        w.column(&self.net_duration, i32::to_le_bytes);
        w.spill()?;
        w.column(&self.static_deadline, i32::to_le_bytes);
        w.spill()?;
        w.column(&self.settled_from, i32::to_le_bytes);
        w.spill()?;
        w.u32(self.months.len() as u32);
        for m in &self.months {
            for v in m {
                w.0.extend_from_slice(&v.to_le_bytes());
            }
        }
        w.column(&self.appeal_known, i32::to_le_bytes);
        w.spill()?;
        w.column(&self.reversed_at, i32::to_le_bytes);
        w.spill()?;
        w.column(&self.origin, u32::to_le_bytes);
        w.spill()?;
        w.column(&self.cause, u32::to_le_bytes);
        w.spill()?;
        w.column(&self.disposal, u32::to_le_bytes);
        w.finish()
    }

    /// The data version a cache was written for, if the bytes are a cache of this format.
    pub fn cache_data_version(bytes: &[u8]) -> Option<i64> {
        let mut r = Reader { input: bytes };
        (&r.array::<8>()? == MAGIC).then_some(())?;
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
        Snapshot::read_cache(bytes, data_version, calendar, settings)
    }

    /// The snapshot read from a cache file (or any reader), as [`Snapshot::from_cache_bytes`].
    /// Give it a buffered reader: the columns are read straight into their vectors.
    pub fn read_cache(
        input: impl Read,
        data_version: i64,
        calendar: Arc<HolidayCalendar>,
        settings: LimitSettings,
    ) -> Option<Snapshot> {
        read(input, Some(data_version), calendar, settings).map(|(_, snapshot)| snapshot)
    }

    /// The snapshot read from a cache whatever data version it was written for, with that
    /// version: a process reads it while it opens the database, then keeps it only if the
    /// database is still at that version.
    pub fn read_cache_of_any_version(
        input: impl Read,
        calendar: Arc<HolidayCalendar>,
        settings: LimitSettings,
    ) -> Option<(i64, Snapshot)> {
        read(input, None, calendar, settings)
    }
}

fn read(
    input: impl Read,
    data_version: Option<i64>,
    calendar: Arc<HolidayCalendar>,
    settings: LimitSettings,
) -> Option<(i64, Snapshot)> {
    let mut r = Reader { input };
    (&r.array::<8>()? == MAGIC).then_some(())?;
    let version = r.i64()?;
    data_version.is_none_or(|v| v == version).then_some(())?;
    (r.array::<8>()? == calendar.fingerprint().to_le_bytes()).then_some(())?;
    (r.array::<9>()? == settings_bytes(&settings)).then_some(())?;

    let mut courts = Vec::new();
    for _ in 0..r.u32()? {
        courts.push(CourtRecord {
            code: r.string()?,
            name: r.string()?,
            level: tianping_domain::CourtLevel::parse(&r.string()?)?,
            parent_code: r.opt_string()?,
        });
    }
    let mut snapshot = Snapshot::new(&courts, calendar, settings);
    snapshot.court_codes = r.interner()?;
    snapshot.court_ancestors = vec![Vec::new(); snapshot.court_codes.len()];
    for id in 1..snapshot.court_codes.len() as u32 {
        snapshot.rederive_ancestors(id);
    }
    snapshot.names = r.interner()?;
    let events_len = usize::try_from(r.i64()?).ok()?;
    let events_bytes = r.bytes(events_len)?;
    let text_len = r.u32()? as usize;
    let text_bytes = r.bytes(text_len)?;
    // The second thread checks the case numbers' text and decodes the events while this
    // one reads the columns.
    let (events, text) = std::thread::scope(|scope| {
        let side = scope.spawn(|| {
            let text = String::from_utf8(text_bytes).ok()?;
            let events = read_events(&events_bytes)?;
            Some((events, text))
        });
        let columns = read_columns(&mut r, &mut snapshot);
        let side = side.join().ok()?;
        columns?;
        side
    })?;
    r.at_end().then_some(())?;
    let ends = std::mem::take(&mut snapshot.case_numbers.ends);
    snapshot.case_numbers = crate::snapshot::CaseNumbers::from_parts(text, ends)?;
    let n = snapshot.len();
    // The events keep an empty case number until an import is applied (`apply` fills it
    // in): the snapshot knows them by the case's index.
    snapshot.events.reserve(events.len());
    for (i, list) in events {
        if i as usize >= n {
            return None;
        }
        snapshot.events.insert(i, list);
    }
    snapshot.rebuild_indexes();
    Some((version, snapshot))
}

/// The case numbers' ends and every column, checked to be of one length (the text of the case
/// numbers is read before, and checked against the ends after).
fn read_columns<R: Read>(r: &mut Reader<R>, snapshot: &mut Snapshot) -> Option<()> {
    let ends: Vec<u32> = r.column()?;
    let n = ends.len();
    snapshot.case_numbers = crate::snapshot::CaseNumbers {
        text: String::new(),
        ends,
    };
    snapshot.court = r.column()?;
    snapshot.type_code = r.column()?;
    snapshot.type_name = r.column()?;
    snapshot.procedure = r.column()?;
    snapshot.filed = r.column()?;
    snapshot.closed = r.column()?;
    snapshot.received = r.column()?;
    snapshot.closing_mode = r.column()?;
    snapshot.division = r.column()?;
    snapshot.judge = r.column()?;
    snapshot.claim = r.column()?;
    snapshot.recovered = r.column()?;
    snapshot.flags = r.column()?;
    snapshot.net_duration = r.column()?;
    snapshot.static_deadline = r.column()?;
    snapshot.settled_from = r.column()?;
    snapshot.months = r.column()?;
    snapshot.appeal_known = r.column()?;
    snapshot.reversed_at = r.column()?;
    snapshot.origin = r.column()?;
    snapshot.cause = r.column()?;
    snapshot.disposal = r.column()?;
    let s = &*snapshot;
    let lengths = [
        s.court.len(),
        s.type_code.len(),
        s.type_name.len(),
        s.procedure.len(),
        s.filed.len(),
        s.closed.len(),
        s.received.len(),
        s.closing_mode.len(),
        s.division.len(),
        s.judge.len(),
        s.claim.len(),
        s.recovered.len(),
        s.flags.len(),
        s.net_duration.len(),
        s.static_deadline.len(),
        s.settled_from.len(),
        s.months.len(),
        s.appeal_known.len(),
        s.reversed_at.len(),
        s.origin.len(),
        s.cause.len(),
        s.disposal.len(),
    ];
    lengths.iter().all(|&len| len == n).then_some(())?;
    // Every interned id names a string: a damaged cache is rebuilt, never read out of bounds.
    let names = s.names.len() as u32;
    let courts = s.court_codes.len() as u32;
    let named = [
        &s.type_name,
        &s.division,
        &s.judge,
        &s.origin,
        &s.cause,
        &s.disposal,
    ];
    (named
        .iter()
        .all(|column| column.iter().all(|&id| id < names))
        && s.court.iter().all(|&id| id < courts))
    .then_some(())
}
