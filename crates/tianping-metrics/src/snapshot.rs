//! The in-memory columnar snapshot of cases the indicator engine reads.
//!
//! One row per case, one vector per column; dates as day numbers (`i32`, days since 1970-01-01);
//! strings interned. Everything that does not depend on the question asked — the deadline and
//! net duration of a closed case, the month thresholds of long pending, the first date an
//! appeal or a reversal became known — is computed once when a case enters the snapshot, with the
//! domain's time-limit engine. A long-running server keeps the snapshot and applies the rows an
//! import changed ([`Snapshot::apply`]), without a full reload.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use tianping_domain::calendar::HolidayCalendar;
use tianping_domain::dates::{add_months, from_day_number, to_day_number};
use tianping_domain::time_limit::{
    AppealObject, Limit, LimitSettings, Procedure, Timing, compute_deadline, evaluate,
};
use tianping_domain::{
    CaseRecord, ClosingMode, CourtRecord, CourtTable, EventKind, EventRecord, Instance, TypeCode,
};

/// "No date": pending cases' closing date, missing received dates, unknown outcomes.
pub const NEVER: i32 = i32::MAX;
pub const NO_TYPE: u16 = u16::MAX;
pub const NO_MODE: u8 = u8::MAX;
/// Interned "no value" (no division, no judge).
pub const NONE_ID: u32 = 0;

/// See [`Snapshot::kind_matcher`].
pub(crate) struct KindMatcher {
    /// The wanted type code's index; an unknown code matches nothing.
    type_code: Option<u16>,
    /// Per name id: whether that name is a cause containing the wanted text.
    causes: Option<Vec<bool>>,
}

impl KindMatcher {
    pub(crate) fn admits(&self, snapshot: &Snapshot, i: usize) -> bool {
        self.type_code.is_none_or(|t| snapshot.type_code[i] == t)
            && self
                .causes
                .as_ref()
                .is_none_or(|c| c.get(snapshot.cause[i] as usize).copied().unwrap_or(false))
    }
}

pub(crate) mod flag {
    pub const FOREIGN_RELATED: u16 = 1;
    /// The case has a time limit (a rule, and not exempt).
    pub const LIMITED: u16 = 1 << 1;
    pub const HAS_EVENTS: u16 = 1 << 2;
    pub const CLOSED_WITHIN: u16 = 1 << 3;
    pub const CLOSED_WITHIN_NORMAL: u16 = 1 << 4;
    pub const CLOSED_EXTENDED: u16 = 1 << 5;
    pub const LONGER_LIMIT: u16 = 1 << 6;
    pub const RULING_APPEAL: u16 = 1 << 7;
    pub const HAS_RECEIVED: u16 = 1 << 8;
    /// A claim amount (诉讼标的额) is recorded (it may be zero).
    pub const HAS_CLAIM: u16 = 1 << 9;
    /// A recovered amount (执行到位金额) is recorded (it may be zero).
    pub const HAS_RECOVERED: u16 = 1 << 10;
}

/// Every case number in one string with the end offset of each: a million numbers in two
/// allocations, read back from a cache in one copy.
#[derive(Debug, Clone, Default)]
pub struct CaseNumbers {
    pub(crate) text: String,
    pub(crate) ends: Vec<u32>,
}

impl CaseNumbers {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    pub fn push(&mut self, number: &str) {
        self.text.push_str(number);
        self.ends.push(self.text.len() as u32);
    }

    fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * 4
    }

    /// Numbers read from a cache: `None` unless the ends are in order, on character
    /// boundaries, and end with the text.
    pub(crate) fn from_parts(text: String, ends: Vec<u32>) -> Option<CaseNumbers> {
        let in_order = ends.windows(2).all(|w| w[0] <= w[1]);
        let whole = ends
            .last()
            .map_or(text.is_empty(), |&e| e as usize == text.len());
        let boundaries = ends.iter().all(|&e| text.is_char_boundary(e as usize));
        (in_order && whole && boundaries).then_some(CaseNumbers { text, ends })
    }
}

/// Strings stored once, referred to by number; 0 is "none". The strings lie end to end in one
/// text (as [`CaseNumbers`]): a cache of 300,000 judges' names and origin case numbers reads
/// back in one copy instead of 600,000 allocations.
#[derive(Debug, Clone)]
pub struct Interner {
    values: CaseNumbers,
    /// Built on first use: a snapshot read from its cache that only answers questions never
    /// needs it (and a million-entry map costs a tenth of a second to build). It holds ids
    /// only (4 bytes a string), compared through `values`.
    ids: std::sync::OnceLock<TextIndex>,
}

impl Default for Interner {
    fn default() -> Self {
        let mut values = CaseNumbers::default();
        values.push("");
        Interner {
            values,
            ids: std::sync::OnceLock::new(),
        }
    }
}

impl Interner {
    fn ids(&self) -> &TextIndex {
        self.ids
            .get_or_init(|| TextIndex::build(&self.values, 1..self.values.len()))
    }

    pub fn intern(&mut self, value: Option<&str>) -> u32 {
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            return NONE_ID;
        };
        if let Some(id) = self.ids().find(&self.values, value) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(value);
        let values = &self.values;
        self.ids.get_mut().expect("built above").insert(values, id);
        id
    }

    /// The strings from a cache: the text end to end and the end of each (the first, empty,
    /// included); `None` when they do not fit together.
    pub(crate) fn from_parts(text: String, ends: Vec<u32>) -> Option<Interner> {
        let values = CaseNumbers::from_parts(text, ends)?;
        (!values.is_empty() && values.get(0).is_empty()).then_some(Interner {
            values,
            ids: std::sync::OnceLock::new(),
        })
    }

    /// The text end to end and the end of each string, as [`Interner::from_parts`] takes them.
    pub(crate) fn parts(&self) -> (&str, &[u32]) {
        (&self.values.text, &self.values.ends)
    }

    pub fn get(&self, id: u32) -> &str {
        self.values.get(id as usize)
    }

    pub fn lookup(&self, value: &str) -> Option<u32> {
        self.ids().find(&self.values, value)
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.len() <= 1
    }

    fn heap_bytes(&self) -> usize {
        self.values.heap_bytes() + self.ids.get().map_or(0, TextIndex::heap_bytes)
    }
}

/// A hash index of strings kept elsewhere ([`CaseNumbers`]): the table holds only each string's
/// position (4 bytes and a control byte a slot) and compares through the text. A map from owned
/// strings would hold every case number a second time (about 70 bytes a case).
#[derive(Debug, Clone, Default)]
pub(crate) struct TextIndex {
    table: hashbrown::HashTable<u32>,
}

fn text_hash(text: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(text)
}

impl TextIndex {
    fn build(values: &CaseNumbers, ids: std::ops::Range<usize>) -> TextIndex {
        let mut index = TextIndex {
            table: hashbrown::HashTable::with_capacity(ids.len()),
        };
        for id in ids {
            index.insert(values, id as u32);
        }
        index
    }

    fn find(&self, values: &CaseNumbers, text: &str) -> Option<u32> {
        self.table
            .find(text_hash(text), |&id| values.get(id as usize) == text)
            .copied()
    }

    /// Add string `id` of `values` (not already indexed).
    fn insert(&mut self, values: &CaseNumbers, id: u32) {
        self.table
            .insert_unique(text_hash(values.get(id as usize)), id, |&other| {
                text_hash(values.get(other as usize))
            });
    }

    fn heap_bytes(&self) -> usize {
        self.table.capacity() * 5
    }
}

/// The snapshot. Columns are public to the crate's engine; use the methods from outside.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub(crate) calendar: Arc<HolidayCalendar>,
    pub(crate) settings: LimitSettings,
    pub(crate) courts: CourtTable,
    /// Court codes of cases and of the court table, interned.
    pub(crate) court_codes: Interner,
    /// For each interned court: the interned ids of the court and its ancestors.
    pub(crate) court_ancestors: Vec<Vec<u32>>,
    pub(crate) names: Interner,

    pub(crate) case_numbers: CaseNumbers,
    /// Case number -> row, built on first use (a process that only counts never needs it).
    pub(crate) by_number: std::sync::OnceLock<TextIndex>,
    pub(crate) court: Vec<u32>,
    pub(crate) type_code: Vec<u16>,
    /// Foreign layouts' case types, interned in `names`.
    pub(crate) type_name: Vec<u32>,
    pub(crate) procedure: Vec<u8>,
    pub(crate) filed: Vec<i32>,
    pub(crate) closed: Vec<i32>,
    pub(crate) received: Vec<i32>,
    pub(crate) closing_mode: Vec<u8>,
    pub(crate) division: Vec<u32>,
    pub(crate) judge: Vec<u32>,
    pub(crate) claim: Vec<i64>,
    pub(crate) recovered: Vec<i64>,
    pub(crate) flags: Vec<u16>,
    /// Closed cases: closed − filed − deducted days.
    pub(crate) net_duration: Vec<i32>,
    /// The deadline once every event has happened (see `settled_from`), for a question asked
    /// while the case was pending; [`NEVER`] while a deduction is open (the deadline
    /// still moves) and for cases without a limit.
    pub(crate) static_deadline: Vec<i32>,
    /// The first `to` for which `static_deadline` holds (its last event's date).
    pub(crate) settled_from: Vec<i32>,
    /// add_months(filed, 6 / 12 / 18 / 36).
    pub(crate) months: Vec<[i32; 4]>,
    /// The first date an appeal against this case is known (上诉 event, or a second-instance
    /// case naming it as origin).
    pub(crate) appeal_known: Vec<i32>,
    /// The first date a second-instance case on this case closed with 改判 or 发回重审.
    pub(crate) reversed_at: Vec<i32>,
    /// The origin case (原审案号) as written, interned in `names`.
    pub(crate) origin: Vec<u32>,
    /// 案由 and 裁判结果 as written, interned in `names` (for the case page; no indicator
    /// reads them).
    pub(crate) cause: Vec<u32>,
    pub(crate) disposal: Vec<u32>,
    /// Each case's events in the store's order ([`EventRecord::store_order`]).
    pub(crate) events: HashMap<u32, Vec<EventRecord>>,
    /// The time-limit facts of cases with events, kept for the questions that must recompute
    /// a case's deadline at their own date (the case was pending then).
    pub(crate) event_facts: HashMap<u32, tianping_domain::time_limit::CaseFacts>,
}

/// Closing modes and procedures as small numbers.
fn mode_index(mode: Option<ClosingMode>) -> u8 {
    mode.and_then(|m| ClosingMode::ALL.iter().position(|x| *x == m))
        .map_or(NO_MODE, |i| i as u8)
}

pub(crate) fn mode_of(index: u8) -> Option<ClosingMode> {
    ClosingMode::ALL.get(index as usize).copied()
}

fn procedure_index(p: Option<Procedure>) -> u8 {
    p.and_then(|p| Procedure::ALL.iter().position(|x| *x == p))
        .map_or(u8::MAX, |i| i as u8)
}

fn procedure_of(index: u8) -> Option<Procedure> {
    Procedure::ALL.get(index as usize).copied()
}

fn day(date: chrono::NaiveDate) -> i32 {
    to_day_number(date)
}

impl Snapshot {
    /// An empty snapshot over a court table.
    pub fn new(
        courts: &[CourtRecord],
        calendar: Arc<HolidayCalendar>,
        settings: LimitSettings,
    ) -> Snapshot {
        let mut snapshot = Snapshot {
            calendar,
            settings,
            courts: CourtTable::new(),
            court_codes: Interner::default(),
            court_ancestors: vec![Vec::new()],
            names: Interner::default(),
            case_numbers: CaseNumbers::default(),
            by_number: std::sync::OnceLock::new(),
            court: Vec::new(),
            type_code: Vec::new(),
            type_name: Vec::new(),
            procedure: Vec::new(),
            filed: Vec::new(),
            closed: Vec::new(),
            received: Vec::new(),
            closing_mode: Vec::new(),
            division: Vec::new(),
            judge: Vec::new(),
            claim: Vec::new(),
            recovered: Vec::new(),
            flags: Vec::new(),
            net_duration: Vec::new(),
            static_deadline: Vec::new(),
            settled_from: Vec::new(),
            months: Vec::new(),
            appeal_known: Vec::new(),
            reversed_at: Vec::new(),
            origin: Vec::new(),
            cause: Vec::new(),
            disposal: Vec::new(),
            events: HashMap::default(),
            event_facts: HashMap::default(),
        };
        snapshot.set_courts(courts);
        snapshot
    }

    /// Build from everything the store holds.
    pub fn build(
        courts: &[CourtRecord],
        cases: &[CaseRecord],
        events: &[EventRecord],
        calendar: Arc<HolidayCalendar>,
        settings: LimitSettings,
    ) -> Snapshot {
        let mut snapshot = Snapshot::new(courts, calendar, settings);
        snapshot.apply(cases, events);
        snapshot
    }

    /// Replace the court table (hierarchy changes re-derive every court's ancestors).
    pub fn set_courts(&mut self, courts: &[CourtRecord]) {
        self.courts = CourtTable::from_records(courts.iter().cloned());
        for c in courts {
            self.court_codes.intern(Some(&c.code));
        }
        self.court_ancestors = vec![Vec::new(); self.court_codes.len()];
        for id in 1..self.court_codes.len() as u32 {
            self.derive_ancestors(id);
        }
    }

    fn derive_ancestors(&mut self, id: u32) {
        let code = self.court_codes.get(id).to_owned();
        let chain: Vec<u32> = self
            .courts
            .ancestors(&code)
            .iter()
            .map(|c| self.court_codes.intern(Some(c)))
            .collect();
        if self.court_ancestors.len() < self.court_codes.len() {
            self.court_ancestors
                .resize(self.court_codes.len(), Vec::new());
        }
        self.court_ancestors[id as usize] = chain;
    }

    pub(crate) fn rederive_ancestors(&mut self, id: u32) {
        self.derive_ancestors(id);
    }

    /// The lookup structures a cache does not carry. The case-number index is rebuilt when an
    /// import is first applied (`apply`): a process that only asks questions never needs it.
    /// The time-limit facts of cases with events are not precomputed either: a question
    /// computes those of the few cases it needs ([`Snapshot::precompute_event_facts`] keeps
    /// them all, for a server that answers many questions).
    pub(crate) fn rebuild_indexes(&mut self) {
        self.by_number = std::sync::OnceLock::new();
        self.event_facts.clear();
    }

    /// Keep the time-limit facts of every case with events, so that questions do not
    /// recompute them (a long-running server; a snapshot built from records has them).
    pub fn precompute_event_facts(&mut self) {
        let with_events: Vec<u32> = self.events.keys().copied().collect();
        for i in with_events {
            let facts = self.facts(i as usize);
            self.event_facts.insert(i, facts);
        }
    }

    fn court_id(&mut self, code: &str) -> u32 {
        let before = self.court_codes.len();
        let id = self.court_codes.intern(Some(code));
        if self.court_codes.len() > before {
            self.derive_ancestors(id);
            // New ancestors interned on the way need their own chains.
            for other in before as u32..self.court_codes.len() as u32 {
                if self.court_ancestors[other as usize].is_empty() {
                    self.derive_ancestors(other);
                }
            }
        }
        id
    }

    pub fn len(&self) -> usize {
        self.case_numbers.len()
    }

    /// A filter by type code (类型代字, exact) and cause (案由, any part of it), built once per
    /// question: the causes are matched once per distinct name, not once per case.
    pub(crate) fn kind_matcher(&self, type_code: Option<&str>, cause: Option<&str>) -> KindMatcher {
        let type_code = type_code
            .map(|code| TypeCode::lookup(code.trim()).map_or(NO_TYPE - 1, TypeCode::index));
        let causes = cause.map(str::trim).filter(|c| !c.is_empty()).map(|text| {
            (0..self.names.len() as u32)
                .map(|id| id != NONE_ID && self.names.get(id).contains(text))
                .collect()
        });
        KindMatcher { type_code, causes }
    }

    pub fn is_empty(&self) -> bool {
        self.case_numbers.is_empty()
    }

    pub fn court_table(&self) -> &CourtTable {
        &self.courts
    }

    /// Upsert cases and add events (an import's changes). Derived columns of the touched cases,
    /// and of the cases they are linked to, are recomputed.
    pub fn apply(&mut self, cases: &[CaseRecord], events: &[EventRecord]) {
        let mut touched = self.upsert_cases(cases);
        touched.extend(self.add_events(events));
        touched.sort_unstable();
        touched.dedup();
        for &i in &touched {
            self.derive(i as usize);
        }
        self.relink(&touched);
    }

    /// Give the events read from a cache their case numbers (a process that only asks
    /// questions never needs them; one that adds events compares them).
    fn name_events(&mut self) {
        for (&i, list) in self.events.iter_mut() {
            if list.first().is_some_and(|e| e.case_number.is_empty()) {
                let number = self.case_numbers.get(i as usize);
                for event in list.iter_mut() {
                    event.case_number = number.to_owned();
                }
            }
        }
    }

    /// Upsert cases without deriving anything; their rows.
    fn upsert_cases<'c>(&mut self, cases: impl IntoIterator<Item = &'c CaseRecord>) -> Vec<u32> {
        self.name_events();
        cases
            .into_iter()
            .map(|case| self.upsert_case(case))
            .collect()
    }

    /// Add the events not there yet; the rows of the cases that gained one.
    fn add_events(&mut self, events: &[EventRecord]) -> Vec<u32> {
        self.name_events();
        let mut touched = Vec::new();
        for event in events {
            let Some(i) = self.find(&event.case_number) else {
                continue;
            };
            let list = self.events.entry(i as u32).or_default();
            if !list.contains(event) {
                list.push(event.clone());
                list.sort_by(EventRecord::store_order);
                touched.push(i as u32);
            }
        }
        touched
    }

    fn upsert_case(&mut self, case: &CaseRecord) -> u32 {
        let court = self.court_id(&case.court_code);
        let type_name = self.names.intern(case.type_name.as_deref());
        let division = self.names.intern(case.division.as_deref());
        let judge = self.names.intern(case.judge.as_deref());
        let origin = self.names.intern(case.origin_case_number.as_deref());
        let mut flags = 0;
        if case.foreign_related {
            flags |= flag::FOREIGN_RELATED;
        }
        if case.longer_limit {
            flags |= flag::LONGER_LIMIT;
        }
        if case.appeal_object == AppealObject::Ruling {
            flags |= flag::RULING_APPEAL;
        }
        if case.received_date.is_some() {
            flags |= flag::HAS_RECEIVED;
        }
        let cause = self.names.intern(case.cause.as_deref());
        let disposal = self.names.intern(case.disposal.as_deref());
        if case.claim_amount.is_some() {
            flags |= flag::HAS_CLAIM;
        }
        if case.recovered_amount.is_some() {
            flags |= flag::HAS_RECOVERED;
        }
        let i = match self.find(&case.case_number) {
            Some(i) => i,
            None => {
                let i = self.case_numbers.len();
                self.case_numbers.push(&case.case_number);
                let numbers = &self.case_numbers;
                self.by_number
                    .get_mut()
                    .expect("built by find")
                    .insert(numbers, i as u32);
                self.cause.push(NONE_ID);
                self.disposal.push(NONE_ID);
                self.court.push(0);
                self.type_code.push(NO_TYPE);
                self.type_name.push(NONE_ID);
                self.procedure.push(u8::MAX);
                self.filed.push(0);
                self.closed.push(NEVER);
                self.received.push(NEVER);
                self.closing_mode.push(NO_MODE);
                self.division.push(NONE_ID);
                self.judge.push(NONE_ID);
                self.claim.push(0);
                self.recovered.push(0);
                self.flags.push(0);
                self.net_duration.push(0);
                self.static_deadline.push(NEVER);
                self.settled_from.push(NEVER);
                self.months.push([0; 4]);
                self.appeal_known.push(NEVER);
                self.reversed_at.push(NEVER);
                self.origin.push(NONE_ID);
                i
            }
        };
        self.court[i] = court;
        self.type_code[i] = case.type_code.map_or(NO_TYPE, TypeCode::index);
        self.type_name[i] = type_name;
        self.procedure[i] = procedure_index(case.procedure);
        self.filed[i] = day(case.filed_date);
        self.closed[i] = case.closed_date.map_or(NEVER, day);
        self.received[i] = case.received_date.map_or(NEVER, day);
        self.closing_mode[i] = mode_index(case.closing_mode);
        self.division[i] = division;
        self.judge[i] = judge;
        self.claim[i] = case.claim_amount.map_or(0, |m| m.fen());
        self.recovered[i] = case.recovered_amount.map_or(0, |m| m.fen());
        // Keep the event flag; everything else derived is recomputed in `derive`.
        self.flags[i] = flags | (self.flags[i] & flag::HAS_EVENTS);
        self.origin[i] = origin;
        self.cause[i] = cause;
        self.disposal[i] = disposal;
        i as u32
    }

    /// The row of a case number as stored (normalized), if the snapshot holds it.
    pub fn find(&self, case_number: &str) -> Option<usize> {
        self.by_number
            .get_or_init(|| TextIndex::build(&self.case_numbers, 0..self.case_numbers.len()))
            .find(&self.case_numbers, case_number)
            .map(|i| i as usize)
    }

    /// The case of row `i` as the store holds it (every field of the record).
    pub fn record(&self, i: usize) -> CaseRecord {
        let name = |id: u32| (id != NONE_ID).then(|| self.names.get(id).to_owned());
        let date = |d: i32| (d != NEVER).then(|| from_day_number(d));
        let flags = self.flags[i];
        CaseRecord {
            case_number: self.case_numbers.get(i).to_owned(),
            court_code: self.court_codes.get(self.court[i]).to_owned(),
            type_code: TypeCode::from_index(self.type_code[i]),
            type_name: name(self.type_name[i]),
            procedure: procedure_of(self.procedure[i]),
            cause: name(self.cause[i]),
            received_date: date(self.received[i]),
            filed_date: from_day_number(self.filed[i]),
            division: name(self.division[i]),
            judge: name(self.judge[i]),
            closed_date: date(self.closed[i]),
            closing_mode: mode_of(self.closing_mode[i]),
            disposal: name(self.disposal[i]),
            claim_amount: (flags & flag::HAS_CLAIM != 0)
                .then(|| tianping_domain::Money(self.claim[i])),
            recovered_amount: (flags & flag::HAS_RECOVERED != 0)
                .then(|| tianping_domain::Money(self.recovered[i])),
            origin_case_number: name(self.origin[i]),
            foreign_related: flags & flag::FOREIGN_RELATED != 0,
            longer_limit: flags & flag::LONGER_LIMIT != 0,
            appeal_object: if flags & flag::RULING_APPEAL != 0 {
                AppealObject::Ruling
            } else {
                AppealObject::Judgment
            },
        }
    }

    /// The events of row `i` in the store's order ([`EventRecord::store_order`]), each with
    /// its case number.
    pub fn events_of(&self, i: usize) -> Vec<EventRecord> {
        let number = self.case_numbers.get(i);
        self.events
            .get(&(i as u32))
            .into_iter()
            .flatten()
            .map(|e| EventRecord {
                case_number: number.to_owned(),
                ..e.clone()
            })
            .collect()
    }

    /// The case's timing at `as_of` by the domain's engine (what a case page explains).
    pub fn timing(&self, i: usize, as_of: chrono::NaiveDate) -> Timing {
        evaluate(&self.facts(i), as_of, &self.calendar, &self.settings)
    }

    /// The holiday calendar the snapshot's deadlines were computed on.
    pub fn calendar(&self) -> &HolidayCalendar {
        &self.calendar
    }

    /// The time-limit settings the snapshot's deadlines were computed with.
    pub fn limit_settings(&self) -> &LimitSettings {
        &self.settings
    }

    /// The default as-of date of every list and page: today, or the last day the data knows of
    /// when the data stops earlier (a demo, an old export), so that a list is never of a day
    /// the data cannot speak for.
    pub fn reference_date(&self, today: chrono::NaiveDate) -> chrono::NaiveDate {
        reference_date(self.latest_date(), today)
    }

    /// The latest filing or closing date of any case: the day the data stops.
    pub fn latest_date(&self) -> Option<chrono::NaiveDate> {
        let filed = self.filed.iter().copied().max();
        let closed = self.closed.iter().copied().filter(|&d| d != NEVER).max();
        filed.max(closed).map(from_day_number)
    }

    /// The case as the time-limit engine sees it.
    pub(crate) fn facts(&self, i: usize) -> tianping_domain::time_limit::CaseFacts {
        let rule = TypeCode::from_index(self.type_code[i]).and_then(TypeCode::time_limit_rule);
        let mut facts =
            tianping_domain::time_limit::CaseFacts::new(rule, from_day_number(self.filed[i]));
        facts.procedure = procedure_of(self.procedure[i]);
        facts.foreign_related = self.flags[i] & flag::FOREIGN_RELATED != 0;
        facts.longer_limit = self.flags[i] & flag::LONGER_LIMIT != 0;
        if self.flags[i] & flag::RULING_APPEAL != 0 {
            facts.appeal_object = AppealObject::Ruling;
        }
        facts.closed = (self.closed[i] != NEVER).then(|| from_day_number(self.closed[i]));
        if let Some(events) = self.events.get(&(i as u32)) {
            let record = CaseRecord {
                case_number: String::new(),
                court_code: String::new(),
                type_code: None,
                type_name: None,
                procedure: None,
                cause: None,
                received_date: None,
                filed_date: facts.filed,
                division: None,
                judge: None,
                closed_date: None,
                closing_mode: None,
                disposal: None,
                claim_amount: None,
                recovered_amount: None,
                origin_case_number: None,
                foreign_related: false,
                longer_limit: false,
                appeal_object: AppealObject::Judgment,
            };
            let from_events = record.facts(events.iter());
            facts.extensions = from_events.extensions;
            facts.deductions = from_events.deductions;
            facts.procedure_changes = from_events.procedure_changes;
        }
        facts
    }

    /// Recompute the derived columns of case `i`.
    fn derive(&mut self, i: usize) {
        let has_events = self.events.get(&(i as u32)).is_some_and(|e| !e.is_empty());
        let mut flags = self.flags[i]
            & !(flag::HAS_EVENTS
                | flag::LIMITED
                | flag::CLOSED_WITHIN
                | flag::CLOSED_WITHIN_NORMAL
                | flag::CLOSED_EXTENDED);
        if has_events {
            flags |= flag::HAS_EVENTS;
        }
        self.flags[i] = flags;
        let filed = from_day_number(self.filed[i]);
        self.months[i] = [6, 12, 18, 36].map(|m| day(add_months(filed, m)));

        let facts = self.facts(i);
        // A case's deadline, asked for at a date it was pending, depends on that date only
        // until its last event: from then on (with no deduction left open) it is fixed,
        // because `compute_deadline` counts the events up to its cut-off and nothing else. Keep
        // it, and the date from which it holds; questions about earlier dates compute it from
        // the events. This holds for cases closed since, too: most questions about past periods
        // ask about cases that were pending then.
        let settled_from = if facts.deductions.iter().any(|d| d.end.is_none()) {
            None
        } else {
            let last_event = facts
                .extensions
                .iter()
                .map(|e| e.approved)
                .chain(facts.deductions.iter().filter_map(|d| d.end))
                .chain(facts.procedure_changes.iter().map(|c| c.decided))
                .max();
            Some(last_event.unwrap_or(facts.filed).max(facts.filed))
        };
        // A closed case's deadline is the one at its closing date, which `evaluate` computes
        // below anyway: computed once (most cases are closed; this is most of an import's
        // case-book time).
        let closed_timing = facts
            .closed
            .map(|closed| evaluate(&facts, closed, &self.calendar, &self.settings));
        let limit = match &closed_timing {
            Some(Timing::Closed { limit, .. }) => limit.clone(),
            _ => {
                let cutoff = facts.closed.or(settled_from).unwrap_or(facts.filed);
                compute_deadline(&facts, cutoff, &self.calendar, &self.settings)
            }
        };
        // Every case with events: a case closed later is pending for questions asked earlier.
        if has_events {
            self.event_facts.insert(i as u32, facts.clone());
        } else {
            self.event_facts.remove(&(i as u32));
        }
        self.static_deadline[i] = NEVER;
        self.settled_from[i] = NEVER;
        if let Limit::Some(deadline) = &limit {
            self.flags[i] |= flag::LIMITED;
            if let Some(from) = settled_from {
                self.static_deadline[i] = day(deadline.deadline);
                self.settled_from[i] = day(from);
            }
        }
        if let Some(timing) = closed_timing {
            match timing {
                Timing::Closed {
                    within_limit,
                    within_normal_limit,
                    net_duration_days,
                    limit,
                    ..
                } => {
                    if within_limit == Some(true) {
                        self.flags[i] |= flag::CLOSED_WITHIN;
                    }
                    if within_normal_limit == Some(true) {
                        self.flags[i] |= flag::CLOSED_WITHIN_NORMAL;
                    }
                    if limit.deadline().is_some_and(|d| d.extended()) {
                        self.flags[i] |= flag::CLOSED_EXTENDED;
                    }
                    self.net_duration[i] = net_duration_days as i32;
                }
                _ => self.net_duration[i] = self.closed[i] - self.filed[i],
            }
        }
        // Appeals recorded as events on the case itself.
        self.appeal_known[i] = self
            .events
            .get(&(i as u32))
            .into_iter()
            .flatten()
            .filter(|e| e.kind == EventKind::Appeal)
            .map(|e| day(e.date))
            .min()
            .unwrap_or(NEVER);
        self.reversed_at[i] = NEVER;
    }

    /// Re-derive the appeal and reversal dates of every case linked to the touched ones.
    fn relink(&mut self, touched: &[u32]) {
        if touched.is_empty() {
            return;
        }
        // Which origins to recompute: the origins of touched second-instance cases, and touched
        // cases themselves (they may have gained children earlier).
        let mut origins: Vec<u32> = Vec::new();
        for &i in touched {
            origins.push(i);
            if let Some(o) = self.origin_index(i as usize) {
                origins.push(o);
            }
        }
        origins.sort_unstable();
        origins.dedup();
        // A flag per row, not a hash set: an import touches up to every row.
        let mut wanted = vec![false; self.len()];
        for &o in &origins {
            wanted[o as usize] = true;
        }
        // Reset the link-derived part to the case's own appeal events.
        for &o in &origins {
            let own = self
                .events
                .get(&o)
                .into_iter()
                .flatten()
                .filter(|e| e.kind == EventKind::Appeal)
                .map(|e| day(e.date))
                .min()
                .unwrap_or(NEVER);
            self.appeal_known[o as usize] = own;
            self.reversed_at[o as usize] = NEVER;
        }
        // A full pass over cases with an origin: cheap (a few integer compares per case).
        for child in 0..self.len() {
            if self.origin[child] == NONE_ID || !self.is_second_instance(child) {
                continue;
            }
            let Some(o) = self.origin_index(child) else {
                continue;
            };
            if !wanted[o as usize] {
                continue;
            }
            let o = o as usize;
            self.appeal_known[o] = self.appeal_known[o].min(self.filed[child]);
            if matches!(
                mode_of(self.closing_mode[child]),
                Some(ClosingMode::Amended | ClosingMode::Remanded)
            ) {
                self.reversed_at[o] = self.reversed_at[o].min(self.closed[child]);
            }
        }
    }

    fn origin_index(&self, i: usize) -> Option<u32> {
        let origin = self.origin[i];
        (origin != NONE_ID)
            .then(|| self.find(self.names.get(origin)).map(|i| i as u32))
            .flatten()
    }

    fn is_second_instance(&self, i: usize) -> bool {
        TypeCode::from_index(self.type_code[i]).is_some_and(|t| t.instance() == Instance::Second)
    }

    /// Whether court `court` lies within the court whose interned id is `scope`.
    ///
    /// (Kept here, beside the columns it reads.)
    pub(crate) fn court_within(&self, court: u32, scope: u32) -> bool {
        self.court_ancestors[court as usize].contains(&scope)
    }

    /// The interned id of a court code, if any case or court has it.
    pub fn court_lookup(&self, code: &str) -> Option<u32> {
        self.court_codes.lookup(code)
    }

    /// Whether a court code names a court the data knows: one of the court table, or one a
    /// case names (with the courts above it by its code). A well-formed code of no such court
    /// (鲁9999) is unknown: a question about it is an error, not an empty answer.
    pub fn knows_court(&self, code: &str) -> bool {
        self.courts.get(code).is_some() || self.court_lookup(code).is_some()
    }

    /// Bytes the case columns take (not counting the court table), for the benchmark's
    /// memory-per-case figure.
    pub fn heap_bytes(&self) -> usize {
        let n = self.len();
        let per_case =
            4 * 2 + 2 + 4 + 1 + 4 * 3 + 1 + 4 * 2 + 8 * 2 + 2 + 4 + 4 + 4 + 16 + 4 * 2 + 4 + 4 * 2;
        let numbers = self.case_numbers.heap_bytes() + self.names.heap_bytes();
        let index = self.by_number.get().map_or(0, TextIndex::heap_bytes);
        let events: usize = self
            .events
            .values()
            .map(|v| v.len() * std::mem::size_of::<EventRecord>() + 32)
            .sum();
        n * per_case + numbers + index + events
    }
}

/// The default as-of date given the last day the data knows (see [`Snapshot::reference_date`]).
pub fn reference_date(
    latest: Option<chrono::NaiveDate>,
    today: chrono::NaiveDate,
) -> chrono::NaiveDate {
    latest.map_or(today, |latest| latest.min(today))
}

/// A case book filled while an import writes its rows: the cases are added chunk by chunk (on
/// the import's reading thread, which would otherwise wait for the writer), their derived
/// columns computed as they come; the links between cases (appeals, reversals) and the court
/// table once at the end ([`CaseBookBuilder::finish`]). The result equals
/// [`Snapshot::apply`] of the same rows.
#[derive(Debug)]
pub struct CaseBookBuilder {
    snapshot: Snapshot,
    touched: Vec<u32>,
}

impl CaseBookBuilder {
    /// Start from the case book of the data before the import.
    pub fn new(snapshot: Snapshot) -> CaseBookBuilder {
        CaseBookBuilder {
            snapshot,
            touched: Vec::new(),
        }
    }

    /// Add written case rows (derived at once; linked at the end).
    pub fn add_cases<'c>(&mut self, cases: impl IntoIterator<Item = &'c CaseRecord>) {
        let rows = self.snapshot.upsert_cases(cases);
        for &i in &rows {
            self.snapshot.derive(i as usize);
        }
        self.touched.extend(rows);
    }

    /// Add written events (the cases they touch are derived again at the end).
    pub fn add_events(&mut self, events: &[EventRecord]) {
        let rows = self.snapshot.add_events(events);
        self.touched.extend(rows);
    }

    /// The case book of the data after the import, with the store's whole court table.
    pub fn finish(mut self, courts: &[CourtRecord]) -> Snapshot {
        self.snapshot.set_courts(courts);
        let mut touched = std::mem::take(&mut self.touched);
        touched.sort_unstable();
        touched.dedup();
        // Events added after their case was derived: derive those again (cheap: few).
        let with_events: Vec<u32> = touched
            .iter()
            .copied()
            .filter(|i| self.snapshot.events.contains_key(i))
            .collect();
        for i in with_events {
            self.snapshot.derive(i as usize);
        }
        self.snapshot.relink(&touched);
        self.snapshot
    }
}
