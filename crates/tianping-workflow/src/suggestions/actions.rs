//! The actions on a judicial suggestion and who may take them (`workflows.md` §3.2):
//! `drafted → approved (审委会) → signed (院长签发) → issued → replied`; `drafted | approved →
//! withdrawn`; `serve` while issued; `implemented` once replied, `praised` once issued.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::model::{ADOPTIONS, State, Suggestion, state_at};
pub use crate::core::act::ActError;
use crate::core::act::{changed_fields, invalid};
use crate::core::duties::{Actor, Duty};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Approve,
    Sign,
    Issue { reply_months: Option<u32> },
    Serve,
    Reply { adoption: String },
    Implemented,
    Praised,
    Withdraw { note: String },
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Sign => "sign",
            Action::Issue { .. } => "issue",
            Action::Serve => "serve",
            Action::Reply { .. } => "reply",
            Action::Implemented => "implemented",
            Action::Praised => "praised",
            Action::Withdraw { .. } => "withdraw",
        }
    }
}

/// The Chinese name of an action id (and of `create`).
pub fn action_zh(id: &str) -> &str {
    match id {
        "create" => "起草",
        "approve" => "审委会审议",
        "sign" => "院长签发",
        "issue" => "发出",
        "serve" => "送达",
        "reply" => "收到答复",
        "implemented" => "已落实",
        "praised" => "获肯定",
        "withdraw" => "撤回",
        "edit" => "修改文稿",
        other => other,
    }
}

/// The last date recorded on the suggestion: no action may be dated before it.
pub fn last_date(s: &Suggestion) -> Option<NaiveDate> {
    [
        s.drafted_date,
        s.committee_date,
        s.signed_date,
        s.issued_date,
        s.served_date,
        s.reply_date,
    ]
    .into_iter()
    .flatten()
    .max()
}

/// Take `action` on `s` on `date` (today is `today`); returns the changed suggestion.
pub fn act(
    s: &Suggestion,
    action: &Action,
    date: NaiveDate,
    today: NaiveDate,
    actor: &Actor,
) -> Result<Suggestion, ActError> {
    let state = state_at(s, NaiveDate::MAX);
    let not_allowed = || ActError::NotAllowed {
        action: action.name(),
        action_zh: action_zh(action.name()),
        state: state.id(),
        state_zh: state.name_zh(),
    };
    let allowed = match action {
        Action::Sign => actor.has(Duty::Leader),
        _ => actor.has(Duty::SuggestionOfficer),
    };
    if !allowed {
        return Err(ActError::Forbidden(format!(
            "没有执行“{}”的职责（{}）",
            action_zh(action.name()),
            if *action == Action::Sign {
                "签发须院长或院领导"
            } else {
                "需要司法建议管理职责"
            }
        )));
    }
    if date > today {
        return Err(invalid("date", format!("日期 {date} 晚于今天 {today}")));
    }
    if let Some(last) = last_date(s)
        && date < last
        && !matches!(action, Action::Implemented | Action::Praised)
    {
        return Err(invalid(
            "date",
            format!("日期 {date} 早于本建议上一次办理的日期 {last}"),
        ));
    }
    let mut next = s.clone();
    match action {
        Action::Approve if state == State::Drafted => next.committee_date = Some(date),
        Action::Sign if state == State::Approved => next.signed_date = Some(date),
        Action::Issue { reply_months } if state == State::Signed => {
            if let Some(m) = reply_months {
                if *m == 0 {
                    return Err(invalid("reply_months", "答复期限应至少为 1 个月"));
                }
                if *m > 2 && s.reply_basis.is_none() {
                    return Err(invalid(
                        "reply_months",
                        "答复期限一般不超过两个月；超过须写明依据（建议规定第八条）",
                    ));
                }
                next.reply_months = *m;
            }
            next.issued_date = Some(date);
        }
        Action::Serve if state == State::Issued => next.served_date = Some(date),
        Action::Reply { adoption } if state == State::Issued => {
            if !ADOPTIONS.contains(&adoption.as_str()) {
                return Err(invalid(
                    "adoption",
                    format!("采纳情况“{adoption}”应为 采纳、部分采纳 或 未采纳"),
                ));
            }
            next.reply_date = Some(date);
            next.adoption = Some(adoption.clone());
        }
        Action::Implemented if state == State::Replied => next.implemented = true,
        Action::Praised if matches!(state, State::Issued | State::Replied) => next.praised = true,
        Action::Withdraw { note } if matches!(state, State::Drafted | State::Approved) => {
            if note.trim().is_empty() {
                return Err(invalid("note", "撤回须写明理由"));
            }
            next.withdrawn_date = Some(date);
        }
        _ => return Err(not_allowed()),
    }
    Ok(next)
}

/// The letter's text, changed while the suggestion is drafted or approved: once the president
/// has signed it (建议规定 art. 7 ¶2) the text is what was signed. Absent fields stay as they
/// are; a blank optional field is cleared.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct TextFields {
    pub title: Option<String>,
    pub recipient: Option<String>,
    pub background: Option<String>,
    pub findings: Option<String>,
    pub proposals: Option<String>,
    pub contact: Option<String>,
    pub annexes: Option<String>,
    pub cc: Option<String>,
}

/// Change the text of `s` (duty suggestion_officer, before signing).
pub fn edit_text(
    s: &Suggestion,
    fields: &TextFields,
    actor: &Actor,
) -> Result<Suggestion, ActError> {
    if !actor.has(Duty::SuggestionOfficer) {
        return Err(ActError::Forbidden(
            "没有修改司法建议书文稿的职责（需要司法建议管理职责）".to_owned(),
        ));
    }
    let state = state_at(s, NaiveDate::MAX);
    if !matches!(state, State::Drafted | State::Approved) {
        return Err(ActError::NotAllowed {
            action: "edit",
            action_zh: action_zh("edit"),
            state: state.id(),
            state_zh: state.name_zh(),
        });
    }
    let mut next = s.clone();
    for (field, name, value, target) in [
        ("title", "标题", &fields.title, &mut next.title),
        (
            "recipient",
            "被建议单位",
            &fields.recipient,
            &mut next.recipient,
        ),
    ] {
        if let Some(v) = value {
            let v = v.trim();
            if v.is_empty() {
                return Err(invalid(field, format!("{name}不能为空")));
            }
            *target = v.to_owned();
        }
    }
    for (value, target) in [
        (&fields.background, &mut next.background),
        (&fields.findings, &mut next.findings),
        (&fields.proposals, &mut next.proposals),
        (&fields.contact, &mut next.contact),
        (&fields.annexes, &mut next.annexes),
        (&fields.cc, &mut next.cc),
    ] {
        if let Some(v) = value {
            let v = v.trim();
            *target = (!v.is_empty()).then(|| v.to_owned());
        }
    }
    Ok(next)
}

/// What the audit records of an action: the changed fields, the state on each side, the note.
pub fn audit_fields(before: &Suggestion, after: &Suggestion, note: Option<&str>) -> (Value, Value) {
    let (mut old, mut new) = changed_fields(before, after);
    old.insert("state".into(), json!(state_at(before, NaiveDate::MAX).id()));
    new.insert("state".into(), json!(state_at(after, NaiveDate::MAX).id()));
    if let Some(note) = note {
        new.insert("note".into(), json!(note));
    }
    (Value::Object(old), Value::Object(new))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        tianping_domain::dates::parse_date(s).unwrap()
    }

    fn officer() -> Actor {
        Actor {
            duties: vec![Duty::SuggestionOfficer],
            ..Actor::default()
        }
    }

    fn leader() -> Actor {
        Actor {
            duties: vec![Duty::Leader],
            ..Actor::default()
        }
    }

    #[test]
    fn a_suggestion_goes_from_draft_to_reply_each_step_by_its_duty() {
        let today = d("2024-06-30");
        let mut s = Suggestion::drafted(
            "镜法建〔2023〕8号",
            "皖0202",
            "关于加强物业管理的司法建议书",
            "某区住建局",
            "物业纠纷",
        );
        s.drafted_date = Some(d("2023-10-20"));
        let s = act(&s, &Action::Approve, d("2023-11-01"), today, &officer()).unwrap();
        assert!(matches!(
            act(&s, &Action::Sign, d("2023-11-02"), today, &officer()),
            Err(ActError::Forbidden(_))
        ));
        let s = act(&s, &Action::Sign, d("2023-11-02"), today, &leader()).unwrap();
        assert!(matches!(
            act(
                &s,
                &Action::Issue {
                    reply_months: Some(3)
                },
                d("2023-11-28"),
                today,
                &officer()
            ),
            Err(ActError::Invalid {
                field: "reply_months",
                ..
            })
        ));
        let s = act(
            &s,
            &Action::Issue { reply_months: None },
            d("2023-11-28"),
            today,
            &officer(),
        )
        .unwrap();
        assert_eq!(state_at(&s, today), State::Issued);
        assert!(matches!(
            act(
                &s,
                &Action::Withdraw { note: "x".into() },
                d("2023-11-29"),
                today,
                &officer()
            ),
            Err(ActError::NotAllowed { .. })
        ));
        let s = act(&s, &Action::Serve, d("2023-11-30"), today, &officer()).unwrap();
        assert!(matches!(
            act(
                &s,
                &Action::Reply {
                    adoption: "同意".into()
                },
                d("2024-01-10"),
                today,
                &officer()
            ),
            Err(ActError::Invalid {
                field: "adoption",
                ..
            })
        ));
        let s = act(
            &s,
            &Action::Reply {
                adoption: "部分采纳".into(),
            },
            d("2024-01-10"),
            today,
            &officer(),
        )
        .unwrap();
        assert_eq!(state_at(&s, today), State::Replied);
        let s = act(&s, &Action::Implemented, d("2024-03-01"), today, &officer()).unwrap();
        assert!(s.implemented);
        // Dated before the last step: refused.
        let mut draft = Suggestion::drafted("镜法建〔2023〕9号", "皖0202", "t", "r", "其他");
        draft.drafted_date = Some(d("2023-10-20"));
        assert!(matches!(
            act(&draft, &Action::Approve, d("2023-10-19"), today, &officer()),
            Err(ActError::Invalid { field: "date", .. })
        ));
        let w = act(
            &draft,
            &Action::Withdraw {
                note: "问题已解决".into(),
            },
            d("2023-10-25"),
            today,
            &officer(),
        )
        .unwrap();
        assert_eq!(state_at(&w, today), State::Withdrawn);
    }

    #[test]
    fn the_text_changes_only_before_signing_and_only_by_the_officer() {
        let mut s = Suggestion::drafted("镜法建〔2023〕8号", "皖0202", "t", "r", "其他");
        s.cc = Some("某区政府".into());
        let fields = TextFields {
            findings: Some(" 发现的问题 ".into()),
            cc: Some(" ".into()),
            ..TextFields::default()
        };
        assert!(matches!(
            edit_text(&s, &fields, &leader()),
            Err(ActError::Forbidden(_))
        ));
        let edited = edit_text(&s, &fields, &officer()).unwrap();
        assert_eq!(edited.findings.as_deref(), Some("发现的问题"));
        assert_eq!(edited.cc, None);
        assert_eq!(edited.title, "t");
        let blank_title = TextFields {
            title: Some("".into()),
            ..TextFields::default()
        };
        assert!(matches!(
            edit_text(&s, &blank_title, &officer()),
            Err(ActError::Invalid { field: "title", .. })
        ));
        s.committee_date = Some(d("2023-11-01"));
        s.signed_date = Some(d("2023-11-02"));
        assert!(matches!(
            edit_text(&s, &fields, &officer()),
            Err(ActError::NotAllowed { .. })
        ));
    }
}
