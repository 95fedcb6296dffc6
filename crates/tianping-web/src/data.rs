//! The case data in memory: the indicator engine's snapshot plus the case records and events
//! (for deadline lists, case lists and case pages), kept current with the store's changes.
//!
//! Every question about cases takes a [`CourtScope`]; answers that take a pass over the data are
//! cached for the data's version (a new version is a new `Data`, with an empty cache).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{Datelike, NaiveDate};
use tianping_domain::calendar::HolidayCalendar;
use tianping_domain::dates::add_months;
use tianping_domain::time_limit::{LimitSettings, Timing, evaluate};
use tianping_domain::{CaseRecord, CourtTable, EventRecord};
use tianping_metrics::deadlines::{DeadlineQuery, DeadlineRow, StatusFilter, deadline_list};
use tianping_metrics::indicators::QueryError;
use tianping_metrics::signals::{SignalRow, SignalSettings, year_end_signals};
use tianping_metrics::{GroupBy, IndicatorQuery, IndicatorRow, Snapshot, compute_for_judge};
use tianping_store::{Changes, Store, StoreError};

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
    courts: CourtTable,
    calendar: Arc<HolidayCalendar>,
    settings: LimitSettings,
    cases: Vec<CaseRecord>,
    index: HashMap<String, u32>,
    by_court: HashMap<String, Vec<u32>>,
    /// Each case's events in the store's order (date, kind, end date, months, days, reason).
    events: HashMap<String, Vec<EventRecord>>,
    /// The latest filing or closing date in the data.
    latest: Option<NaiveDate>,
    cache: Mutex<HashMap<String, Cached>>,
}

impl std::fmt::Debug for Data {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Data")
            .field("version", &self.version)
            .field("courts", &self.courts.len())
            .field("cases", &self.cases.len())
            .finish_non_exhaustive()
    }
}

fn latest_of(case: &CaseRecord) -> NaiveDate {
    case.closed_date
        .map_or(case.filed_date, |c| c.max(case.filed_date))
}

/// Which cases a case list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseState {
    Pending,
    Closed,
    All,
}

/// A case list's filter, inside a scope.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// This court only (not the courts below it).
    pub court: Option<String>,
    pub division: Option<String>,
    pub judge: Option<String>,
    pub state: Option<CaseState>,
    /// Pending or closed as of this date (default: the data's reference date).
    pub as_of: Option<NaiveDate>,
}

impl Data {
    /// The indicator snapshot (for the bulletin download).
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }
}

impl Data {
    /// Everything the store holds.
    pub async fn load(
        store: &dyn Store,
        calendar: Arc<HolidayCalendar>,
        settings: LimitSettings,
    ) -> Result<Data, StoreError> {
        // The version first: rows written while loading are applied again later (harmless).
        let version = store.data_version().await?;
        let courts = store.courts().await?;
        let cases = store.cases().await?;
        let events = store.events().await?;
        let data = tokio::task::spawn_blocking(move || {
            Data::build(version, courts, cases, events, calendar, settings)
        })
        .await
        .map_err(|e| StoreError::Corrupt(format!("building the snapshot: {e}")))?;
        Ok(data)
    }

    pub fn build(
        version: i64,
        courts: Vec<tianping_domain::CourtRecord>,
        cases: Vec<CaseRecord>,
        events: Vec<EventRecord>,
        calendar: Arc<HolidayCalendar>,
        settings: LimitSettings,
    ) -> Data {
        let snapshot = Snapshot::build(&courts, &cases, &events, calendar.clone(), settings);
        let mut data = Data {
            version,
            snapshot,
            courts: CourtTable::from_records(courts),
            calendar,
            settings,
            cases: Vec::with_capacity(cases.len()),
            index: HashMap::with_capacity(cases.len()),
            by_court: HashMap::new(),
            events: HashMap::new(),
            latest: None,
            cache: Mutex::new(HashMap::new()),
        };
        for case in cases {
            data.upsert(case);
        }
        for event in events {
            data.add_event(event);
        }
        for list in data.events.values_mut() {
            list.sort_by(EventRecord::store_order);
        }
        data
    }

    fn upsert(&mut self, case: CaseRecord) {
        let latest = latest_of(&case);
        self.latest = Some(self.latest.map_or(latest, |l| l.max(latest)));
        match self.index.get(&case.case_number) {
            Some(&i) => {
                let old = &self.cases[i as usize];
                if old.court_code != case.court_code {
                    if let Some(list) = self.by_court.get_mut(&old.court_code) {
                        list.retain(|&j| j != i);
                    }
                    self.by_court
                        .entry(case.court_code.clone())
                        .or_default()
                        .push(i);
                }
                self.cases[i as usize] = case;
            }
            None => {
                let i = self.cases.len() as u32;
                self.index.insert(case.case_number.clone(), i);
                self.by_court
                    .entry(case.court_code.clone())
                    .or_default()
                    .push(i);
                self.cases.push(case);
            }
        }
    }

    /// Add an event of a known case unless the same event is there; true when added.
    fn add_event(&mut self, event: EventRecord) -> bool {
        if !self.index.contains_key(&event.case_number) {
            return false;
        }
        let list = self.events.entry(event.case_number.clone()).or_default();
        if list.contains(&event) {
            return false;
        }
        list.push(event);
        true
    }

    /// A new `Data` with the store's changes applied (incrementally: the snapshot applies only
    /// the changed rows).
    pub fn with_changes(&self, changes: Changes) -> Data {
        let mut snapshot = self.snapshot.clone();
        let mut courts = self.courts.clone();
        if let Some(new_courts) = &changes.courts {
            snapshot.set_courts(new_courts);
            courts = CourtTable::from_records(new_courts.iter().cloned());
        }
        snapshot.apply(&changes.cases, &changes.events);
        let mut data = Data {
            version: changes.version,
            snapshot,
            courts,
            calendar: self.calendar.clone(),
            settings: self.settings,
            cases: self.cases.clone(),
            index: self.index.clone(),
            by_court: self.by_court.clone(),
            events: self.events.clone(),
            latest: self.latest,
            cache: Mutex::new(HashMap::new()),
        };
        for case in changes.cases {
            data.upsert(case);
        }
        let mut touched: Vec<String> = Vec::new();
        for event in changes.events {
            let number = event.case_number.clone();
            if data.add_event(event) {
                touched.push(number);
            }
        }
        for number in touched {
            if let Some(list) = data.events.get_mut(&number) {
                list.sort_by(EventRecord::store_order);
            }
        }
        data
    }

    pub fn version(&self) -> i64 {
        self.version
    }

    /// The court table (names and hierarchy; not case data, so not scoped).
    pub fn courts(&self) -> &CourtTable {
        &self.courts
    }

    pub fn calendar(&self) -> &HolidayCalendar {
        &self.calendar
    }

    pub fn limit_settings(&self) -> &LimitSettings {
        &self.settings
    }

    /// The default as-of date of the pages: today, or the last day the data knows of when the
    /// data stops earlier (a demo, an old export).
    pub fn reference_date(&self, today: NaiveDate) -> NaiveDate {
        self.latest.map_or(today, |latest| latest.min(today))
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

    /// The indicator engine's answer for the scope (a judge's own cases for a judge). The
    /// query's `scope` is the scope's court.
    pub fn indicators(
        &self,
        scope: &CourtScope,
        query: &IndicatorQuery,
    ) -> Result<Arc<Vec<IndicatorRow>>, WebError> {
        debug_assert_eq!(query.scope.as_deref(), scope.court());
        if query.from > query.to {
            return Err(WebError::BadRequest(
                QueryError::EmptyPeriod {
                    from: query.from,
                    to: query.to,
                }
                .to_string(),
            ));
        }
        let key = format!(
            "ind|{}|{}|{}|{}|{}|{}",
            query.from,
            query.to,
            query.as_of,
            scope.key(),
            scope.judge().unwrap_or(""),
            query.by.id()
        );
        let mut error = None;
        let cached = self.cached(&key, || {
            match compute_for_judge(&self.snapshot, query, scope.judge_filter()) {
                Ok(rows) => Cached::Indicators(Arc::new(rows)),
                Err(e) => {
                    error = Some(e);
                    Cached::Indicators(Arc::new(Vec::new()))
                }
            }
        });
        if let Some(e) = error {
            self.cache.lock().expect("cache lock").remove(&key);
            return Err(WebError::BadRequest(e.to_string()));
        }
        match cached {
            Cached::Indicators(rows) => Ok(rows),
            _ => Err(WebError::Internal("cache kind".into())),
        }
    }

    /// An indicator question over the scope.
    pub fn query(
        scope: &CourtScope,
        from: NaiveDate,
        to: NaiveDate,
        as_of: NaiveDate,
        by: GroupBy,
    ) -> IndicatorQuery {
        IndicatorQuery {
            from,
            to,
            as_of,
            scope: scope.court().map(str::to_owned),
            by,
        }
    }

    /// The cases the scope may see, court by court: the courts the scope contains, then each
    /// case through the scope's own check ([`CourtScope::admits`]).
    fn scoped_cases<'a, 's>(
        &'a self,
        scope: &'s CourtScope,
    ) -> impl Iterator<Item = &'a CaseRecord> + use<'a, 's> {
        let mut codes: Vec<&'a String> = self
            .by_court
            .keys()
            .filter(|code| scope.contains_court(&self.courts, code))
            .collect();
        codes.sort();
        codes
            .into_iter()
            .flat_map(move |code| self.by_court[code].iter())
            .map(move |&i| &self.cases[i as usize])
            .filter(move |case| scope.admits(&self.courts, case))
    }

    /// The deadline list (审限预警) of the scope: the same rows `tianping deadlines` prints for
    /// the same question (the same function, over the scope's pending cases).
    pub fn deadlines(
        &self,
        scope: &CourtScope,
        as_of: NaiveDate,
        status: StatusFilter,
    ) -> Arc<Vec<DeadlineRow>> {
        let key = format!(
            "dl|{as_of}|{}|{}|{status:?}",
            scope.key(),
            scope.judge().unwrap_or("")
        );
        let cached = self.cached(&key, || {
            let query = DeadlineQuery {
                as_of,
                scope: None,
                status,
            };
            let mut rows: Vec<DeadlineRow> = Vec::new();
            for case in self.scoped_cases(scope) {
                // Cases closed by the as-of date or filed after it are not on any list.
                if case.filed_date > as_of || case.closed_date.is_some_and(|c| c <= as_of) {
                    continue;
                }
                let mut index: HashMap<&str, Vec<&EventRecord>> = HashMap::new();
                if let Some(events) = self.events.get(&case.case_number) {
                    index.insert(case.case_number.as_str(), events.iter().collect());
                }
                rows.extend(deadline_list(
                    &self.courts,
                    std::slice::from_ref(case),
                    &index,
                    &query,
                    &self.calendar,
                    &self.settings,
                ));
            }
            // deadline_list's order: most urgent first, then by case number.
            rows.sort_by(|a, b| {
                a.days_remaining
                    .unwrap_or(i64::MAX)
                    .cmp(&b.days_remaining.unwrap_or(i64::MAX))
                    .then_with(|| a.case_number.cmp(&b.case_number))
            });
            Cached::Deadlines(Arc::new(rows))
        });
        match cached {
            Cached::Deadlines(rows) => rows,
            _ => Arc::new(Vec::new()),
        }
    }

    /// The year-end filing suppression signal per court of the scope. Judges have no court-level
    /// view: the caller refuses them.
    pub fn signals(&self, scope: &CourtScope, year: i32) -> Vec<SignalRow> {
        year_end_signals(
            &self.snapshot,
            year,
            scope.court(),
            &SignalSettings::default(),
        )
    }

    /// Filed and closed counts per month of `year`, up to `through`.
    pub fn monthly_flow(
        &self,
        scope: &CourtScope,
        year: i32,
        through: NaiveDate,
    ) -> Arc<Vec<(u64, u64)>> {
        let key = format!(
            "mon|{year}|{through}|{}|{}",
            scope.key(),
            scope.judge().unwrap_or("")
        );
        let cached = self.cached(&key, || {
            let mut months = vec![(0u64, 0u64); 12];
            for case in self.scoped_cases(scope) {
                let filed = case.filed_date;
                if filed.year() == year && filed <= through {
                    months[filed.month0() as usize].0 += 1;
                }
                if let Some(closed) = case.closed_date
                    && closed.year() == year
                    && closed <= through
                {
                    months[closed.month0() as usize].1 += 1;
                }
            }
            Cached::Monthly(Arc::new(months))
        });
        match cached {
            Cached::Monthly(m) => m,
            _ => Arc::new(Vec::new()),
        }
    }

    /// The cases of the scope that pass the filter, sorted by filing date (newest first), then
    /// case number.
    pub fn cases(&self, scope: &CourtScope, filter: &CaseFilter) -> Vec<&CaseRecord> {
        let as_of = filter.as_of;
        let mut list: Vec<&CaseRecord> = self
            .scoped_cases(scope)
            .filter(|c| {
                filter
                    .court
                    .as_deref()
                    .is_none_or(|code| c.court_code == code)
            })
            .filter(|c| {
                filter
                    .division
                    .as_deref()
                    .is_none_or(|d| c.division.as_deref().unwrap_or(UNASSIGNED) == d)
            })
            .filter(|c| {
                filter
                    .judge
                    .as_deref()
                    .is_none_or(|j| c.judge.as_deref().unwrap_or(UNASSIGNED) == j)
            })
            .filter(|c| {
                let pending_at =
                    |d: NaiveDate| c.filed_date <= d && c.closed_date.is_none_or(|x| x > d);
                match (filter.state, as_of) {
                    (None | Some(CaseState::All), _) => true,
                    (Some(CaseState::Pending), Some(d)) => pending_at(d),
                    (Some(CaseState::Pending), None) => c.closed_date.is_none(),
                    (Some(CaseState::Closed), Some(d)) => c.closed_date.is_some_and(|x| x <= d),
                    (Some(CaseState::Closed), None) => c.closed_date.is_some(),
                }
            })
            .collect();
        list.sort_by(|a, b| {
            b.filed_date
                .cmp(&a.filed_date)
                .then_with(|| a.case_number.cmp(&b.case_number))
        });
        list
    }

    /// Pending cases of the scope older than `months` months at `as_of` (长期未结), oldest first.
    pub fn long_pending(
        &self,
        scope: &CourtScope,
        as_of: NaiveDate,
        months: u32,
    ) -> Vec<&CaseRecord> {
        let mut list: Vec<&CaseRecord> = self
            .scoped_cases(scope)
            .filter(|c| c.filed_date <= as_of && c.closed_date.is_none_or(|x| x > as_of))
            .filter(|c| as_of > add_months(c.filed_date, months))
            .collect();
        list.sort_by(|a, b| {
            a.filed_date
                .cmp(&b.filed_date)
                .then_with(|| a.case_number.cmp(&b.case_number))
        });
        list
    }

    /// One case and its events; 404 when unknown or outside the scope, with the same message:
    /// a different answer would tell whether another court's case number exists.
    pub fn case(
        &self,
        scope: &CourtScope,
        number: &str,
    ) -> Result<(&CaseRecord, &[EventRecord]), WebError> {
        let normalized = tianping_domain::CaseNumber::parse(number)
            .map_or_else(|_| number.trim().to_owned(), |n| n.normalized());
        let not_found = || WebError::NotFound(format!("没有案件 {number}，或不在本账号的范围内"));
        let Some(&i) = self.index.get(&normalized) else {
            return Err(not_found());
        };
        let case = &self.cases[i as usize];
        if !scope.admits(&self.courts, case) {
            return Err(not_found());
        }
        let events = self
            .events
            .get(&normalized)
            .map_or(&[][..], |v| v.as_slice());
        Ok((case, events))
    }

    /// The case's timing at `as_of` by the domain's engine (what the case page explains).
    pub fn timing(&self, case: &CaseRecord, events: &[EventRecord], as_of: NaiveDate) -> Timing {
        let facts = case.facts(events.iter());
        evaluate(&facts, as_of, &self.calendar, &self.settings)
    }
}

/// Missing divisions and judges are shown as this (as the indicator engine does).
pub const UNASSIGNED: &str = tianping_metrics::indicators::UNASSIGNED;

#[cfg(test)]
mod tests {
    use super::*;
    use tianping_domain::time_limit::AppealObject;
    use tianping_domain::{CaseNumber, CourtLevel, CourtRecord, EventKind};

    fn d(s: &str) -> NaiveDate {
        tianping_domain::dates::parse_date(s).unwrap()
    }

    fn case(number: &str, filed: &str, judge: &str) -> CaseRecord {
        let n = CaseNumber::parse(number).unwrap();
        CaseRecord {
            case_number: n.normalized(),
            court_code: n.court.to_string(),
            type_code: Some(n.type_code),
            type_name: None,
            procedure: None,
            cause: None,
            received_date: None,
            filed_date: d(filed),
            division: Some("民一庭".into()),
            judge: Some(judge.into()),
            closed_date: None,
            closing_mode: None,
            disposal: None,
            claim_amount: None,
            recovered_amount: None,
            origin_case_number: None,
            foreign_related: false,
            longer_limit: false,
            appeal_object: AppealObject::Judgment,
        }
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
            before.cases(&scope, &CaseFilter::default()).len(),
            2,
            "the old data is untouched"
        );
        assert_eq!(after.cases(&scope, &CaseFilter::default()).len(), 3);
        let pending = CaseFilter {
            state: Some(CaseState::Pending),
            ..CaseFilter::default()
        };
        assert_eq!(after.cases(&scope, &pending).len(), 2);
        let (_, events) = after.case(&scope, "(2023)皖0202民初2号").unwrap();
        assert_eq!(events.len(), 1);
        // The snapshot follows: 2023 filed 3, closed 1.
        let q = Data::query(
            &scope,
            d("2023-01-01"),
            d("2023-12-31"),
            d("2023-12-31"),
            GroupBy::None,
        );
        let rows = after.indicators(&scope, &q).unwrap();
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
        let rows = data.deadlines(&scope, d("2023-09-20"), StatusFilter::Limited);
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
