//! The actions on a refund and who may take them (`workflows.md` §4.2, §4.6): `refund` (the
//! whole outstanding amount, or a part: a partial refund keeps it owed), `waive` (the payee
//! declined or agreed to be paid by the losing party, 民诉解释 art. 207), and the
//! administrator's `reopen` (a correction, note required). Duty `finance` (诉讼费管理).

use chrono::NaiveDate;
use serde_json::{Value, json};
use tianping_domain::Money;

use super::model::{FeeRefund, State, state_at};
pub use crate::core::act::ActError;
use crate::core::act::{changed_fields, invalid};
use crate::core::duties::{Actor, Duty};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Pay `amount` (default: all that is still owed).
    Refund {
        amount: Option<Money>,
    },
    Waive {
        note: String,
    },
    /// Administrators only: back to owed, the payments and the waiver cleared.
    Reopen {
        note: String,
    },
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Refund { .. } => "refund",
            Action::Waive { .. } => "waive",
            Action::Reopen { .. } => "reopen",
        }
    }
}

/// The Chinese name of an action id (and of `create`).
pub fn action_zh(id: &str) -> &str {
    match id {
        "create" => "登记应退费用",
        "refund" => "退费",
        "waive" => "免退",
        "reopen" => "重新打开",
        other => other,
    }
}

/// Take `action` on `r` on `date` (today is `today`); returns the changed refund.
pub fn act(
    r: &FeeRefund,
    action: &Action,
    date: NaiveDate,
    today: NaiveDate,
    actor: &Actor,
) -> Result<FeeRefund, ActError> {
    let state = state_at(r, NaiveDate::MAX);
    let not_allowed = || ActError::NotAllowed {
        action: action.name(),
        action_zh: action_zh(action.name()),
        state: state.id(),
        state_zh: state.name_zh(),
    };
    let allowed = match action {
        Action::Reopen { .. } => actor.admin,
        _ => actor.has(Duty::Finance),
    };
    if !allowed {
        return Err(ActError::Forbidden(format!(
            "没有执行“{}”的职责（{}）",
            action_zh(action.name()),
            if matches!(action, Action::Reopen { .. }) {
                "仅系统管理员可以重新打开"
            } else {
                "需要诉讼费管理职责"
            }
        )));
    }
    if date > today {
        return Err(invalid("date", format!("日期 {date} 晚于今天 {today}")));
    }
    let mut next = r.clone();
    match action {
        Action::Refund { amount } if state == State::Owed => {
            if date < r.effective_date {
                return Err(invalid(
                    "date",
                    format!("退费日期 {date} 早于文书生效日期 {}", r.effective_date),
                ));
            }
            if let Some(last) = r.refunded_date.filter(|last| date < *last) {
                return Err(invalid(
                    "date",
                    format!("退费日期 {date} 早于上一次退费日期 {last}"),
                ));
            }
            let owed = r.outstanding_at(NaiveDate::MAX);
            let paying = amount.unwrap_or(owed);
            if paying.fen() <= 0 {
                return Err(invalid("amount", "退费金额应大于 0"));
            }
            if paying.fen() > owed.fen() {
                return Err(invalid(
                    "amount",
                    format!("退费金额 {paying} 元超过尚欠的 {owed} 元"),
                ));
            }
            next.refunded_date = Some(date);
            next.refunded_amount = Some(Money(r.paid().fen() + paying.fen()));
        }
        Action::Waive { note } if state == State::Owed && r.refunded_date.is_none() => {
            if note.trim().is_empty() {
                return Err(invalid(
                    "note",
                    "免退须写明理由（如当事人同意由败诉方直接支付）",
                ));
            }
            next.waived = true;
            next.waived_date = Some(date);
            next.note = Some(note.trim().to_owned());
        }
        Action::Reopen { note } if state != State::Owed => {
            if note.trim().is_empty() {
                return Err(invalid("note", "重新打开须写明理由"));
            }
            next.refunded_date = None;
            next.refunded_amount = None;
            next.waived = false;
            next.waived_date = None;
        }
        _ => return Err(not_allowed()),
    }
    Ok(next)
}

/// What the audit records of an action: the changed fields, the state on each side, the note.
pub fn audit_fields(before: &FeeRefund, after: &FeeRefund, note: Option<&str>) -> (Value, Value) {
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

    fn finance() -> Actor {
        Actor {
            duties: vec![Duty::Finance],
            ..Actor::default()
        }
    }

    #[test]
    fn partial_refunds_add_up_to_the_whole_and_only_finance_acts() {
        let today = d("2024-06-30");
        let r = FeeRefund::owed(
            "R1",
            "（2023）皖0202民初1号",
            "皖0202",
            "胜诉退费",
            Money(50_000),
            d("2023-12-20"),
        );
        assert!(matches!(
            act(
                &r,
                &Action::Refund { amount: None },
                d("2023-12-25"),
                today,
                &Actor::default()
            ),
            Err(ActError::Forbidden(_))
        ));
        assert!(matches!(
            act(
                &r,
                &Action::Refund { amount: None },
                d("2023-12-19"),
                today,
                &finance()
            ),
            Err(ActError::Invalid { field: "date", .. })
        ));
        let part = act(
            &r,
            &Action::Refund {
                amount: Some(Money(20_000)),
            },
            d("2023-12-25"),
            today,
            &finance(),
        )
        .unwrap();
        assert_eq!(state_at(&part, today), State::Owed);
        assert!(matches!(
            act(
                &part,
                &Action::Refund {
                    amount: Some(Money(40_000))
                },
                d("2023-12-28"),
                today,
                &finance()
            ),
            Err(ActError::Invalid {
                field: "amount",
                ..
            })
        ));
        // A part paid: no waiver any more.
        assert!(matches!(
            act(
                &part,
                &Action::Waive { note: "x".into() },
                d("2023-12-28"),
                today,
                &finance()
            ),
            Err(ActError::NotAllowed { .. })
        ));
        let whole = act(
            &part,
            &Action::Refund { amount: None },
            d("2023-12-28"),
            today,
            &finance(),
        )
        .unwrap();
        assert_eq!(whole.refunded_amount, Some(Money(50_000)));
        assert_eq!(state_at(&whole, today), State::Refunded);
        assert!(matches!(
            act(
                &whole,
                &Action::Refund { amount: None },
                d("2023-12-29"),
                today,
                &finance()
            ),
            Err(ActError::NotAllowed { .. })
        ));
        let admin = Actor {
            admin: true,
            ..Actor::default()
        };
        let reopened = act(
            &whole,
            &Action::Reopen {
                note: "录入错误".into(),
            },
            d("2024-01-02"),
            today,
            &admin,
        )
        .unwrap();
        assert_eq!(state_at(&reopened, today), State::Owed);
        let waived = act(
            &r,
            &Action::Waive {
                note: "当事人同意由败诉方直接支付".into(),
            },
            d("2023-12-22"),
            today,
            &finance(),
        )
        .unwrap();
        assert_eq!(state_at(&waived, today), State::Waived);
    }
}
