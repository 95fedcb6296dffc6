//! The actions on a mediation and who may take them (`workflows.md` §1.2):
//!
//! ```text
//! registered ─assign→ referred ─accept→ mediating ─conclude→ succeeded | withdrawn | failed
//!      │               └─decline→ registered                  (extend, appraisal_start/end,
//!      └─return→ returned                                       change_mediator: stay mediating)
//! ```
//!
//! [`act`] checks the state (an action not allowed from it: 409 on the web, exit 2 on the
//! command line), the actor's duty (403), the date (not after today, not before the record's
//! previous action) and the action's own rules (422), and returns the changed record and the
//! event the action writes.

use chrono::NaiveDate;
use tianping_domain::HolidayCalendar;

use super::limits::{MediationSettings, mediation_deadline};
use super::model::{
    AgreementPath, EventKind, Mediation, MediationEvent, MediationKind, Outcome, State, state_at,
};
pub use crate::core::act::ActError;
use crate::core::act::{changed_fields, invalid};
use crate::core::duties::{Actor, Duty};

/// The 2025 opinion's cap on the extensions of a 委托 mediation (最高人民法院《关于严格依法规范
/// 民事案件立案与调解工作的意见》, in force 2025-01-01).
pub const ENTRUSTED_EXTENSION_CAP_DAYS: u32 = 30;

/// The reasons a registration may be returned for (在线调解规则 art. 9).
pub const RETURN_REASONS: [&str; 3] = ["不属受案范围", "无管辖权", "不适宜调解"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Assign {
        org_id: Option<String>,
        mediator_id: Option<String>,
    },
    Return {
        reason: String,
    },
    Decline {
        reason: String,
    },
    Accept,
    Extend {
        days: u32,
    },
    AppraisalStart,
    AppraisalEnd,
    ChangeMediator {
        mediator_id: String,
    },
    Conclude {
        outcome: Outcome,
        agreement_path: Option<AgreementPath>,
        failure_reason: Option<String>,
        performed: bool,
    },
    Link {
        confirmation: Option<String>,
        document: Option<String>,
        filed: Option<String>,
    },
    Reopen {
        note: String,
    },
}

impl Action {
    /// The action's name as the command line and the API write it.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Assign { .. } => "assign",
            Action::Return { .. } => "return",
            Action::Decline { .. } => "decline",
            Action::Accept => "accept",
            Action::Extend { .. } => "extend",
            Action::AppraisalStart => "appraisal_start",
            Action::AppraisalEnd => "appraisal_end",
            Action::ChangeMediator { .. } => "change_mediator",
            Action::Conclude { .. } => "conclude",
            Action::Link { .. } => "link",
            Action::Reopen { .. } => "reopen",
        }
    }
}

/// The Chinese name of an action id (and of `create`, as the history shows it); an unknown id
/// as written.
pub fn action_zh(id: &str) -> &str {
    match id {
        "create" => "登记",
        "assign" => "委派",
        "return" => "退回",
        "decline" => "不予接受",
        "accept" => "接受",
        "extend" => "延长",
        "appraisal_start" => "开始鉴定评估",
        "appraisal_end" => "结束鉴定评估",
        "change_mediator" => "更换调解员",
        "conclude" => "结束调解",
        "link" => "关联案件",
        "reopen" => "重新打开",
        "update" => "修改",
        other => other,
    }
}

/// What taking an action changes: the record and the event it writes, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acted {
    pub mediation: Mediation,
    pub event: Option<MediationEvent>,
    /// For `appraisal_end`: the open appraisal event as stored, and the same event closed (its
    /// `end_date` set), which replaces it.
    pub closed_event: Option<(MediationEvent, MediationEvent)>,
}

impl Acted {
    /// The record's events after the action: the new one added, a closed one replacing its open
    /// self.
    pub fn events_after(&self, events: &[MediationEvent]) -> Vec<MediationEvent> {
        let mut after: Vec<MediationEvent> = events
            .iter()
            .map(|e| match &self.closed_event {
                Some((open, closed)) if e == open => closed.clone(),
                _ => e.clone(),
            })
            .collect();
        after.extend(self.event.iter().cloned());
        after
    }

    /// What the audit records of the action (`workflows.md` §0.7): the changed fields of the
    /// record before and after, with its state at `today` on each side, the event written and
    /// the note.
    pub fn audit_fields(
        &self,
        before: &Mediation,
        events: &[MediationEvent],
        today: NaiveDate,
        note: Option<&str>,
    ) -> (serde_json::Value, serde_json::Value) {
        use serde_json::{Value, json};
        let (mut old, mut new) = changed_fields(before, &self.mediation);
        old.insert("state".into(), json!(state_at(before, events, today).id()));
        let after_events = self.events_after(events);
        new.insert(
            "state".into(),
            json!(state_at(&self.mediation, &after_events, today).id()),
        );
        if let Some(e) = &self.event {
            new.insert(
                "event".into(),
                serde_json::to_value(e).unwrap_or(Value::Null),
            );
        }
        if let Some((_, closed)) = &self.closed_event {
            new.insert(
                "event".into(),
                serde_json::to_value(closed).unwrap_or(Value::Null),
            );
        }
        if let Some(note) = note {
            new.insert("note".into(), json!(note));
        }
        (Value::Object(old), Value::Object(new))
    }
}

/// The last date of anything done on the record: no action may be dated before it.
fn last_action_date(m: &Mediation, events: &[MediationEvent]) -> NaiveDate {
    [
        Some(m.registered_date),
        m.referred_date,
        m.accepted_date,
        m.concluded_date,
    ]
    .into_iter()
    .flatten()
    .chain(events.iter().map(|e| e.end_date.unwrap_or(e.date)))
    .max()
    .unwrap_or(m.registered_date)
}

/// Take `action` on `m` on `date` (today is `today`). `case_judge` gives the court and judge of
/// a case, for a judge concluding a 委托 mediation of their own case.
#[allow(clippy::too_many_arguments)]
pub fn act(
    m: &Mediation,
    events: &[MediationEvent],
    action: &Action,
    date: NaiveDate,
    today: NaiveDate,
    actor: &Actor,
    calendar: &HolidayCalendar,
    settings: &MediationSettings,
    case_judge: &dyn Fn(&str) -> Option<(String, String)>,
) -> Result<Acted, ActError> {
    let state = state_at(m, events, today.max(last_action_date(m, events)));
    let not_allowed = || ActError::NotAllowed {
        action: action.name(),
        action_zh: action_zh(action.name()),
        state: state.id(),
        state_zh: state.name_zh(),
    };
    // Who may act: the clerk's duty; a mediator on their own mediation; a judge concluding a
    // 委托 mediation of their own case; an administrator to reopen.
    let own = actor.has(Duty::Mediator)
        && actor.mediator_id.is_some()
        && actor.mediator_id == m.mediator_id;
    let clerk = actor.has(Duty::MediationClerk);
    let judge_of_case = m.kind == MediationKind::Entrusted
        && actor.judge.is_some()
        && m.case_number.as_deref().and_then(case_judge) == actor.judge;
    let allowed = match action {
        Action::Assign { .. }
        | Action::Return { .. }
        | Action::ChangeMediator { .. }
        | Action::Link { .. } => clerk,
        Action::Decline { .. }
        | Action::Accept
        | Action::Extend { .. }
        | Action::AppraisalStart
        | Action::AppraisalEnd => clerk || own,
        Action::Conclude { .. } => clerk || own || judge_of_case,
        Action::Reopen { .. } => actor.admin,
    };
    if !allowed {
        return Err(ActError::Forbidden(format!(
            "没有执行“{}”的职责（需要诉调对接职责{}）",
            action.name(),
            match action {
                Action::Reopen { .. } => "；重新打开仅限系统管理员",
                Action::Decline { .. }
                | Action::Accept
                | Action::Extend { .. }
                | Action::AppraisalStart
                | Action::AppraisalEnd
                | Action::Conclude { .. } => "，或为本案调解员",
                _ => "",
            }
        )));
    }
    if date > today {
        return Err(invalid("date", format!("日期 {date} 晚于今天 {today}")));
    }
    let last = last_action_date(m, events);
    if date < last && !matches!(action, Action::Link { .. } | Action::Reopen { .. }) {
        return Err(invalid(
            "date",
            format!("日期 {date} 早于本调解上一次办理的日期 {last}"),
        ));
    }
    let mut next = m.clone();
    let event =
        |kind: EventKind, days: Option<u32>, mediator: Option<String>, reason: Option<String>| {
            MediationEvent {
                mediation_id: m.mediation_id.clone(),
                kind,
                date,
                end_date: None,
                days,
                mediator_id: mediator,
                reason,
            }
        };
    let mut written = None;
    let mut closed = None;
    match action {
        Action::Assign {
            org_id,
            mediator_id,
        } => {
            if state != State::Registered {
                return Err(not_allowed());
            }
            if org_id.is_none() && mediator_id.is_none() {
                return Err(invalid("org_id", "委派须指定调解组织或调解员"));
            }
            next.referred_date = Some(date);
            next.org_id = org_id.clone().or(next.org_id);
            next.mediator_id = mediator_id.clone();
        }
        Action::Return { reason } => {
            if state != State::Registered {
                return Err(not_allowed());
            }
            if !RETURN_REASONS.contains(&reason.as_str()) {
                return Err(invalid(
                    "reason",
                    format!("退回原因应为 {}", RETURN_REASONS.join("、")),
                ));
            }
            next.outcome = Some(Outcome::Returned);
            next.concluded_date = Some(date);
            next.failure_reason = Some(reason.clone());
        }
        Action::Decline { reason } => {
            if state != State::Referred {
                return Err(not_allowed());
            }
            if reason.trim().is_empty() {
                return Err(invalid("reason", "不予接受须说明理由"));
            }
            written = Some(event(
                EventKind::NotAccepted,
                None,
                m.mediator_id.clone(),
                Some(reason.clone()),
            ));
        }
        Action::Accept => {
            if state != State::Referred {
                return Err(not_allowed());
            }
            next.accepted_date = Some(date);
        }
        Action::Extend { days } => {
            if state != State::Mediating {
                return Err(not_allowed());
            }
            if *days == 0 {
                return Err(invalid("days", "延长天数应大于 0"));
            }
            // A year at most in one extension, as for the cases' extensions: anything longer
            // is a typo.
            if *days > tianping_domain::time_limit::MAX_EXTENSION_DAYS {
                return Err(invalid(
                    "days",
                    format!(
                        "一次延长不能超过 {} 天",
                        tianping_domain::time_limit::MAX_EXTENSION_DAYS
                    ),
                ));
            }
            // Agreed on or before the deadline then in force (art. 25(6)).
            if let Some(d) = mediation_deadline(m, events, date, calendar, settings)
                && date > d.deadline
            {
                return Err(invalid(
                    "date",
                    format!("调解期限已于 {} 届满，届满后不能再延长", d.deadline),
                ));
            }
            let before: u32 = events
                .iter()
                .filter(|e| e.kind == EventKind::Extension)
                .map(|e| e.days.unwrap_or(0))
                .sum();
            if let Some(cap) = settings.max_extension_days
                && before + days > cap
            {
                return Err(invalid(
                    "days",
                    format!("延长合计 {} 天，超过设置的上限 {cap} 天", before + days),
                ));
            }
            let since_2025 = NaiveDate::from_ymd_opt(2025, 1, 1).expect("a date");
            if m.kind == MediationKind::Entrusted
                && m.accepted_date.is_some_and(|a| a >= since_2025)
                && before + days > ENTRUSTED_EXTENSION_CAP_DAYS
            {
                return Err(invalid(
                    "days",
                    format!(
                        "委托调解延长合计 {} 天，超过 30 天（最高人民法院《关于严格依法规范民事案件立案与调解工作的意见》）",
                        before + days
                    ),
                ));
            }
            written = Some(event(EventKind::Extension, Some(*days), None, None));
        }
        Action::AppraisalStart => {
            if state != State::Mediating {
                return Err(not_allowed());
            }
            if events
                .iter()
                .any(|e| e.kind == EventKind::Appraisal && e.end_date.is_none())
            {
                return Err(invalid("date", "已有未结束的鉴定评估"));
            }
            written = Some(event(EventKind::Appraisal, None, None, None));
        }
        Action::AppraisalEnd => {
            if state != State::Mediating {
                return Err(not_allowed());
            }
            let Some(open) = events
                .iter()
                .find(|e| e.kind == EventKind::Appraisal && e.end_date.is_none())
            else {
                return Err(invalid("date", "没有进行中的鉴定评估"));
            };
            let mut done = open.clone();
            done.end_date = Some(date);
            closed = Some((open.clone(), done));
        }
        Action::ChangeMediator { mediator_id } => {
            if state != State::Mediating {
                return Err(not_allowed());
            }
            if mediator_id.trim().is_empty() {
                return Err(invalid("mediator_id", "须指定新的调解员"));
            }
            // The period is not restarted (§9 decision 4).
            written = Some(event(
                EventKind::MediatorChange,
                None,
                Some(mediator_id.clone()),
                None,
            ));
            next.mediator_id = Some(mediator_id.clone());
        }
        Action::Conclude {
            outcome,
            agreement_path,
            failure_reason,
            performed,
        } => {
            if state != State::Mediating {
                return Err(not_allowed());
            }
            match outcome {
                Outcome::Returned => {
                    return Err(invalid("outcome", "退回用“return”，不是调解结果"));
                }
                Outcome::Failed
                    if failure_reason
                        .as_deref()
                        .is_none_or(|r| r.trim().is_empty()) =>
                {
                    return Err(invalid("failure_reason", "调解不成须写明原因"));
                }
                _ => {}
            }
            next.outcome = Some(*outcome);
            next.concluded_date = Some(date);
            if *outcome == Outcome::Succeeded {
                next.agreement_path = Some(agreement_path.unwrap_or(AgreementPath::Undecided));
                next.performed = Some(*performed);
            }
            if *outcome == Outcome::Failed {
                next.failure_reason = failure_reason.clone();
            }
        }
        Action::Link {
            confirmation,
            document,
            filed,
        } => {
            if !matches!(state, State::Succeeded | State::Withdrawn | State::Failed) {
                return Err(not_allowed());
            }
            if confirmation.is_none() && document.is_none() && filed.is_none() {
                return Err(invalid(
                    "case_number",
                    "须给出司法确认、调解书或立案案号之一",
                ));
            }
            if let Some(c) = confirmation {
                next.confirmation_case_number = Some(c.clone());
            }
            if let Some(c) = document {
                next.document_case_number = Some(c.clone());
            }
            if let Some(c) = filed {
                next.filed_case_number = Some(c.clone());
            }
        }
        Action::Reopen { note } => {
            if state.is_open() {
                return Err(not_allowed());
            }
            if note.trim().is_empty() {
                return Err(invalid("note", "重新打开须写明理由"));
            }
            next.outcome = None;
            next.concluded_date = None;
            next.agreement_path = None;
            next.performed = None;
            next.failure_reason = None;
        }
    }
    Ok(Acted {
        mediation: next,
        event: written,
        closed_event: closed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tianping_domain::dates::parse_date;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn clerk() -> Actor {
        Actor {
            name: "lian".into(),
            duties: vec![Duty::MediationClerk],
            ..Actor::default()
        }
    }

    fn mediator(id: &str) -> Actor {
        Actor {
            name: "wang".into(),
            duties: vec![Duty::Mediator],
            mediator_id: Some(id.into()),
            ..Actor::default()
        }
    }

    fn run(
        m: &Mediation,
        events: &[MediationEvent],
        action: Action,
        date: &str,
        actor: &Actor,
    ) -> Result<Acted, ActError> {
        act(
            m,
            events,
            &action,
            d(date),
            d("2023-12-31"),
            actor,
            &HolidayCalendar::builtin(),
            &MediationSettings::default(),
            &|_| None,
        )
    }

    #[test]
    fn a_mediation_goes_from_registration_to_success() {
        let m = Mediation::registered("M1", "鲁0102", MediationKind::Delegated, d("2023-09-01"));
        let m = run(
            &m,
            &[],
            Action::Assign {
                org_id: Some("ORG1".into()),
                mediator_id: Some("MD1".into()),
            },
            "2023-09-01",
            &clerk(),
        )
        .unwrap()
        .mediation;
        assert_eq!(state_at(&m, &[], d("2023-09-01")), State::Referred);
        // Another mediator may not accept it; its own may.
        assert!(matches!(
            run(&m, &[], Action::Accept, "2023-09-01", &mediator("MD2")),
            Err(ActError::Forbidden(_))
        ));
        let m = run(&m, &[], Action::Accept, "2023-09-01", &mediator("MD1"))
            .unwrap()
            .mediation;
        assert_eq!(m.accepted_date, Some(d("2023-09-01")));
        // The deadline is 10-07: an extension on 10-08 comes too late.
        let late = run(
            &m,
            &[],
            Action::Extend { days: 10 },
            "2023-10-08",
            &mediator("MD1"),
        );
        assert!(
            matches!(late, Err(ActError::Invalid { field: "date", .. })),
            "{late:?}"
        );
        let ext = run(
            &m,
            &[],
            Action::Extend { days: 10 },
            "2023-10-07",
            &mediator("MD1"),
        )
        .unwrap();
        let events = vec![ext.event.unwrap()];
        let done = run(
            &m,
            &events,
            Action::Conclude {
                outcome: Outcome::Succeeded,
                agreement_path: Some(AgreementPath::JudicialConfirmation),
                failure_reason: None,
                performed: false,
            },
            "2023-10-12",
            &mediator("MD1"),
        )
        .unwrap()
        .mediation;
        assert_eq!(state_at(&done, &events, d("2023-10-12")), State::Succeeded);
        // Concluding twice: not from 调解成功.
        let again = run(&done, &events, Action::Accept, "2023-10-12", &clerk());
        assert_eq!(
            again.unwrap_err().to_string(),
            "cannot accept from succeeded（当前状态“调解成功”不能执行此操作）"
        );
        // Only an administrator reopens, with a note.
        assert!(matches!(
            run(
                &done,
                &events,
                Action::Reopen {
                    note: "录入错误".into()
                },
                "2023-10-13",
                &clerk()
            ),
            Err(ActError::Forbidden(_))
        ));
        let reopened = run(
            &done,
            &events,
            Action::Reopen {
                note: "录入错误".into(),
            },
            "2023-10-13",
            &Actor::cli("root"),
        )
        .unwrap()
        .mediation;
        assert_eq!(
            state_at(&reopened, &events, d("2023-10-13")),
            State::Mediating
        );
    }

    #[test]
    fn dates_must_not_run_backwards_or_into_the_future() {
        let m = Mediation::registered("M1", "鲁0102", MediationKind::Delegated, d("2023-09-05"));
        let assign = Action::Assign {
            org_id: Some("ORG1".into()),
            mediator_id: None,
        };
        assert!(matches!(
            run(&m, &[], assign.clone(), "2023-09-04", &clerk()),
            Err(ActError::Invalid { field: "date", .. })
        ));
        assert!(matches!(
            run(&m, &[], assign, "2024-01-01", &clerk()),
            Err(ActError::Invalid { field: "date", .. })
        ));
        assert!(matches!(
            run(
                &m,
                &[],
                Action::Return {
                    reason: "看不懂".into()
                },
                "2023-09-05",
                &clerk()
            ),
            Err(ActError::Invalid {
                field: "reason",
                ..
            })
        ));
    }

    #[test]
    fn an_entrusted_mediation_since_2025_extends_by_thirty_days_at_most() {
        let mut m =
            Mediation::registered("M1", "鲁0102", MediationKind::Entrusted, d("2025-03-03"));
        m.case_number = Some("（2025）鲁0102民初1号".into());
        m.referred_date = Some(d("2025-03-03"));
        m.accepted_date = Some(d("2025-03-03"));
        m.mediator_id = Some("MD1".into());
        let first = MediationEvent {
            mediation_id: "M1".into(),
            kind: EventKind::Extension,
            date: d("2025-03-10"),
            end_date: None,
            days: Some(20),
            mediator_id: None,
            reason: None,
        };
        let today = d("2025-12-31");
        let too_long = act(
            &m,
            std::slice::from_ref(&first),
            &Action::Extend { days: 11 },
            d("2025-03-12"),
            today,
            &clerk(),
            &HolidayCalendar::builtin(),
            &MediationSettings::default(),
            &|_| None,
        );
        assert!(
            matches!(too_long, Err(ActError::Invalid { field: "days", .. })),
            "{too_long:?}"
        );
        // The case's judge may conclude it.
        let judge = Actor {
            name: "zhang".into(),
            judge: Some(("鲁0102".into(), "张明".into())),
            ..Actor::default()
        };
        let owner = |n: &str| {
            (n == "（2025）鲁0102民初1号").then(|| ("鲁0102".to_owned(), "张明".to_owned()))
        };
        let failed = act(
            &m,
            &[first],
            &Action::Conclude {
                outcome: Outcome::Failed,
                agreement_path: None,
                failure_reason: Some("分歧较大".into()),
                performed: false,
            },
            d("2025-03-20"),
            today,
            &judge,
            &HolidayCalendar::builtin(),
            &MediationSettings::default(),
            &owner,
        )
        .unwrap();
        assert_eq!(failed.mediation.outcome, Some(Outcome::Failed));
    }
}
