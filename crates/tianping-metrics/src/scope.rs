//! The case book seen through a scope: every question the pages, the API and the CLI ask about
//! cases (case lists, long-pending lists, monthly flow, deadline lists, indicators, one case)
//! answered from the one in-memory [`Snapshot`], only over the cases a [`CaseScope`] admits.
//!
//! [`Snapshot::scoped`] is the only way to these questions; a narrower view is made from a wider
//! one ([`ScopedCases::narrow`]) and is `None` outside it, so a question about a court outside
//! the scope cannot be built.

use chrono::{Datelike, NaiveDate};
use tianping_domain::dates::{from_day_number, to_day_number};
use tianping_domain::time_limit::Timing;
use tianping_domain::{CaseRecord, EventRecord};

use crate::deadlines::{DeadlineQuery, DeadlineRow, StatusFilter, deadline_list};
use crate::indicators::{GroupBy, IndicatorQuery, IndicatorRow, JudgeFilter, QueryError};
use crate::signals::{SignalRow, SignalSettings, year_end_signals};
use crate::snapshot::{NEVER, NONE_ID, Snapshot};

/// Whose cases a question is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CaseScope {
    /// Every court.
    All,
    /// A court and every court below it.
    Court(String),
    /// The cases of one court itself (never the courts below: a judge is a name within one
    /// court, and a court below may have a namesake) whose judge (承办人) is `name`.
    Judge { court: String, name: String },
}

impl CaseScope {
    /// The court of the scope; `None`: every court.
    pub fn court(&self) -> Option<&str> {
        match self {
            CaseScope::All => None,
            CaseScope::Court(court) | CaseScope::Judge { court, .. } => Some(court),
        }
    }

    /// The judge whose own cases the scope holds.
    pub fn judge(&self) -> Option<JudgeFilter<'_>> {
        match self {
            CaseScope::Judge { court, name } => Some(JudgeFilter { court, name }),
            _ => None,
        }
    }
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
    /// A division (庭室); [`crate::indicators::UNASSIGNED`] picks the cases without one.
    pub division: Option<String>,
    /// A judge's name; [`crate::indicators::UNASSIGNED`] picks the cases without one.
    pub judge: Option<String>,
    pub state: Option<CaseState>,
    /// Pending or closed as of this date (default: now, by the closing date alone).
    pub as_of: Option<NaiveDate>,
    /// Case numbers containing this text, brackets and full-width digits written any way
    /// (see [`case_number_fragment`]).
    pub number: Option<String>,
    /// Only cases of this type code (类型代字, `民初`).
    pub type_code: Option<String>,
    /// Only cases whose cause (案由) contains this text.
    pub cause: Option<String>,
}

/// A part of a case number as a user types it, in the stored form: brackets of any style
/// ((), [], 〔〕, full-width) become （）, full-width digits and letters become ASCII, spaces
/// are dropped. `(2023)鲁0102民初1` finds `（2023）鲁0102民初1号` and `（2023）鲁0102民初12号`.
pub fn case_number_fragment(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' | '[' | '〔' | '［' | '【' | '﹝' => '（',
            ')' | ']' | '〕' | '］' | '】' | '﹞' => '）',
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

/// What a deadline list keeps beyond the scope and the status (all optional, all combined).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeadlineFilter {
    /// This court only (not the courts below it).
    pub court: Option<String>,
    /// A division (庭室); [`crate::indicators::UNASSIGNED`] picks the cases without one.
    pub division: Option<String>,
    /// A judge's name; [`crate::indicators::UNASSIGNED`] picks the cases without one.
    pub judge: Option<String>,
    /// Only cases whose deadline falls on or before this date ("due by Friday"; overdue cases
    /// included).
    pub due_by: Option<NaiveDate>,
    /// Only cases with at most this many days left (the warning window; overdue included).
    pub within_days: Option<i64>,
    /// Only cases of this type code (类型代字, `民初`).
    pub type_code: Option<String>,
    /// Only cases whose cause (案由) contains this text.
    pub cause: Option<String>,
    /// The warning window of 临近审限 in days (default 15).
    pub due_soon_days: Option<i64>,
}

/// The snapshot through a scope. Cheap to make (a court lookup); borrow it per request.
#[derive(Debug, Clone, Copy)]
pub struct ScopedCases<'a> {
    snapshot: &'a Snapshot,
    scope: &'a CaseScope,
    /// The scope's court, interned; `u32::MAX` for a court no case or court record names.
    court: Option<u32>,
    /// (court, name) of a judge's scope, interned; ids no case has when unknown.
    judge: Option<(u32, u32)>,
}

impl Snapshot {
    /// The cases `scope` admits, and every question about them.
    pub fn scoped<'a>(&'a self, scope: &'a CaseScope) -> ScopedCases<'a> {
        let court = scope
            .court()
            .map(|code| self.court_lookup(code).unwrap_or(u32::MAX));
        let judge = scope.judge().map(|j| {
            (
                self.court_lookup(j.court).unwrap_or(u32::MAX),
                self.names.lookup(j.name).unwrap_or(u32::MAX),
            )
        });
        ScopedCases {
            snapshot: self,
            scope,
            court,
            judge,
        }
    }
}

fn matches_name(snapshot: &Snapshot, id: u32, wanted: Option<&str>) -> bool {
    wanted.is_none_or(|wanted| {
        let name = if id == NONE_ID {
            crate::indicators::UNASSIGNED
        } else {
            snapshot.names.get(id)
        };
        name == wanted
    })
}

impl<'a> ScopedCases<'a> {
    pub fn scope(&self) -> &'a CaseScope {
        self.scope
    }

    /// The court table (names and hierarchy: not case data, so not scoped).
    pub fn courts(&self) -> &'a tianping_domain::CourtTable {
        self.snapshot.court_table()
    }

    /// The view of `scope` when it lies within this one; `None` when it reaches outside it
    /// (another court, or a wider reach than this scope's).
    pub fn narrow(&self, scope: &'a CaseScope) -> Option<ScopedCases<'a>> {
        let courts = self.snapshot.court_table();
        let within = |code: &str| match self.scope {
            CaseScope::All => true,
            CaseScope::Court(own) => courts.is_within(code, own),
            CaseScope::Judge { court, .. } => code == court,
        };
        let fits = match (self.scope, scope) {
            (CaseScope::All, _) => true,
            (_, CaseScope::All) => false,
            (CaseScope::Judge { .. }, other) => other == self.scope,
            (CaseScope::Court(_), CaseScope::Court(code)) => within(code),
            (CaseScope::Court(_), CaseScope::Judge { court, .. }) => within(court),
        };
        fits.then(|| self.snapshot.scoped(scope))
    }

    /// Whether the scope admits court `court` (interned).
    fn admits_court(&self, court: u32) -> bool {
        match (self.judge, self.court) {
            (Some((judge_court, _)), _) => court == judge_court,
            (None, Some(scope)) => self.snapshot.court_within(court, scope),
            (None, None) => true,
        }
    }

    /// Whether the scope admits row `i`.
    fn admits(&self, i: usize) -> bool {
        let s = self.snapshot;
        self.admits_court(s.court[i])
            && self
                .judge
                .is_none_or(|(_, name)| name != NONE_ID && s.judge[i] == name)
    }

    /// The rows the scope admits, in row order.
    fn rows(&self) -> impl Iterator<Item = usize> + '_ {
        // One check per court, not per case.
        let courts: Vec<bool> = (0..self.snapshot.court_ancestors.len() as u32)
            .map(|c| self.admits_court(c))
            .collect();
        (0..self.snapshot.len()).filter(move |&i| {
            courts[self.snapshot.court[i] as usize]
                && self
                    .judge
                    .is_none_or(|(_, name)| name != NONE_ID && self.snapshot.judge[i] == name)
        })
    }

    /// The row of a case the scope admits: by case number in any bracket style; `None` when
    /// the snapshot has no such case or the scope does not admit it (one answer for both: a
    /// different one would tell whether another court's case exists).
    pub fn find(&self, number: &str) -> Option<usize> {
        let normalized = tianping_domain::CaseNumber::parse(number)
            .map_or_else(|_| number.trim().to_owned(), |n| n.normalized());
        self.snapshot.find(&normalized).filter(|&i| self.admits(i))
    }

    /// The record of a row this view returned.
    pub fn record(&self, i: usize) -> CaseRecord {
        debug_assert!(self.admits(i));
        self.snapshot.record(i)
    }

    /// The events of a row this view returned, in the store's order.
    pub fn events_of(&self, i: usize) -> Vec<EventRecord> {
        self.snapshot.events_of(i)
    }

    /// The case's timing at `as_of` by the domain's engine.
    pub fn timing(&self, i: usize, as_of: NaiveDate) -> Timing {
        self.snapshot.timing(i, as_of)
    }

    /// The case numbers of rows, as stored.
    pub fn case_number(&self, i: usize) -> &'a str {
        self.snapshot.case_numbers.get(i)
    }

    fn filed(&self, i: usize) -> i32 {
        self.snapshot.filed[i]
    }

    /// The cases that pass the filter, newest filing first, then by case number.
    pub fn cases(&self, filter: &CaseFilter) -> Vec<usize> {
        let s = self.snapshot;
        let court = filter
            .court
            .as_deref()
            .map(|code| s.court_lookup(code).unwrap_or(u32::MAX));
        let as_of = filter.as_of.map(to_day_number);
        let number = filter.number.as_deref().map(case_number_fragment);
        let kind = s.kind_matcher(filter.type_code.as_deref(), filter.cause.as_deref());
        let mut list: Vec<usize> = self
            .rows()
            .filter(|&i| court.is_none_or(|c| s.court[i] == c))
            .filter(|&i| kind.admits(s, i))
            .filter(|&i| {
                number
                    .as_deref()
                    .is_none_or(|n| s.case_numbers.get(i).contains(n))
            })
            .filter(|&i| matches_name(s, s.division[i], filter.division.as_deref()))
            .filter(|&i| matches_name(s, s.judge[i], filter.judge.as_deref()))
            .filter(|&i| {
                let (filed, closed) = (s.filed[i], s.closed[i]);
                match (filter.state, as_of) {
                    (None | Some(CaseState::All), _) => true,
                    (Some(CaseState::Pending), Some(d)) => filed <= d && closed > d,
                    (Some(CaseState::Pending), None) => closed == NEVER,
                    (Some(CaseState::Closed), Some(d)) => closed <= d,
                    (Some(CaseState::Closed), None) => closed != NEVER,
                }
            })
            .collect();
        list.sort_by(|&a, &b| {
            self.filed(b)
                .cmp(&self.filed(a))
                .then_with(|| self.case_number(a).cmp(self.case_number(b)))
        });
        list
    }

    /// The judges' names of the cases that pass the filter ([`crate::indicators::UNASSIGNED`]
    /// for cases without one), each once, sorted.
    pub fn judge_names(&self, filter: &CaseFilter) -> Vec<String> {
        let s = self.snapshot;
        let mut ids: Vec<u32> = self.cases(filter).iter().map(|&i| s.judge[i]).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut names: Vec<String> = ids
            .into_iter()
            .map(|id| {
                if id == NONE_ID {
                    crate::indicators::UNASSIGNED.to_owned()
                } else {
                    s.names.get(id).to_owned()
                }
            })
            .collect();
        names.sort();
        names
    }

    /// Pending cases older than `months` months at `as_of` (长期未结), oldest first; the
    /// filter's court, division, judge, type code and cause narrow the list (its state and
    /// number are not used).
    pub fn long_pending(&self, as_of: NaiveDate, months: u32, filter: &CaseFilter) -> Vec<usize> {
        let s = self.snapshot;
        let day = to_day_number(as_of);
        let court = filter
            .court
            .as_deref()
            .map(|code| s.court_lookup(code).unwrap_or(u32::MAX));
        let kind = s.kind_matcher(filter.type_code.as_deref(), filter.cause.as_deref());
        let mut list: Vec<usize> = self
            .rows()
            .filter(|&i| s.filed[i] <= day && s.closed[i] > day)
            .filter(|&i| court.is_none_or(|c| s.court[i] == c))
            .filter(|&i| matches_name(s, s.division[i], filter.division.as_deref()))
            .filter(|&i| matches_name(s, s.judge[i], filter.judge.as_deref()))
            .filter(|&i| kind.admits(s, i))
            .filter(|&i| {
                // The four usual thresholds are precomputed; any other is counted here.
                let threshold = match months {
                    6 => s.months[i][0],
                    12 => s.months[i][1],
                    18 => s.months[i][2],
                    36 => s.months[i][3],
                    m => to_day_number(tianping_domain::dates::add_months(
                        from_day_number(s.filed[i]),
                        m,
                    )),
                };
                day > threshold
            })
            .collect();
        list.sort_by(|&a, &b| {
            self.filed(a)
                .cmp(&self.filed(b))
                .then_with(|| self.case_number(a).cmp(self.case_number(b)))
        });
        list
    }

    /// Filed and closed counts per month of `year`, up to `through`.
    pub fn monthly_flow(&self, year: i32, through: NaiveDate) -> Vec<(u64, u64)> {
        let s = self.snapshot;
        let first = to_day_number(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(through));
        let last = to_day_number(through).min(to_day_number(
            NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(through),
        ));
        let month = |d: i32| from_day_number(d).month0() as usize;
        let mut months = vec![(0u64, 0u64); 12];
        for i in self.rows() {
            if (first..=last).contains(&s.filed[i]) {
                months[month(s.filed[i])].0 += 1;
            }
            if (first..=last).contains(&s.closed[i]) {
                months[month(s.closed[i])].1 += 1;
            }
        }
        months
    }

    /// The deadline list (审限预警) of the scope at `as_of`, most urgent first.
    pub fn deadlines(
        &self,
        as_of: NaiveDate,
        status: StatusFilter,
        filter: &DeadlineFilter,
    ) -> Vec<DeadlineRow> {
        let query = DeadlineQuery {
            as_of,
            scope: self.scope.court(),
            judge: self.scope.judge(),
            status,
            court: filter.court.as_deref(),
            division: filter.division.as_deref(),
            judge_name: filter.judge.as_deref(),
            due_by: filter.due_by,
            within_days: filter.within_days,
            type_code: filter.type_code.as_deref(),
            cause: filter.cause.as_deref(),
            due_soon_days: filter.due_soon_days,
        };
        deadline_list(self.snapshot, &query)
    }

    /// The indicator engine's rows for the scope (a judge's own cases for a judge).
    pub fn indicators(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        as_of: NaiveDate,
        by: GroupBy,
    ) -> Result<Vec<IndicatorRow>, QueryError> {
        let query = IndicatorQuery {
            from,
            to,
            as_of,
            scope: self.scope.court().map(str::to_owned),
            by,
        };
        crate::compute_for_judge(self.snapshot, &query, self.scope.judge())
    }

    /// The year-end filing suppression signal per court of the scope (court-level scopes; a
    /// judge's scope gets its court's, which the caller should not ask for).
    pub fn signals(&self, year: i32) -> Vec<SignalRow> {
        year_end_signals(
            self.snapshot,
            year,
            self.scope.court(),
            &SignalSettings::default(),
        )
    }

    /// The whole snapshot, for the computations that compare a court with others (the
    /// bulletin's reference intervals): only for a scope of every court or of a court.
    pub fn snapshot_for_reports(&self) -> Option<&'a Snapshot> {
        matches!(self.scope, CaseScope::All | CaseScope::Court(_)).then_some(self.snapshot)
    }
}
