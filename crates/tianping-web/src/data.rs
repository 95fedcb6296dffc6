//! The case data the server holds: the case book (the metrics crate's [`Snapshot`], the one
//! in-memory representation of every case) and a cache of answers, kept current with the
//! store's changes.
//!
//! Handlers reach the cases only through [`Data::scoped`], which takes the [`CourtScope`] the
//! request was authorized for: there is no unscoped question. Answers that take a pass over the
//! data are cached for the data's version (a new version is a new `Data`, with an empty cache).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use tianping_domain::calendar::HolidayCalendar;
use tianping_domain::time_limit::{LimitSettings, Timing};
use tianping_domain::{CaseRecord, CourtTable, EventRecord};
use tianping_metrics::deadlines::{DeadlineRow, StatusFilter};
use tianping_metrics::indicators::QueryError;
use tianping_metrics::signals::SignalRow;
use tianping_metrics::{DeadlineFilter, GroupBy, IndicatorRow, ScopedCases, Snapshot};
use tianping_store::{Changes, DatabaseUrl, Store, StoreError};

pub use tianping_metrics::{CaseFilter, CaseState};

use crate::WebError;
use crate::scope::CourtScope;

#[derive(Clone)]
enum Cached {
    Indicators(Arc<Vec<IndicatorRow>>),
    Deadlines(Arc<Vec<DeadlineRow>>),
    Monthly(Arc<Vec<(u64, u64)>>),
}

/// The largest number of cached answers kept per data version.
const CACHE_LIMIT: usize = 1024;

pub struct Data {
    version: i64,
    snapshot: Snapshot,
    /// The latest filing or closing date in the data.
    latest: Option<NaiveDate>,
    cache: Mutex<HashMap<String, Cached>>,
}

impl std::fmt::Debug for Data {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Data")
            .field("version", &self.version)
            .field("courts", &self.snapshot.court_table().len())
            .field("cases", &self.snapshot.len())
            .finish_non_exhaustive()
    }
}

impl Data {
    /// The case book of `store` through the same loader as the command line (the cache beside
    /// a SQLite file when it is current).
    pub async fn load(
        store: &dyn Store,
        url: &DatabaseUrl,
        calendar: Arc<HolidayCalendar>,
        settings: LimitSettings,
    ) -> Result<Data, StoreError> {
        let (snapshot, version) =
            tianping_store::case_book::load(store, url, calendar, settings).await?;
        // The case-number index, before the first case page asks. The time-limit facts of the
        // cases with events are not kept (`Snapshot::precompute_event_facts`): a question
        // computes those it needs, its answer is cached, and keeping them all cost a quarter
        // of the server's memory (1.35 million cases: 388 MB resident with them, 292-300 MB
        // without; the first overview took 0.13 s either way).
        let snapshot = tokio::task::spawn_blocking(move || {
            let _ = snapshot.find("");
            snapshot
        })
        .await
        .map_err(|e| StoreError::Corrupt(format!("preparing the case book: {e}")))?;
        Ok(Data::new(version, snapshot))
    }

    /// The data of a case book at `version`.
    pub fn new(version: i64, snapshot: Snapshot) -> Data {
        Data {
            version,
            latest: snapshot.latest_date(),
            snapshot,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Build from records (tests, and a store without a cache).
    pub fn build(
        version: i64,
        courts: Vec<tianping_domain::CourtRecord>,
        cases: Vec<CaseRecord>,
        events: Vec<EventRecord>,
        calendar: Arc<HolidayCalendar>,
        settings: LimitSettings,
    ) -> Data {
        Data::new(
            version,
            Snapshot::build(&courts, &cases, &events, calendar, settings),
        )
    }

    /// A new `Data` with the store's changes applied (incrementally: the snapshot applies only
    /// the changed rows).
    pub fn with_changes(&self, changes: Changes) -> Data {
        let mut snapshot = self.snapshot.clone();
        if let Some(new_courts) = &changes.courts {
            snapshot.set_courts(new_courts);
        }
        snapshot.apply(&changes.cases, &changes.events);
        Data::new(changes.version, snapshot)
    }

    pub fn version(&self) -> i64 {
        self.version
    }

    /// The case book, to write its cache after an import.
    pub(crate) fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The filing date (立案日期) of case `number` in any court. A 委托 mediation's deadlines count
    /// from its case's filing; the date tells nothing else of the case, and the mediation itself
    /// is scope-checked wherever it is shown.
    pub fn filed_date_of(&self, number: &str) -> Option<NaiveDate> {
        let all = tianping_metrics::CaseScope::All;
        let view = self.snapshot.scoped(&all);
        view.find(number).map(|i| view.record(i).filed_date)
    }

    /// The court table (names and hierarchy; not case data, so not scoped).
    pub fn courts(&self) -> &CourtTable {
        self.snapshot.court_table()
    }

    pub fn calendar(&self) -> &HolidayCalendar {
        self.snapshot.calendar()
    }

    pub fn limit_settings(&self) -> &LimitSettings {
        self.snapshot.limit_settings()
    }

    /// The default as-of date of the pages: today, or the last day the data knows of when the
    /// data stops earlier (a demo, an old export).
    pub fn reference_date(&self, today: NaiveDate) -> NaiveDate {
        // The command line's rule, with the data's last day kept at load.
        tianping_metrics::snapshot::reference_date(self.latest, today)
    }

    /// The cases `scope` may see, and every question about them.
    pub fn scoped<'a>(&'a self, scope: &'a CourtScope) -> ScopedData<'a> {
        ScopedData {
            data: self,
            scope,
            cases: self.snapshot.scoped(scope.case_scope()),
        }
    }

    fn cached(&self, key: &str, make: impl FnOnce() -> Cached) -> Cached {
        if let Some(hit) = self.cache.lock().expect("cache lock").get(key) {
            return hit.clone();
        }
        let value = make();
        let mut cache = self.cache.lock().expect("cache lock");
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(key.to_owned(), value.clone());
        value
    }
}

/// The data through one request's scope: what a handler asks its questions of.
#[derive(Debug, Clone, Copy)]
pub struct ScopedData<'a> {
    data: &'a Data,
    scope: &'a CourtScope,
    cases: ScopedCases<'a>,
}

impl<'a> ScopedData<'a> {
    /// The cache key of a question in this scope.
    fn key(&self, question: std::fmt::Arguments<'_>) -> String {
        format!(
            "{question}|{}|{}",
            self.scope.key(),
            self.scope.judge().unwrap_or("")
        )
    }

    /// The indicator engine's rows (a judge's own cases for a judge).
    pub fn indicators(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        as_of: NaiveDate,
        by: GroupBy,
    ) -> Result<Arc<Vec<IndicatorRow>>, WebError> {
        if from > to {
            return Err(WebError::BadRequest(
                QueryError::EmptyPeriod { from, to }.to_string(),
            ));
        }
        let key = self.key(format_args!("ind|{from}|{to}|{as_of}|{}", by.id()));
        let mut error = None;
        let cached = self
            .data
            .cached(&key, || match self.cases.indicators(from, to, as_of, by) {
                Ok(rows) => Cached::Indicators(Arc::new(rows)),
                Err(e) => {
                    error = Some(e);
                    Cached::Indicators(Arc::new(Vec::new()))
                }
            });
        if let Some(e) = error {
            self.data.cache.lock().expect("cache lock").remove(&key);
            return Err(WebError::BadRequest(e.to_string()));
        }
        match cached {
            Cached::Indicators(rows) => Ok(rows),
            _ => Err(WebError::Internal("cache kind".into())),
        }
    }

    /// The deadline list (审限预警): the same rows `tianping deadlines` prints for the same
    /// question (the same function, on the same case book).
    pub fn deadlines(
        &self,
        as_of: NaiveDate,
        status: StatusFilter,
        filter: &DeadlineFilter,
    ) -> Arc<Vec<DeadlineRow>> {
        let key = self.key(format_args!("dl|{as_of}|{status:?}|{filter:?}"));
        let cached = self.data.cached(&key, || {
            Cached::Deadlines(Arc::new(self.cases.deadlines(as_of, status, filter)))
        });
        match cached {
            Cached::Deadlines(rows) => rows,
            _ => Arc::new(Vec::new()),
        }
    }

    /// The year-end filing suppression signal per court. Judges have no court-level view: the
    /// caller refuses them.
    pub fn signals(&self, year: i32) -> Vec<SignalRow> {
        self.cases.signals(year)
    }

    /// Filed and closed counts per month of `year`, up to `through`.
    pub fn monthly_flow(&self, year: i32, through: NaiveDate) -> Arc<Vec<(u64, u64)>> {
        let key = self.key(format_args!("mon|{year}|{through}"));
        let cached = self.data.cached(&key, || {
            Cached::Monthly(Arc::new(self.cases.monthly_flow(year, through)))
        });
        match cached {
            Cached::Monthly(m) => m,
            _ => Arc::new(Vec::new()),
        }
    }

    /// The cases that pass the filter (their rows: [`ScopedData::record`] reads one), newest
    /// filing first, then by case number.
    pub fn cases(&self, filter: &CaseFilter) -> Vec<usize> {
        self.cases.cases(filter)
    }

    /// Pending cases older than `months` months at `as_of` (长期未结), oldest first.
    pub fn long_pending(&self, as_of: NaiveDate, months: u32, filter: &CaseFilter) -> Vec<usize> {
        self.cases.long_pending(as_of, months, filter)
    }

    /// The judges' names of the cases that pass the filter ([`UNASSIGNED`] for cases without
    /// one), each once, sorted.
    pub fn judge_names(&self, filter: &CaseFilter) -> Vec<String> {
        self.cases.judge_names(filter)
    }

    /// The record of a case of the scope by its number (`None` outside the scope).
    pub fn record_of(&self, number: &str) -> Option<CaseRecord> {
        self.cases.find(number).map(|row| self.cases.record(row))
    }

    /// The record of a row [`ScopedData::cases`] or [`ScopedData::long_pending`] returned.
    pub fn record(&self, row: usize) -> CaseRecord {
        self.cases.record(row)
    }

    /// One case, its events and its row; 404 when unknown or outside the scope, with the same
    /// message: a different answer would tell whether another court's case number exists.
    pub fn case(&self, number: &str) -> Result<(CaseRecord, Vec<EventRecord>, usize), WebError> {
        let row = self.cases.find(number).ok_or_else(|| {
            WebError::NotFound(format!("没有案件 {number}，或不在本账号的范围内"))
        })?;
        Ok((self.cases.record(row), self.cases.events_of(row), row))
    }

    /// The case's timing at `as_of` by the domain's engine (what the case page explains).
    pub fn timing(&self, row: usize, as_of: NaiveDate) -> Timing {
        self.cases.timing(row, as_of)
    }

    /// The whole case book for a bulletin of this scope (court-level scopes only: the
    /// bulletin compares a court with its peers).
    pub fn snapshot_for_reports(&self) -> Option<&'a Snapshot> {
        self.cases.snapshot_for_reports()
    }
}

/// The courts of the court table, and those the cases name.
impl crate::scope::Courts for Data {
    fn table(&self) -> &CourtTable {
        self.snapshot.court_table()
    }
    fn knows(&self, code: &str) -> bool {
        self.snapshot.knows_court(code)
    }
}

/// Missing divisions and judges are shown as this (as the indicator engine does).
pub const UNASSIGNED: &str = tianping_metrics::indicators::UNASSIGNED;

#[cfg(test)]
mod tests {
    use super::*;
    use tianping_domain::{CourtLevel, CourtRecord, EventKind};

    fn d(s: &str) -> NaiveDate {
        tianping_domain::dates::parse_date(s).unwrap()
    }

    fn case(number: &str, filed: &str, judge: &str) -> CaseRecord {
        tianping_test_utils::case_of(number, filed, judge, Some("民一庭"))
    }

    fn courts() -> Vec<CourtRecord> {
        vec![
            CourtRecord {
                code: "皖02".into(),
                name: "芜湖市中级人民法院".into(),
                level: CourtLevel::Intermediate,
                parent_code: None,
            },
            CourtRecord {
                code: "皖0202".into(),
                name: "芜湖市镜湖区人民法院".into(),
                level: CourtLevel::Basic,
                parent_code: Some("皖02".into()),
            },
        ]
    }

    fn data() -> Data {
        Data::build(
            1,
            courts(),
            vec![
                case("（2023）皖0202民初1号", "2023-03-15", "张明"),
                case("（2023）皖0202民初2号", "2023-03-25", "李娜"),
            ],
            vec![],
            Arc::new(HolidayCalendar::builtin()),
            LimitSettings::default(),
        )
    }

    fn admin_scope(data: &Data) -> CourtScope {
        let admin = tianping_store::UserRecord {
            username: "a".into(),
            password_hash: String::new(),
            role: tianping_domain::access::Role::Admin,
            court_code: None,
            judge_name: None,
            disabled: false,
            created_at: String::new(),
        };
        crate::scope::authorize(&admin, None, data.courts()).unwrap()
    }

    #[test]
    fn changes_are_applied_incrementally_to_a_copy() {
        let before = data();
        let scope = admin_scope(&before);
        let mut changed = case("（2023）皖0202民初1号", "2023-03-15", "张明");
        changed.closed_date = Some(d("2023-06-01"));
        let after = before.with_changes(Changes {
            version: 2,
            courts: None,
            cases: vec![changed, case("（2023）皖0202民初3号", "2023-04-01", "张明")],
            events: vec![EventRecord {
                case_number: "（2023）皖0202民初2号".into(),
                kind: EventKind::Extension,
                date: d("2023-09-01"),
                end_date: None,
                months: Some(6),
                days: None,
                reason: None,
            }],
        });
        assert_eq!(after.version(), 2);
        assert_eq!(
            before.scoped(&scope).cases(&CaseFilter::default()).len(),
            2,
            "the old data is untouched"
        );
        let after_view = after.scoped(&scope);
        assert_eq!(after_view.cases(&CaseFilter::default()).len(), 3);
        let pending = CaseFilter {
            state: Some(CaseState::Pending),
            ..CaseFilter::default()
        };
        assert_eq!(after_view.cases(&pending).len(), 2);
        let (record, events, _) = after_view.case("(2023)皖0202民初2号").unwrap();
        assert_eq!(record.judge.as_deref(), Some("李娜"));
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].case_number, "（2023）皖0202民初2号");
        // The indicators follow: 2023 filed 3, closed 1.
        let rows = after_view
            .indicators(
                d("2023-01-01"),
                d("2023-12-31"),
                d("2023-12-31"),
                GroupBy::None,
            )
            .unwrap();
        assert_eq!(
            (rows[0].indicators.filed, rows[0].indicators.closed),
            (3, 1)
        );
    }

    #[test]
    fn the_reference_date_is_the_last_day_the_data_knows_when_it_stops_before_today() {
        let data = data();
        assert_eq!(data.reference_date(d("2026-05-01")), d("2023-03-25"));
        assert_eq!(data.reference_date(d("2023-03-20")), d("2023-03-20"));
    }

    #[test]
    fn the_deadline_list_is_the_metrics_list_for_the_scope() {
        let data = data();
        let scope = admin_scope(&data);
        let rows = data.scoped(&scope).deadlines(
            d("2023-09-20"),
            StatusFilter::Limited,
            &DeadlineFilter::default(),
        );
        // 民初1号: filed 03-15, six months -> 2023-09-15 (Friday): overdue by 5 days.
        // 民初2号: filed 03-25 -> 2023-09-25 (Monday): 5 days left.
        let got: Vec<(&str, Option<i64>)> = rows
            .iter()
            .map(|r| (r.case_number.as_str(), r.days_remaining))
            .collect();
        assert_eq!(
            got,
            vec![
                ("（2023）皖0202民初1号", Some(-5)),
                ("（2023）皖0202民初2号", Some(5))
            ]
        );
    }
}

#[cfg(test)]
mod case_book_tests {
    use super::*;
    use tianping_domain::access::Role;
    use tianping_domain::{CourtLevel, CourtRecord, EventKind, Money};
    use tianping_test_utils::{case_of, d, event};

    /// Every field of a case and its events reads back from the case book as stored: the case
    /// page shows the case book's record, not a second copy.
    #[test]
    fn a_case_reads_back_from_the_case_book_field_for_field() {
        let mut full = case_of(
            "（2023）皖0202民初7号",
            "2023-03-15",
            "张明",
            Some("民一庭"),
        );
        full.type_name = Some("民事一审".into());
        full.procedure = Some(tianping_domain::time_limit::Procedure::Simple);
        full.cause = Some("买卖合同纠纷".into());
        full.received_date = Some(d("2023-03-10"));
        full.closed_date = Some(d("2023-05-01"));
        full.closing_mode = Some(tianping_domain::ClosingMode::Mediation);
        full.disposal = Some("调解结案\t另\n行\u{1d}".into());
        full.claim_amount = Some(Money(0));
        full.recovered_amount = Some(Money(12_345));
        full.origin_case_number = Some("（2022）皖0202民初1号".into());
        full.foreign_related = true;
        full.longer_limit = true;
        full.appeal_object = tianping_domain::time_limit::AppealObject::Ruling;
        let bare = case_of("（2023）皖0202民初8号", "2023-03-16", "李娜", None);
        let mut second = event("（2023）皖0202民初7号", EventKind::Deduction, "2023-04-01");
        second.end_date = Some(d("2023-04-10"));
        second.reason = Some("鉴定".into());
        let first = event("（2023）皖0202民初7号", EventKind::Extension, "2023-03-20");
        let data = Data::build(
            1,
            vec![CourtRecord {
                code: "皖0202".into(),
                name: "镜湖区人民法院".into(),
                level: CourtLevel::Basic,
                parent_code: None,
            }],
            vec![full.clone(), bare.clone()],
            vec![second.clone(), first.clone()],
            Arc::new(HolidayCalendar::builtin()),
            LimitSettings::default(),
        );
        let admin = tianping_store::UserRecord {
            username: "a".into(),
            password_hash: String::new(),
            role: Role::Admin,
            court_code: None,
            judge_name: None,
            disabled: false,
            created_at: String::new(),
        };
        let scope = crate::scope::authorize(&admin, None, data.courts()).unwrap();
        let view = data.scoped(&scope);
        let (record, events, _) = view.case("(2023)皖0202民初7号").unwrap();
        assert_eq!(record, full);
        assert_eq!(events, vec![first, second], "the store's order: by date");
        let (record, events, _) = view.case("（2023）皖0202民初8号").unwrap();
        assert_eq!(record, bare);
        assert!(events.is_empty());
        assert!(view.case("（2023）皖0202民初9号").is_err());
    }
}
