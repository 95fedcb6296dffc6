//! Synthetic court-fee refunds (`workflows.md` §4) for the closed civil and administrative cases
//! of every court: the half fee of a mediated or withdrawn case (办法 art. 15), the half of a
//! simple-procedure case (art. 16), the fee the winner advanced (art. 29), the second-instance
//! fee of a remanded appeal (art. 27 ¶1); most refunded within the 15 days of art. 53 ¶2 (a few
//! late, a few partly, some waived by a winner paid by the loser directly, the latest still
//! owed).

use chrono::Duration;
use rand::Rng;
use tianping_domain::time_limit::Procedure;
use tianping_domain::type_code::Instance;
use tianping_domain::{CaseRecord, ClosingMode, Money};
use tianping_workflow::refunds::FeeRefund;

use crate::SynthConfig;
use crate::random::{chance, stream};

/// The refund owed on a closed case, if any: its reason and the document.
fn reason_of(
    case: &CaseRecord,
    rng: &mut crate::random::SynthRng,
) -> Option<(&'static str, &'static str)> {
    let instance = case.type_code.map(|t| t.instance())?;
    let mode = case.closing_mode?;
    match (instance, mode) {
        (Instance::First, ClosingMode::Mediation) => Some(("调解撤诉减半", "调解书")),
        (Instance::First, ClosingMode::Withdrawal) => Some(("调解撤诉减半", "裁定书")),
        (Instance::First, ClosingMode::DismissalOfSuit | ClosingMode::NotAccepted) => {
            Some(("不予受理驳回起诉", "裁定书"))
        }
        (Instance::First, ClosingMode::Judgment) => {
            if case.procedure == Some(Procedure::Simple) && chance(rng, 0.5) {
                Some(("简易程序减半", "判决书"))
            } else if chance(rng, 0.35) {
                Some(("胜诉退费", "判决书"))
            } else {
                None
            }
        }
        (Instance::Second, ClosingMode::Remanded) => Some(("发回重审", "裁定书")),
        _ => None,
    }
}

/// The refunds of `config` for the closed cases of `cases`; `share` of the eligible cases owe
/// one (the demo: 0.6; a benchmark raises it).
pub fn generate_refunds(config: &SynthConfig, cases: &[CaseRecord], share: f64) -> Vec<FeeRefund> {
    let mut rng = stream(config.seed, 0x7265_6675, 0);
    let mut out = Vec::new();
    let end = config.end_date;
    let mut seq: std::collections::HashMap<(String, i32), u32> = std::collections::HashMap::new();
    for case in cases {
        let Some(closed) = case.closed_date else {
            continue;
        };
        let Some((reason, document)) = reason_of(case, &mut rng) else {
            continue;
        };
        if !chance(&mut rng, share) {
            continue;
        }
        // Effective after the appeal period (15 days for a judgment) or at once (a mediation).
        let effective = closed
            + Duration::days(match document {
                "判决书" => rng.random_range(16..30),
                "裁定书" => rng.random_range(0..12),
                _ => 0,
            });
        if effective > end {
            continue;
        }
        let year = chrono::Datelike::year(&effective);
        let n = seq.entry((case.court_code.clone(), year)).or_insert(0);
        *n += 1;
        let fen = (rng.random_range(50..5000) as i64) * 100 + rng.random_range(0..100);
        let mut r = FeeRefund::owed(
            &format!("TF{year}{}{:05}", case.court_code, n),
            &case.case_number,
            &case.court_code,
            reason,
            Money(fen),
            effective,
        );
        r.payer = ["原告", "上诉人", "申请人"][rng.random_range(0..3)].to_owned();
        r.document = Some(document.to_owned());
        let roll = rng.random_range(0..100);
        let paid_on = |days: i64| {
            let day = effective + Duration::days(days);
            (day <= end).then_some(day)
        };
        match roll {
            // Waived: the winner agreed to be paid by the loser (民诉解释 art. 207).
            0..=3 if reason == "胜诉退费" => {
                r.waived = true;
                r.note = Some("当事人同意由败诉方直接支付".to_owned());
            }
            // Late.
            4..=6 => r.refunded_date = paid_on(rng.random_range(16..45)),
            // Paid in part (the rest still owed).
            7 => {
                r.refunded_date = paid_on(rng.random_range(3..14));
                if r.refunded_date.is_some() {
                    r.refunded_amount = Some(Money(fen / 2));
                }
            }
            _ => r.refunded_date = paid_on(rng.random_range(2..14)),
        }
        out.push(r);
    }
    out.sort_by(|a, b| a.refund_id.cmp(&b.refund_id));
    out
}
