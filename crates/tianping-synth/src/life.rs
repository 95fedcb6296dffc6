//! The life of a case between filing and closing: deductions, procedure changes, extensions
//! and the closing date, planned against the domain's time-limit engine.
//!
//! The plan first fixes the events that move the deadline (a 简易→普通 change, deductions), asks
//! the engine ([`compute_deadline`]) for the normal deadline, then picks a course:
//! - normal: close within the normal deadline, at a pace typical of the closing mode;
//! - extended: an extension approved 7-30 days before the normal deadline (the 2019 SPC rules
//!   want the request 15 days before expiry), closing between the normal and the extended
//!   deadline;
//! - overdue: closing 1-60 days after the deadline;
//! - stuck: open for well over a year, either suspended (中止, a deduction that may still
//!   run at the end date) or simply overdue.
//!
//! Closing dates fall on working days. A case whose closing date lies after the configured end
//! date is pending: it keeps the events dated up to the end date, and a deduction still running
//! then has no end.

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use tianping_domain::dates::{add_days, days_between};
use tianping_domain::time_limit::{
    AppealObject, CaseFacts, Deduction, Extension, Limit, LimitSettings, LimitSpan,
    ProcedureChange, base_limit, compute_deadline,
};
use tianping_domain::{EventKind, HolidayCalendar, LimitRule, Procedure};

use crate::kinds::{Kind, Pace, limit_behaviour, unlimited_duration};
use crate::random::{SynthRng, between, chance, lognormal, pick, triangular};
use crate::season::WorkDays;

/// An event of a case before it has a case number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EventDraft {
    pub kind: EventKind,
    pub date: NaiveDate,
    pub end: Option<NaiveDate>,
    pub months: Option<u32>,
    pub days: Option<u32>,
    pub reason: Option<&'static str>,
}

impl EventDraft {
    pub(crate) fn on(kind: EventKind, date: NaiveDate) -> EventDraft {
        EventDraft {
            kind,
            date,
            end: None,
            months: None,
            days: None,
            reason: None,
        }
    }

    fn deduction(start: NaiveDate, end: Option<NaiveDate>, reason: &'static str) -> EventDraft {
        EventDraft {
            end,
            reason: Some(reason),
            ..EventDraft::on(EventKind::Deduction, start)
        }
    }

    fn extension(approved: NaiveDate, (months, days): (u32, u32)) -> EventDraft {
        EventDraft {
            months: (months > 0).then_some(months),
            days: (days > 0).then_some(days),
            ..EventDraft::on(EventKind::Extension, approved)
        }
    }

    fn change(decided: NaiveDate, to: Procedure) -> EventDraft {
        EventDraft {
            reason: Some(to.name_zh()),
            ..EventDraft::on(EventKind::ProcedureChange, decided)
        }
    }

    /// The last day this event covers.
    fn last_day(&self) -> NaiveDate {
        self.end.unwrap_or(self.date).max(self.date)
    }
}

/// What the plan needs to know about a case.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    pub kind: Kind,
    pub rule: Option<LimitRule>,
    pub procedure: Option<Procedure>,
    pub filed: NaiveDate,
    pub foreign_related: bool,
    pub longer_limit: bool,
    pub appeal_object: AppealObject,
    pub pace: Pace,
}

/// The calendar and the end of the generated period.
#[derive(Debug)]
pub(crate) struct Clock<'a> {
    pub calendar: &'a HolidayCalendar,
    pub work: &'a WorkDays,
    pub end: NaiveDate,
    pub settings: LimitSettings,
}

/// A planned life: the closing date (`None` while pending at the end date) and the events.
#[derive(Debug, Clone)]
pub(crate) struct Life {
    pub closed: Option<NaiveDate>,
    pub events: Vec<EventDraft>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Course {
    Normal,
    Extended,
    Overdue,
    Stuck,
}

/// A closing date and the bounds it must respect.
struct Planned {
    close: NaiveDate,
    events: Vec<EventDraft>,
    /// The earliest admissible closing date: after filing and after every event.
    lower: NaiveDate,
    course: Course,
}

pub(crate) fn plan(clock: &Clock<'_>, shape: &Shape, rng: &mut SynthRng) -> Life {
    // CPL art. 287: foreign-related civil cases are not bound by the first- and second-instance
    // limits.
    let rule = shape.rule.filter(|rule| {
        !(shape.foreign_related && matches!(rule, LimitRule::CivilFirst | LimitRule::CivilSecond))
    });
    let planned = rule
        .and_then(|rule| plan_limited(clock, shape, rule, rng))
        .unwrap_or_else(|| plan_unlimited(clock, shape, rng));
    let close = december_push(clock, &planned, rng);
    finish(clock.end, close, planned.events)
}

fn plan_unlimited(clock: &Clock<'_>, shape: &Shape, rng: &mut SynthRng) -> Planned {
    let (median, sigma) = unlimited_duration(shape.kind);
    let days = lognormal(rng, median, sigma).round().max(1.0) as i64;
    Planned {
        close: clock.work.next_working(add_days(shape.filed, days)),
        events: Vec::new(),
        lower: add_days(shape.filed, 1),
        course: Course::Normal,
    }
}

/// The normal deadline and the deadline of `facts` with every planned event counted.
fn deadlines(clock: &Clock<'_>, facts: &CaseFacts) -> Option<(NaiveDate, NaiveDate)> {
    let cutoff = add_days(facts.filed, 4000);
    match compute_deadline(facts, cutoff, clock.calendar, &clock.settings) {
        Limit::Some(d) => Some((d.normal_deadline, d.deadline)),
        Limit::None(_) => None,
    }
}

fn plan_limited(
    clock: &Clock<'_>,
    shape: &Shape,
    rule: LimitRule,
    rng: &mut SynthRng,
) -> Option<Planned> {
    let behaviour = limit_behaviour(shape.kind, shape.procedure);
    let filed = shape.filed;
    let mut facts = CaseFacts::new(Some(rule), filed);
    facts.procedure = shape.procedure;
    facts.longer_limit = shape.longer_limit;
    facts.appeal_object = shape.appeal_object;
    let mut events = Vec::new();

    let r = rng.random::<f64>();
    let course = if r < behaviour.p_stuck {
        Course::Stuck
    } else if r < behaviour.p_stuck + behaviour.p_overdue {
        Course::Overdue
    } else if r < behaviour.p_stuck + behaviour.p_overdue + behaviour.p_extension {
        Course::Extended
    } else {
        Course::Normal
    };

    // A simple, small-claims or fast-track case the court finds too complex is changed to the
    // ordinary procedure before its short limit runs out.
    let mut procedure = shape.procedure.or(rule.default_procedure());
    let mut start = filed;
    let mut extension = behaviour.extension;
    if behaviour.p_convert > 0.0
        && chance(rng, behaviour.p_convert)
        && let Some(original) = procedure
    {
        let (span, _) = base_limit(rule, original, shape.longer_limit, shape.appeal_object);
        let limit_days = days_between(filed, span.end_from(filed));
        let earliest = ((limit_days as f64) * 0.3).max(1.0) as i64;
        let offset = between(rng, earliest, (limit_days - 2).max(earliest));
        let decided = clock.work.prev_working(add_days(filed, offset)).max(filed);
        events.push(EventDraft::change(decided, Procedure::Ordinary));
        facts.procedure_changes.push(ProcedureChange {
            decided,
            to: Procedure::Ordinary,
        });
        procedure = Some(Procedure::Ordinary);
        // Extensions now follow the ordinary procedure's rule (civil: +6 months).
        extension = limit_behaviour(shape.kind, procedure).extension;
        // Criminal cases: the new limit counts from the change decision.
        if rule == LimitRule::CriminalFirst {
            start = decided;
        }
    }
    let (base, _) = base_limit(
        rule,
        procedure.unwrap_or(Procedure::Ordinary),
        shape.longer_limit,
        shape.appeal_object,
    );
    let base_days = days_between(start, base.end_from(start));

    // Excluded periods, placed in the first half of the limit.
    let open_stay = course == Course::Stuck && chance(rng, 0.5);
    let mut stay = None;
    if base_days >= 28 && start == filed && (open_stay || chance(rng, behaviour.p_deduction)) {
        let offset = (rng.random_range(0.05..0.5) * base_days as f64)
            .round()
            .max(1.0) as i64;
        // Decided on a working day: the case is sent for appraisal, the notice published…
        let begin = clock.work.next_working(add_days(filed, offset));
        if open_stay {
            stay = Some(events.len());
            events.push(EventDraft::deduction(begin, None, "中止"));
        } else {
            let mut begin = begin;
            let count = if chance(rng, 0.12) { 2 } else { 1 };
            for _ in 0..count {
                let &(reason, _, shortest, longest) = pick(rng, behaviour.reasons, |r| r.1);
                let end = add_days(begin, between(rng, shortest, longest) - 1);
                events.push(EventDraft::deduction(begin, Some(end), reason));
                facts.deductions.push(Deduction {
                    start: begin,
                    end: Some(end),
                });
                begin = clock.work.next_working(add_days(end, between(rng, 5, 30)));
            }
        }
    }

    let (normal, mut deadline) = deadlines(clock, &facts)?;
    let last_event = events.iter().map(EventDraft::last_day).max();
    let mut lower = last_event.map_or(filed, |d| d.max(filed));
    lower = add_days(lower, 1);

    // An extension, approved shortly before the normal deadline, for cases that run long.
    let wants_extension = course == Course::Extended
        || (course == Course::Overdue && extension != (0, 0) && chance(rng, 0.3));
    let mut extended = false;
    if wants_extension && extension != (0, 0) {
        let approved = clock
            .work
            .prev_working(add_days(normal, -between(rng, 7, 30)));
        if approved >= lower && approved < normal {
            events.push(EventDraft::extension(approved, extension));
            facts.extensions.push(Extension {
                approved,
                span: LimitSpan::new(extension.0, extension.1),
            });
            deadline = deadlines(clock, &facts)?.1;
            lower = add_days(approved, 1);
            extended = true;
        }
    }

    let (lo, mode, hi) = shape.pace;
    let pace = if base_days <= 20 {
        // Fast-track and simple criminal cases: decided within days, close to the limit.
        (lo.max(0.3), mode.max(0.7), hi)
    } else {
        (lo, mode, hi)
    };
    let course = match course {
        Course::Extended if !extended => Course::Normal,
        other => other,
    };
    let (close, upper) = match course {
        Course::Normal => {
            let span = days_between(filed, normal) as f64;
            let target = add_days(filed, (triangular(rng, pace) * span).ceil() as i64);
            (target.min(normal).max(lower), Some(normal))
        }
        Course::Extended => {
            let span = days_between(normal, deadline).max(1) as f64;
            let u = triangular(rng, (0.05, 0.5, 1.0));
            let target = add_days(normal, 1 + (u * (span - 1.0)).floor() as i64);
            (target.min(deadline).max(lower), Some(deadline))
        }
        Course::Overdue => (add_days(deadline, between(rng, 1, 60)).max(lower), None),
        Course::Stuck => {
            let close = add_days(filed, between(rng, 420, 1500)).max(lower);
            if let Some(i) = stay {
                let end = add_days(close, -between(rng, 3, 20)).max(events[i].date);
                events[i].end = Some(end);
            }
            (close, None)
        }
    };
    Some(Planned {
        close: settle(clock.work, close, lower, upper),
        events,
        lower,
        course,
    })
}

/// Move a closing date onto a working day: the next one if that stays within `upper`, else the
/// previous one if that stays on or after `lower`, else keep it.
fn settle(
    work: &WorkDays,
    date: NaiveDate,
    lower: NaiveDate,
    upper: Option<NaiveDate>,
) -> NaiveDate {
    let next = work.next_working(date);
    if upper.is_none_or(|u| next <= u) {
        return next;
    }
    let prev = work.prev_working(date);
    if prev >= lower { prev } else { date }
}

/// Courts close more in late December than they would otherwise (年底结案冲刺): about a third of
/// the cases that would close in January are closed before the year ends, when nothing about
/// them forbids it.
fn december_push(clock: &Clock<'_>, planned: &Planned, rng: &mut SynthRng) -> NaiveDate {
    let close = planned.close;
    if planned.course != Course::Normal || close.month() != 1 {
        return close;
    }
    if !chance(rng, 0.35) {
        return close;
    }
    let day = between(rng, 15, 31) as u32;
    let target = NaiveDate::from_ymd_opt(close.year() - 1, 12, day).expect("a December day");
    let candidate = clock.work.prev_working(target);
    if candidate >= planned.lower {
        candidate
    } else {
        close
    }
}

/// Cut the plan at the end date: a case closing later is pending and keeps only what happened
/// by then.
fn finish(end: NaiveDate, close: NaiveDate, mut events: Vec<EventDraft>) -> Life {
    if close <= end {
        return Life {
            closed: Some(close),
            events,
        };
    }
    events.retain(|e| e.date <= end);
    for event in &mut events {
        if event.end.is_some_and(|e| e > end) {
            event.end = None;
        }
    }
    Life {
        closed: None,
        events,
    }
}
