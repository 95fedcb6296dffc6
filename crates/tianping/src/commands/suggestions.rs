//! `tianping suggestions`: judicial suggestions (`workflows.md` §3.6) on the database. The
//! command line is trusted: it acts with every duty, recorded as `cli:$USER`.

use std::io::Write;

use anyhow::Context;
use std::process::ExitCode;

use tianping_domain::{CourtTable, HolidayCalendar};
use tianping_store::{Store, WorkflowAuditEntry};
use tianping_workflow::core::due::DueRow;
use tianping_workflow::suggestions::actions::{Action, act, audit_fields};
use tianping_workflow::suggestions::documents::{
    due_document, indicators_document, list_document, month_label, record_json, show_document,
};
use tianping_workflow::suggestions::indicators::{GroupBy, IndicatorQuery};
use tianping_workflow::suggestions::{
    State, Suggestion, SuggestionSettings, due_rows, normalize_number, state_at,
};

use super::workflow::{
    as_of_arg, cli_actor, compare_arg, due_status_arg, period_args, write_due, write_indicator_rows,
};
use super::{BadInput, now_text, open_store, parse_date_arg, today};
use crate::cli::{
    MediationDueArgs, MediationShowArgs, SuggestionsActArgs, SuggestionsCommand,
    SuggestionsIndicatorsArgs, SuggestionsLetterArgs, SuggestionsListArgs,
};
use crate::output::{Format, TextTable, write_json};

struct Book {
    courts: CourtTable,
    suggestions: Vec<Suggestion>,
    settings: SuggestionSettings,
}

async fn book(store: &dyn Store) -> anyhow::Result<Book> {
    Ok(Book {
        courts: CourtTable::from_records(store.courts().await?),
        suggestions: store.suggestions().await?,
        settings: super::workflow::stored_settings(store).await?.suggestions(),
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

    fn find(&self, number: &str) -> Result<&Suggestion, BadInput> {
        let key = normalize_number(number).unwrap_or_else(|_| number.to_owned());
        self.suggestions
            .iter()
            .find(|s| s.suggestion_no == key)
            .ok_or_else(|| BadInput(format!("no suggestion '{number}'")))
    }
}

pub async fn run(
    command: SuggestionsCommand,
    calendar: HolidayCalendar,
) -> anyhow::Result<ExitCode> {
    match command {
        SuggestionsCommand::List(args) => list(args).await,
        SuggestionsCommand::Show(args) => show(args, &calendar).await,
        SuggestionsCommand::Act(args) => act_on(args).await,
        SuggestionsCommand::Due(args) => due(args, &calendar).await,
        SuggestionsCommand::Indicators(args) => indicators(args, &calendar).await,
        SuggestionsCommand::Letter(args) => letter(args).await,
    }
}

/// `suggestions letter`: the 司法建议书 written to `--output`.
async fn letter(args: SuggestionsLetterArgs) -> anyhow::Result<ExitCode> {
    use tianping_report::letter::{LetterFormat, SuggestionLetter, render};
    let format = LetterFormat::parse(&args.format)
        .ok_or_else(|| BadInput(format!("--format: '{}' is not docx or pdf", args.format)))?;
    let store = open_store(&args.db.db).await?;
    let b = book(&*store).await?;
    store.close().await;
    let s = b.find(&args.id)?;
    let letter = SuggestionLetter::from_suggestion(s, b.courts.name_of(&s.court_code));
    let bytes = render(&letter, format)?;
    std::fs::write(&args.output, &bytes)
        .with_context(|| format!("writing {}", args.output.display()))?;
    eprintln!(
        "wrote {} ({} bytes){}",
        args.output.display(),
        bytes.len(),
        if letter.incomplete {
            "; the record lacks part of the body, marked （待填写：…） in the letter"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}

async fn list(args: SuggestionsListArgs) -> anyhow::Result<ExitCode> {
    let as_of = as_of_arg(args.as_of.as_ref())?;
    let wanted = match args.status.as_deref() {
        None => None,
        Some(t) => Some(State::parse(t).ok_or_else(|| {
            BadInput(format!(
                "--status: '{t}' is not drafted, approved, signed, issued, replied or withdrawn"
            ))
        })?),
    };
    let store = open_store(&args.db.db).await?;
    let b = book(&*store).await?;
    store.close().await;
    b.check_scope(args.scope.as_deref())?;
    let rows: Vec<(&Suggestion, State)> = b
        .suggestions
        .iter()
        .filter(|s| s.registered().is_some_and(|r| r <= as_of))
        .filter(|s| b.in_scope(args.scope.as_deref(), &s.court_code))
        .filter(|s| args.topic.as_ref().is_none_or(|t| &s.topic == t))
        .map(|s| (s, state_at(s, as_of)))
        .filter(|(_, st)| wanted.is_none_or(|w| w == *st))
        .collect();
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &list_document(&rows))?,
        f => {
            let mut table = TextTable::new(vec![
                "建议书编号",
                "法院",
                "被建议单位",
                "主题",
                "发出日期",
                "状态",
            ]);
            for (s, st) in &rows {
                table.push(vec![
                    s.suggestion_no.clone(),
                    b.courts.name_of(&s.court_code).to_owned(),
                    s.recipient.clone(),
                    s.topic.clone(),
                    s.issued_date.map(|d| d.to_string()).unwrap_or_default(),
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
                        "suggestion_no",
                        "court_code",
                        "recipient",
                        "topic",
                        "issued_date",
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
    let s = b.find(&args.id)?.clone();
    let history = store
        .workflow_history("suggestions", &s.suggestion_no)
        .await?;
    store.close().await;
    let value = show_document(
        &s,
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
                "{}  {}  {}",
                s.suggestion_no,
                s.title,
                state_at(&s, as_of).name_zh()
            )?;
            writeln!(
                out,
                "被建议单位：{}（{}）；主题：{}",
                s.recipient, s.recipient_type, s.topic
            )?;
            for d in value["deadlines"].as_array().into_iter().flatten() {
                writeln!(
                    out,
                    "答复期限：{} 起 {}，届满 {}（顺延前 {}）",
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

fn parse_action(args: &SuggestionsActArgs) -> Result<Action, BadInput> {
    Ok(match args.action.as_str() {
        "approve" => Action::Approve,
        "sign" => Action::Sign,
        "issue" => Action::Issue {
            reply_months: args.reply_months,
        },
        "serve" => Action::Serve,
        "reply" => Action::Reply {
            adoption: args
                .adoption
                .clone()
                .ok_or_else(|| BadInput("reply: --adoption is required".into()))?,
        },
        "implemented" => Action::Implemented,
        "praised" => Action::Praised,
        "withdraw" => Action::Withdraw {
            note: args
                .note
                .clone()
                .ok_or_else(|| BadInput("withdraw: --note is required".into()))?,
        },
        other => {
            return Err(BadInput(format!(
                "unknown action '{other}' (approve, sign, issue, serve, reply, implemented, praised, withdraw)"
            )));
        }
    })
}

async fn act_on(args: SuggestionsActArgs) -> anyhow::Result<ExitCode> {
    let action = parse_action(&args)?;
    let today = today();
    let date = match &args.date {
        Some(t) => parse_date_arg("--date", t)?,
        None => today,
    };
    let actor = cli_actor();
    let store = open_store(&args.db.db).await?;
    let b = book(&*store).await?;
    let s = b.find(&args.id)?;
    let next = act(s, &action, date, today, &actor).map_err(|e| BadInput(e.to_string()))?;
    let (before, after) = audit_fields(s, &next, args.note.as_deref());
    store
        .apply_suggestion_batch(
            std::slice::from_ref(&next),
            &[WorkflowAuditEntry {
                at: now_text(),
                actor: actor.name.clone(),
                kind: "workflow_action".into(),
                module: "suggestions".into(),
                entity: "suggestion".into(),
                entity_id: next.suggestion_no.clone(),
                action: action.name().into(),
                before: before.to_string(),
                after: after.to_string(),
            }],
        )
        .await?;
    store.close().await;
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &record_json(&next, state_at(&next, today)))?,
        _ => writeln!(
            out,
            "{}：{} → {}",
            next.suggestion_no,
            state_at(s, today).name_zh(),
            state_at(&next, today).name_zh()
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
        .suggestions
        .iter()
        .filter(|s| b.in_scope(args.scope.as_deref(), &s.court_code))
        .flat_map(|s| due_rows(s, as_of, calendar, &b.settings))
        .filter(|r| wanted.is_none_or(|w| r.status == w))
        .collect();
    tianping_workflow::core::due::sort_due(&mut rows);
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &due_document(as_of, &rows))?,
        f => write_due(out, &rows, f, "建议书编号", &b.courts)?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn indicators(
    args: SuggestionsIndicatorsArgs,
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
            "--by: '{}' is not none, court, month, topic, recipient_type or kind",
            args.by
        ))
    })?;
    let compare = compare_arg(&args.compare)?;
    let store = open_store(&args.db.db).await?;
    let b = book(&*store).await?;
    store.close().await;
    b.check_scope(args.scope.as_deref())?;
    let scope = args.scope.as_deref();
    let in_scope = |court: &str| b.in_scope(scope, court);
    let query = IndicatorQuery {
        from,
        to,
        as_of,
        by,
        in_scope: &in_scope,
    };
    // By month, each month's label carries its 一月一题 topic.
    let label = |key: &str| -> String {
        match by {
            GroupBy::None => scope.map_or("全部法院".to_owned(), |c| {
                b.courts.name_of(c).to_owned()
            }),
            GroupBy::Court => b.courts.name_of(key).to_owned(),
            GroupBy::Month => month_label(&b.suggestions, key, &in_scope),
            _ => key.to_owned(),
        }
    };
    let document = indicators_document(
        &b.suggestions,
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
                ("issued", "发出"),
                ("reply_due", "应答复"),
                ("on_time_reply_rate", "按期答复率"),
                ("reply_rate", "反馈率"),
                ("adoption_rate", "采纳率"),
                ("overdue_unreplied", "逾期未答复"),
                ("praised", "获肯定"),
            ],
            f,
        )?,
    }
    Ok(ExitCode::SUCCESS)
}
