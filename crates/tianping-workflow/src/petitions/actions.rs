//! The actions on a petition and who may take them (`workflows.md` §2.2):
//!
//! ```text
//! registered ─acknowledge(受理)→ handling ─reply→ concluded
//!      ├─acknowledge(another decision; the notice is the reply)→ concluded
//!      └─object (forwarded items: 退回交办机关)→ concluded
//! ```
//!
//! `extend` (a leader, while handling), `link` (any state), `reopen` (an administrator, a
//! concluded item back to where it was). [`act`] checks the state (409 / exit 2), the duty (403),
//! the date (not after today, not before the record's last date) and the action's rules (422).

use chrono::NaiveDate;
use serde_json::{Value, json};
use tianping_domain::HolidayCalendar;

use super::limits::{MAX_EXTENSION_DAYS, PetitionSettings, normal_handling_deadline};
use super::model::{
    AckDecision, Channel, Matter, Petition, REPLY_FORMS, RESOLUTIONS, RESULTS, State, state_at,
};
pub use crate::core::act::ActError;
use crate::core::act::{changed_fields, invalid};
use crate::core::duties::{Actor, Duty};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Acknowledge {
        decision: AckDecision,
        form: Option<String>,
    },
    Object {
        reason: String,
    },
    Extend {
        days: u32,
        reason: String,
    },
    Reply {
        result: String,
        form: String,
    },
    Link {
        case_number: Option<String>,
        diverted_case_number: Option<String>,
    },
    Reopen {
        note: String,
    },
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Acknowledge { .. } => "acknowledge",
            Action::Object { .. } => "object",
            Action::Extend { .. } => "extend",
            Action::Reply { .. } => "reply",
            Action::Link { .. } => "link",
            Action::Reopen { .. } => "reopen",
        }
    }
}

/// The Chinese name of an action id (and of `create`).
pub fn action_zh(id: &str) -> &str {
    match id {
        "create" => "登记",
        "acknowledge" => "告知",
        "object" => "退回交办机关",
        "extend" => "延期",
        "reply" => "答复",
        "link" => "关联案件",
        "reopen" => "重新打开",
        "resolve_matter" => "化解",
        "update" => "修改",
        other => other,
    }
}

/// The last date of anything done on the petition: no action may be dated before it.
pub fn last_action_date(p: &Petition) -> NaiveDate {
    [
        Some(p.received_date),
        p.ack_date,
        p.accepted_date,
        p.extension_date,
        p.reply_date,
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(p.received_date)
}

fn one_of(field: &'static str, value: &str, allowed: &[&str]) -> Result<(), ActError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("“{value}”应为 {} 之一", allowed.join("、")),
        ))
    }
}

/// Take `action` on `p` on `date` (today is `today`); returns the changed petition.
pub fn act(
    p: &Petition,
    action: &Action,
    date: NaiveDate,
    today: NaiveDate,
    actor: &Actor,
    calendar: &HolidayCalendar,
    settings: &PetitionSettings,
) -> Result<Petition, ActError> {
    let state = state_at(p, today.max(last_action_date(p)));
    let not_allowed = || ActError::NotAllowed {
        action: action.name(),
        action_zh: action_zh(action.name()),
        state: state.id(),
        state_zh: state.name_zh(),
    };
    let allowed = match action {
        Action::Extend { .. } => actor.has(Duty::Leader),
        Action::Reopen { .. } => actor.admin,
        _ => actor.has(Duty::PetitionOfficer),
    };
    if !allowed {
        return Err(ActError::Forbidden(format!(
            "没有执行“{}”的职责（{}）",
            action_zh(action.name()),
            match action {
                Action::Extend { .. } => "延期须院领导批准",
                Action::Reopen { .. } => "重新打开仅限系统管理员",
                _ => "需要信访接待职责",
            }
        )));
    }
    if date > today {
        return Err(invalid("date", format!("日期 {date} 晚于今天 {today}")));
    }
    let last = last_action_date(p);
    if date < last && !matches!(action, Action::Link { .. } | Action::Reopen { .. }) {
        return Err(invalid(
            "date",
            format!("日期 {date} 早于本信访件上一次办理的日期 {last}"),
        ));
    }
    let mut next = p.clone();
    match action {
        Action::Acknowledge { decision, form } => {
            if state != State::Registered {
                return Err(not_allowed());
            }
            if *decision == AckDecision::ReturnedToSender {
                return Err(invalid(
                    "decision",
                    "退回交办机关请用“退回”操作（object），仅限转办交办件",
                ));
            }
            next.ack_date = Some(date);
            next.ack_decision = Some(*decision);
            if *decision == AckDecision::Accepted {
                next.accepted_date = Some(date);
            } else {
                // The notice is the reply (条例 art. 23): its form is required.
                let Some(form) = form else {
                    return Err(invalid("form", "不予受理等告知须写明告知方式"));
                };
                one_of("form", form, &REPLY_FORMS)?;
                next.reply_form = Some(form.clone());
                next.result = Some(decision.name_zh().to_owned());
            }
        }
        Action::Object { reason } => {
            if state != State::Registered {
                return Err(not_allowed());
            }
            if p.channel != Channel::Forwarded {
                return Err(invalid("channel", "只有转办交办件可以退回交办机关"));
            }
            if reason.trim().is_empty() {
                return Err(invalid("reason", "须写明退回理由"));
            }
            next.ack_date = Some(date);
            next.ack_decision = Some(AckDecision::ReturnedToSender);
            next.result = Some(AckDecision::ReturnedToSender.name_zh().to_owned());
            next.reply_form = Some("书面".to_owned());
        }
        Action::Extend { days, reason } => {
            if state != State::Handling {
                return Err(not_allowed());
            }
            if p.review_level != 0 {
                return Err(invalid(
                    "days",
                    "复查、复核期限不能延长（信访工作条例第三十五、三十六条）",
                ));
            }
            let total = p.extension_days.unwrap_or(0) + days;
            if *days == 0 || total > MAX_EXTENSION_DAYS {
                return Err(invalid(
                    "days",
                    format!(
                        "延期合计不得超过{MAX_EXTENSION_DAYS}日（信访工作条例第三十四条），已延期{}日",
                        p.extension_days.unwrap_or(0)
                    ),
                ));
            }
            if reason.trim().is_empty() {
                return Err(invalid("reason", "须写明延期理由"));
            }
            if let Some(deadline) = normal_handling_deadline(p, calendar, settings)
                && date > deadline
            {
                return Err(invalid(
                    "date",
                    format!("延期须在60日办理期限 {deadline} 届满前批准"),
                ));
            }
            next.extension_days = Some(total);
            next.extension_date = Some(date);
        }
        Action::Reply { result, form } => {
            if state != State::Handling {
                return Err(not_allowed());
            }
            one_of("result", result, &RESULTS)?;
            if result == "不予受理" {
                return Err(invalid("result", "已受理的信访件答复结果不能为“不予受理”"));
            }
            one_of("form", form, &REPLY_FORMS)?;
            next.reply_date = Some(date);
            next.result = Some(result.clone());
            next.reply_form = Some(form.clone());
        }
        Action::Link {
            case_number,
            diverted_case_number,
        } => {
            if case_number.is_none() && diverted_case_number.is_none() {
                return Err(invalid("case_number", "须填写信访涉及的案号或导入的案号"));
            }
            if case_number.is_some() {
                next.case_number.clone_from(case_number);
                next.litigation_related = true;
            }
            if diverted_case_number.is_some() {
                next.diverted_case_number.clone_from(diverted_case_number);
            }
        }
        Action::Reopen { note } => {
            if state != State::Concluded {
                return Err(not_allowed());
            }
            if note.trim().is_empty() {
                return Err(invalid("note", "重新打开须写明理由"));
            }
            if p.reply_date.is_some() {
                next.reply_date = None;
            } else {
                next.ack_date = None;
                next.ack_decision = None;
            }
            next.result = None;
            next.reply_form = None;
        }
    }
    Ok(next)
}

/// What the audit records of an action (§0.7): the changed fields before and after, with the
/// state at `today` on each side and the note.
pub fn audit_fields(
    before: &Petition,
    after: &Petition,
    today: NaiveDate,
    note: Option<&str>,
) -> (Value, Value) {
    let (mut old, mut new) = changed_fields(before, after);
    old.insert("state".into(), json!(state_at(before, today).id()));
    new.insert("state".into(), json!(state_at(after, today).id()));
    if let Some(note) = note {
        new.insert("note".into(), json!(note));
    }
    (Value::Object(old), Value::Object(new))
}

/// `resolve_matter` (§2.2): a matter still open is resolved on `date` by `resolution`; a
/// petition officer or a leader.
pub fn resolve_matter(
    m: &Matter,
    opened: NaiveDate,
    resolution: &str,
    date: NaiveDate,
    today: NaiveDate,
    actor: &Actor,
) -> Result<Matter, ActError> {
    if !(actor.has(Duty::PetitionOfficer) || actor.has(Duty::Leader)) {
        return Err(ActError::Forbidden(
            "没有执行“化解”的职责（需要信访接待职责或院领导）".to_owned(),
        ));
    }
    if m.resolved_date.is_some() {
        return Err(ActError::NotAllowed {
            action: "resolve_matter",
            action_zh: "化解",
            state: "resolved",
            state_zh: "已化解",
        });
    }
    one_of("resolution", resolution, &RESOLUTIONS)?;
    if date > today {
        return Err(invalid("date", format!("日期 {date} 晚于今天 {today}")));
    }
    if date < opened {
        return Err(invalid(
            "date",
            format!("化解日期 {date} 早于事项立案日期 {opened}"),
        ));
    }
    let mut next = m.clone();
    next.resolved_date = Some(date);
    next.resolution = Some(resolution.to_owned());
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        tianping_domain::dates::parse_date(s).unwrap()
    }

    fn officer() -> Actor {
        Actor {
            name: "xfban".into(),
            duties: vec![Duty::PetitionOfficer],
            ..Actor::default()
        }
    }

    fn leader() -> Actor {
        Actor {
            name: "yuanzhang".into(),
            duties: vec![Duty::Leader],
            ..Actor::default()
        }
    }

    fn petition() -> Petition {
        Petition::registered(
            "XF1",
            "皖0202",
            d("2023-09-20"),
            Channel::Letter,
            "申诉求决",
            true,
        )
    }

    fn run(p: &Petition, action: Action, date: &str, who: &Actor) -> Result<Petition, ActError> {
        act(
            p,
            &action,
            d(date),
            d("2024-06-30"),
            who,
            &HolidayCalendar::builtin(),
            &PetitionSettings::default(),
        )
    }

    #[test]
    fn a_petition_is_acknowledged_extended_and_replied() {
        let p = petition();
        let ack = Action::Acknowledge {
            decision: AckDecision::Accepted,
            form: None,
        };
        // A leader may not acknowledge; an officer may.
        assert!(matches!(
            run(&p, ack.clone(), "2023-09-28", &leader()),
            Err(ActError::Forbidden(_))
        ));
        let p = run(&p, ack.clone(), "2023-09-28", &officer()).unwrap();
        assert_eq!(state_at(&p, d("2023-09-28")), State::Handling);
        assert_eq!(p.accepted_date, Some(d("2023-09-28")));
        // Not twice.
        assert!(matches!(
            run(&p, ack, "2023-09-29", &officer()),
            Err(ActError::NotAllowed { .. })
        ));
        // Extensions: a leader, at most 30 days in all, approved by the 60-day deadline.
        let extend = |days| Action::Extend {
            days,
            reason: "案情复杂".into(),
        };
        assert!(matches!(
            run(&p, extend(10), "2023-11-20", &officer()),
            Err(ActError::Forbidden(_))
        ));
        assert!(matches!(
            run(&p, extend(31), "2023-11-20", &leader()),
            Err(ActError::Invalid { field: "days", .. })
        ));
        assert!(matches!(
            run(&p, extend(10), "2023-11-28", &leader()),
            Err(ActError::Invalid { field: "date", .. })
        ));
        let p = run(&p, extend(20), "2023-11-20", &leader()).unwrap();
        assert!(matches!(
            run(&p, extend(11), "2023-11-21", &leader()),
            Err(ActError::Invalid { field: "days", .. })
        ));
        let p = run(&p, extend(10), "2023-11-21", &leader()).unwrap();
        assert_eq!(p.extension_days, Some(30));
        // A reply dated before the last action is refused; then replied.
        let reply = Action::Reply {
            result: "解释说明".into(),
            form: "书面".into(),
        };
        assert!(matches!(
            run(&p, reply.clone(), "2023-11-01", &officer()),
            Err(ActError::Invalid { field: "date", .. })
        ));
        let p = run(&p, reply, "2023-12-20", &officer()).unwrap();
        assert_eq!(state_at(&p, d("2023-12-20")), State::Concluded);
        // Reopened by an administrator only, with a note: back to handling.
        let reopen = Action::Reopen {
            note: "答复有误".into(),
        };
        assert!(matches!(
            run(&p, reopen.clone(), "2023-12-21", &officer()),
            Err(ActError::Forbidden(_))
        ));
        let admin = Actor::cli("admin");
        let p = run(&p, reopen, "2023-12-21", &admin).unwrap();
        assert_eq!(state_at(&p, d("2023-12-21")), State::Handling);
    }

    #[test]
    fn a_refusal_concludes_with_its_form_and_only_forwarded_items_go_back() {
        let p = petition();
        let refuse = |form: Option<&str>| Action::Acknowledge {
            decision: AckDecision::NotAccepted,
            form: form.map(str::to_owned),
        };
        assert!(matches!(
            run(&p, refuse(None), "2023-09-25", &officer()),
            Err(ActError::Invalid { field: "form", .. })
        ));
        let done = run(&p, refuse(Some("书面")), "2023-09-25", &officer()).unwrap();
        assert_eq!(state_at(&done, d("2023-09-25")), State::Concluded);
        assert_eq!(done.result.as_deref(), Some("不予受理"));
        let object = Action::Object {
            reason: "不属于本院职权范围".into(),
        };
        assert!(matches!(
            run(&p, object.clone(), "2023-09-25", &officer()),
            Err(ActError::Invalid {
                field: "channel",
                ..
            })
        ));
        let mut forwarded = p.clone();
        forwarded.channel = Channel::Forwarded;
        forwarded.source = Some("上级法院".into());
        let back = run(&forwarded, object, "2023-09-25", &officer()).unwrap();
        assert_eq!(back.ack_decision, Some(AckDecision::ReturnedToSender));
        assert_eq!(state_at(&back, d("2023-09-25")), State::Concluded);
    }

    #[test]
    fn a_matter_is_resolved_once_by_an_officer_or_a_leader() {
        let m = Matter::new("XF1");
        let today = d("2024-06-30");
        assert!(matches!(
            resolve_matter(
                &m,
                d("2023-09-20"),
                "息诉罢访",
                d("2024-01-10"),
                today,
                &Actor::default()
            ),
            Err(ActError::Forbidden(_))
        ));
        assert!(matches!(
            resolve_matter(
                &m,
                d("2023-09-20"),
                "握手言和",
                d("2024-01-10"),
                today,
                &leader()
            ),
            Err(ActError::Invalid {
                field: "resolution",
                ..
            })
        ));
        let r = resolve_matter(
            &m,
            d("2023-09-20"),
            "息诉罢访",
            d("2024-01-10"),
            today,
            &leader(),
        )
        .unwrap();
        assert_eq!(r.resolved_date, Some(d("2024-01-10")));
        assert!(matches!(
            resolve_matter(
                &r,
                d("2023-09-20"),
                "息诉罢访",
                d("2024-01-11"),
                today,
                &officer()
            ),
            Err(ActError::NotAllowed { .. })
        ));
    }
}
