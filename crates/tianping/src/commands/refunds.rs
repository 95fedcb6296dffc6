//! `tianping refunds`: court-fee refunds (`workflows.md` §4.6) on the database. The command
//! line is trusted: it acts with every duty, recorded as `cli:$USER`.

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use tianping_domain::{CourtTable, HolidayCalendar, Money};
use tianping_store::{Store, WorkflowAuditEntry};
use tianping_workflow::core::due::DueRow;
use tianping_workflow::core::status::ItemStatus;
use tianping_workflow::refunds::actions::{Action, act, audit_fields};
use tianping_workflow::refunds::documents::{
    due_document, indicators_document, list_document, record_json, show_document,
};
use tianping_workflow::refunds::indicators::{GroupBy, IndicatorQuery};
use tianping_workflow::refunds::{FeeRefund, RefundSettings, State, due_rows, state_at};

use super::workflow::{
    as_of_arg, cli_actor, compare_arg, due_status_arg, period_args, write_due, write_indicator_rows,
};
use super::{BadInput, now_text, open_store, parse_date_arg, today};
use crate::cli::{
    MediationDueArgs, MediationShowArgs, RefundsActArgs, RefundsCommand, RefundsIndicatorsArgs,
    RefundsListArgs,
};
use crate::output::{Format, TextTable, write_json};

struct Book {
    courts: CourtTable,
    refunds: Vec<FeeRefund>,
    settings: RefundSettings,
}

async fn book(store: &dyn Store) -> anyhow::Result<Book> {
    Ok(Book {
        courts: CourtTable::from_records(store.courts().await?),
        refunds: store.refunds().await?,
        settings: super::workflow::stored_settings(store).await?.refunds(),
    })
}

impl Book {
    fn in_scope(&self, scope: Option<&str>, court: &str) -> bool {
        scope.is_none_or(|s| court == s || self.courts.is_within(court, s))
    }

    fn check_scope(&self, scope: Option<&str>) -> Result<(), BadInput> {
        match scope {
            Some(code) if self.courts.get(code).is_none() => {
                Err(BadInput(format!("--scope: unknown court '{code}'")))
            }
            _ => Ok(()),
        }
    }

    fn find(&self, id: &str) -> Result<&FeeRefund, BadInput> {
        self.refunds
            .iter()
            .find(|r| r.refund_id == id.trim())
            .ok_or_else(|| BadInput(format!("no refund '{id}'")))
    }
}

pub async fn run(command: RefundsCommand, calendar: HolidayCalendar) -> anyhow::Result<ExitCode> {
    match command {
        RefundsCommand::List(args) => list(args, &calendar).await,
        RefundsCommand::Show(args) => show(args, &calendar).await,
        RefundsCommand::Act(args) => act_on(args).await,
        RefundsCommand::Due(args) => due(args, &calendar).await,
        RefundsCommand::Indicators(args) => indicators(args, &calendar).await,
    }
}

async fn list(args: RefundsListArgs, calendar: &HolidayCalendar) -> anyhow::Result<ExitCode> {
    let as_of = as_of_arg(args.as_of.as_ref())?;
    let overdue_only = args.status.as_deref() == Some("overdue");
    let wanted = match args.status.as_deref() {
        None | Some("overdue") => None,
        Some(t) => Some(State::parse(t).ok_or_else(|| {
            BadInput(format!(
                "--status: '{t}' is not owed, refunded, waived or overdue"
            ))
        })?),
    };
    let case = match &args.case {
        Some(t) => Some(
            tianping_domain::CaseNumber::parse(t)
                .map_err(|e| BadInput(format!("--case: {e}")))?
                .normalized(),
        ),
        None => None,
    };
    let store = open_store(&args.db.db).await?;
    let b = book(&*store).await?;
    store.close().await;
    b.check_scope(args.scope.as_deref())?;
    let rows: Vec<(&FeeRefund, State)> = b
        .refunds
        .iter()
        .filter(|r| r.effective_date <= as_of)
        .filter(|r| b.in_scope(args.scope.as_deref(), &r.court_code))
        .filter(|r| case.as_ref().is_none_or(|c| &r.case_number == c))
        .filter(|r| args.reason.as_ref().is_none_or(|t| &r.reason == t))
        .map(|r| (r, state_at(r, as_of)))
        .filter(|(_, st)| wanted.is_none_or(|w| w == *st))
        .filter(|(r, _)| {
            !overdue_only
                || due_rows(r, as_of, calendar, &b.settings)
                    .iter()
                    .any(|d| d.status == ItemStatus::Overdue)
        })
        .collect();
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &list_document(&rows, as_of))?,
        f => {
            let mut table = TextTable::new(vec![
                "退费编号",
                "法院",
                "案号",
                "退费对象",
                "退费原因",
                "应退金额",
                "生效日期",
                "状态",
            ]);
            for (r, st) in &rows {
                table.push(vec![
                    r.refund_id.clone(),
                    b.courts.name_of(&r.court_code).to_owned(),
                    r.case_number.clone(),
                    r.payer.clone(),
                    r.reason.clone(),
                    r.amount.to_string(),
                    r.effective_date.to_string(),
                    if f == Format::Csv {
                        st.id()
                    } else {
                        st.name_zh()
                    }
                    .to_owned(),
                ]);
            }
            if f == Format::Csv {
                table.write_csv(
                    out,
                    &[
                        "refund_id",
                        "court_code",
                        "case_number",
                        "payer",
                        "reason",
                        "amount",
                        "effective_date",
                        "state",
                    ],
                )?;
            } else {
                table.write_aligned(&mut out)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn show(args: MediationShowArgs, calendar: &HolidayCalendar) -> anyhow::Result<ExitCode> {
    let as_of = as_of_arg(args.as_of.as_ref())?;
    let store = open_store(&args.db.db).await?;
    let b = book(&*store).await?;
    let r = b.find(&args.id)?.clone();
    let history = store.workflow_history("refunds", &r.refund_id).await?;
    store.close().await;
    let value = show_document(
        &r,
        as_of,
        calendar,
        &b.settings,
        serde_json::to_value(&history)?,
    );
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &value)?,
        _ => {
            writeln!(
                out,
                "{}  {}  {}  {}",
                r.refund_id,
                r.case_number,
                r.payer,
                state_at(&r, as_of).name_zh()
            )?;
            writeln!(
                out,
                "{}：应退 {} 元，已退 {} 元，尚欠 {} 元；{} 生效",
                r.reason,
                r.amount,
                r.paid(),
                r.outstanding_at(as_of),
                r.effective_date
            )?;
            for d in value["deadlines"].as_array().into_iter().flatten() {
                writeln!(
                    out,
                    "退费期限：{} 起 {}，届满 {}（顺延前 {}）",
                    d["start_date"].as_str().unwrap_or(""),
                    d["base"].as_str().unwrap_or(""),
                    d["deadline"].as_str().unwrap_or(""),
                    d["before_roll_over"].as_str().unwrap_or("")
                )?;
            }
            for h in &history {
                writeln!(out, "{}  {}  {}", h.at, h.actor, h.action)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_action(args: &RefundsActArgs) -> Result<Action, BadInput> {
    let note = || {
        args.note
            .clone()
            .ok_or_else(|| BadInput(format!("{}: --note is required", args.action)))
    };
    Ok(match args.action.as_str() {
        "refund" => Action::Refund {
            amount: match &args.amount {
                Some(t) => {
                    Some(Money::parse(t).map_err(|e| BadInput(format!("--amount: '{t}': {e}")))?)
                }
                None => None,
            },
        },
        "waive" => Action::Waive { note: note()? },
        "reopen" => Action::Reopen { note: note()? },
        other => {
            return Err(BadInput(format!(
                "unknown action '{other}' (refund, waive, reopen)"
            )));
        }
    })
}

async fn act_on(args: RefundsActArgs) -> anyhow::Result<ExitCode> {
    let action = parse_action(&args)?;
    let today = today();
    let date = match &args.date {
        Some(t) => parse_date_arg("--date", t)?,
        None => today,
    };
    let actor = cli_actor();
    let store = open_store(&args.db.db).await?;
    let b = book(&*store).await?;
    let r = b.find(&args.id)?;
    let next = act(r, &action, date, today, &actor).map_err(|e| BadInput(e.to_string()))?;
    let (before, after) = audit_fields(r, &next, args.note.as_deref());
    store
        .apply_refund_batch(
            std::slice::from_ref(&next),
            &[WorkflowAuditEntry {
                at: now_text(),
                actor: actor.name.clone(),
                kind: "workflow_action".into(),
                module: "refunds".into(),
                entity: "fee_refund".into(),
                entity_id: next.refund_id.clone(),
                action: action.name().into(),
                before: before.to_string(),
                after: after.to_string(),
            }],
        )
        .await?;
    store.close().await;
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &record_json(&next, state_at(&next, today), today))?,
        _ => writeln!(
            out,
            "{}：{} → {}（已退 {} 元，尚欠 {} 元）",
            next.refund_id,
            state_at(r, today).name_zh(),
            state_at(&next, today).name_zh(),
            next.paid(),
            next.outstanding_at(today)
        )?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn due(args: MediationDueArgs, calendar: &HolidayCalendar) -> anyhow::Result<ExitCode> {
    let as_of = as_of_arg(args.as_of.as_ref())?;
    let wanted = due_status_arg(args.status.as_deref())?;
    let store = open_store(&args.db.db).await?;
    let b = book(&*store).await?;
    store.close().await;
    b.check_scope(args.scope.as_deref())?;
    let mut rows: Vec<DueRow> = b
        .refunds
        .iter()
        .filter(|r| b.in_scope(args.scope.as_deref(), &r.court_code))
        .flat_map(|r| due_rows(r, as_of, calendar, &b.settings))
        .filter(|r| wanted.is_none_or(|w| r.status == w))
        .collect();
    tianping_workflow::core::due::sort_due(&mut rows);
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &due_document(as_of, &rows))?,
        f => write_due(out, &rows, f, "退费编号", &b.courts)?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn indicators(
    args: RefundsIndicatorsArgs,
    calendar: &HolidayCalendar,
) -> anyhow::Result<ExitCode> {
    let (from, to, as_of) = period_args(
        args.period.as_ref(),
        args.from.as_ref(),
        args.to.as_ref(),
        args.as_of.as_ref(),
    )?;
    let by = GroupBy::parse(&args.by).ok_or_else(|| {
        BadInput(format!(
            "--by: '{}' is not none, court, division, judge, reason or month",
            args.by
        ))
    })?;
    let compare = compare_arg(&args.compare)?;
    let store = open_store(&args.db.db).await?;
    // Only the refunds the question can count: those of the periods (and of the comparison's)
    // and the open ones; a refund's deadline is at most a month after it takes effect.
    let earliest = tianping_workflow::core::compare::base_period(compare, from, to, as_of)
        .map_or(from, |(base_from, _, _)| base_from.min(from));
    let b = Book {
        courts: CourtTable::from_records(store.courts().await?),
        refunds: store
            .refunds_since(earliest - chrono::Duration::days(40))
            .await?,
        settings: super::workflow::stored_settings(&*store).await?.refunds(),
    };
    // The division and judge of the refunds' cases, for `--by division|judge`.
    let seats: HashMap<String, (Option<String>, Option<String>)> =
        if matches!(by, GroupBy::Division | GroupBy::Judge) {
            let wanted: std::collections::HashSet<&str> =
                b.refunds.iter().map(|r| r.case_number.as_str()).collect();
            store
                .cases()
                .await?
                .into_iter()
                .filter(|c| wanted.contains(c.case_number.as_str()))
                .map(|c| (c.case_number, (c.division, c.judge)))
                .collect()
        } else {
            HashMap::new()
        };
    store.close().await;
    b.check_scope(args.scope.as_deref())?;
    let scope = args.scope.as_deref();
    let in_scope = |court: &str| b.in_scope(scope, court);
    let seat = |n: &str| seats.get(n).cloned();
    let query = IndicatorQuery {
        from,
        to,
        as_of,
        by,
        in_scope: &in_scope,
        seat: &seat,
    };
    let label = |key: &str| -> String {
        match by {
            GroupBy::None => scope.map_or("全部法院".to_owned(), |c| {
                b.courts.name_of(c).to_owned()
            }),
            GroupBy::Court => b.courts.name_of(key).to_owned(),
            GroupBy::Division | GroupBy::Judge => match key.split_once('/') {
                Some((court, name)) => format!("{} {name}", b.courts.name_of(court)),
                None => key.to_owned(),
            },
            _ => key.to_owned(),
        }
    };
    let document = indicators_document(
        &b.refunds,
        &query,
        compare,
        scope,
        &label,
        calendar,
        &b.settings,
    );
    let rows = document["rows"].as_array().cloned().unwrap_or_default();
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &document)?,
        f => write_indicator_rows(
            out,
            &rows,
            &[
                ("refunds_due", "应退费"),
                ("refunded_on_time", "按期退费"),
                ("on_time_rate", "退费及时率"),
                ("amount_due", "应退金额"),
                ("amount_on_time", "按期退还金额"),
                ("overdue_unrefunded", "逾期未退"),
                ("overdue_amount", "逾期金额"),
                ("avg_refund_days", "平均退费天数"),
            ],
            f,
        )?,
    }
    Ok(ExitCode::SUCCESS)
}
