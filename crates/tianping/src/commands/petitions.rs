//! `tianping petitions`: the petition module (`workflows.md` §2.7) on the database. The command
//! line is trusted (like `import`): it shows identifiers unmasked and acts with every duty,
//! recorded as `cli:$USER`.

use std::collections::HashSet;
use std::io::Write;
use std::process::ExitCode;

use tianping_domain::{CaseNumber, CourtTable, HolidayCalendar};
use tianping_store::{PetitionChange, Store, WorkflowAuditEntry};
use tianping_workflow::core::due::DueRow;
use tianping_workflow::core::status::ItemStatus;
use tianping_workflow::petitions::actions::{Action, act, audit_fields, resolve_matter};
use tianping_workflow::petitions::documents::{
    due_document, indicators_document, list_document, matter_json, record_json, show_document,
};
use tianping_workflow::petitions::indicators::{GroupBy, IndicatorQuery, Sources};
use tianping_workflow::petitions::model::{AckDecision, Channel, Matter};
use tianping_workflow::petitions::{
    MatterView, Petition, PetitionSettings, State, due_rows, matter_views, repeats, state_at,
};

use super::workflow::{
    as_of_arg, cli_actor, compare_arg, due_status_arg, period_args, write_due, write_indicator_rows,
};
use super::{BadInput, now_text, open_store, parse_date_arg, today};
use crate::cli::{
    MediationDueArgs, MediationShowArgs, PetitionsActArgs, PetitionsCommand,
    PetitionsIndicatorsArgs, PetitionsListArgs, PetitionsMattersArgs,
};
use crate::output::{Format, TextTable, write_json};

/// The petition records with what the commands judge them by.
struct Book {
    courts: CourtTable,
    petitions: Vec<Petition>,
    matters: Vec<Matter>,
    views: Vec<MatterView>,
    repeats: HashSet<String>,
    settings: PetitionSettings,
}

async fn book(store: &dyn Store) -> anyhow::Result<Book> {
    let courts = CourtTable::from_records(store.courts().await?);
    let records = tianping_store::load_petition_records(store).await?;
    Ok(Book {
        courts,
        views: matter_views(&records.matters, &records.petitions),
        repeats: repeats(&records.petitions),
        settings: records.settings.petitions(),
        petitions: records.petitions,
        matters: records.matters,
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

    fn find(&self, id: &str) -> Result<&Petition, BadInput> {
        self.petitions
            .iter()
            .find(|p| p.petition_id == id)
            .ok_or_else(|| BadInput(format!("no petition '{id}'")))
    }

    fn overdue(&self, p: &Petition, as_of: chrono::NaiveDate, calendar: &HolidayCalendar) -> bool {
        due_rows(p, as_of, calendar, &self.settings)
            .iter()
            .any(|r| r.status == ItemStatus::Overdue)
    }
}

pub async fn run(command: PetitionsCommand, calendar: HolidayCalendar) -> anyhow::Result<ExitCode> {
    match command {
        PetitionsCommand::List(args) => list(args, &calendar).await,
        PetitionsCommand::Show(args) => show(args, &calendar).await,
        PetitionsCommand::Act(args) => act_on(args, &calendar).await,
        PetitionsCommand::Due(args) => due(args, &calendar).await,
        PetitionsCommand::Indicators(args) => indicators(args, &calendar).await,
        PetitionsCommand::Matters(args) => matters(args).await,
    }
}

fn normalized_case(option: &str, text: &str) -> Result<String, BadInput> {
    CaseNumber::parse(text)
        .map(|n| n.normalized())
        .map_err(|e| BadInput(format!("{option}: '{text}': {e}")))
}

async fn list(args: PetitionsListArgs, calendar: &HolidayCalendar) -> anyhow::Result<ExitCode> {
    let as_of = as_of_arg(args.as_of.as_ref())?;
    let wanted = match args.status.as_deref() {
        None => None,
        Some("overdue") => Some(None),
        Some(t) => Some(Some(State::parse(t).ok_or_else(|| {
            BadInput(format!(
                "--status: '{t}' is not registered, handling, concluded or overdue"
            ))
        })?)),
    };
    let channel = match args.channel.as_deref() {
        None => None,
        Some(t) => Some(Channel::parse(t).ok_or_else(|| {
            BadInput(format!(
                "--channel: '{t}' is not 来信, 来访, 网上信访, 来电 or 转办交办"
            ))
        })?),
    };
    let case = args
        .case
        .as_deref()
        .map(|t| normalized_case("--case", t))
        .transpose()?;
    let store = open_store(&args.db.db).await?;
    let b = book(&*store).await?;
    store.close().await;
    b.check_scope(args.scope.as_deref())?;
    let mut rows = Vec::new();
    for p in &b.petitions {
        if p.received_date > as_of
            || !b.in_scope(args.scope.as_deref(), &p.court_code)
            || channel.is_some_and(|c| p.channel != c)
            || args.nature.as_ref().is_some_and(|n| &p.nature != n)
            || (args.litigation_related && !p.litigation_related)
            || case
                .as_ref()
                .is_some_and(|c| p.case_number.as_ref() != Some(c))
            || args
                .matter
                .as_ref()
                .is_some_and(|m| p.matter_id.as_ref() != Some(m))
        {
            continue;
        }
        let state = state_at(p, as_of);
        let overdue = b.overdue(p, as_of, calendar);
        match wanted {
            Some(None) if !overdue => continue,
            Some(Some(s)) if s != state => continue,
            _ => {}
        }
        rows.push((p, state, b.repeats.contains(&p.petition_id), overdue));
    }
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(
            &mut out,
            &list_document(
                &rows
                    .iter()
                    .map(|(p, s, r, _)| (*p, *s, *r))
                    .collect::<Vec<_>>(),
                true,
            ),
        )?,
        f => {
            let mut table = TextTable::new(vec![
                "信访编号",
                "法院",
                "收到日期",
                "信访形式",
                "性质",
                "涉诉",
                "事项",
                "状态",
            ]);
            for (p, state, repeat, overdue) in &rows {
                table.push(vec![
                    p.petition_id.clone(),
                    b.courts.name_of(&p.court_code).to_owned(),
                    p.received_date.to_string(),
                    p.channel.name_zh().to_owned(),
                    p.nature.clone(),
                    if p.litigation_related { "是" } else { "否" }.to_owned(),
                    format!(
                        "{}{}",
                        p.matter_id.as_deref().unwrap_or(""),
                        if *repeat { "（重复）" } else { "" }
                    ),
                    if f == Format::Csv {
                        state.id().to_owned()
                    } else if *overdue {
                        format!("{}（超期）", state.name_zh())
                    } else {
                        state.name_zh().to_owned()
                    },
                ]);
            }
            if f == Format::Csv {
                table.write_csv(
                    out,
                    &[
                        "petition_id",
                        "court_code",
                        "received_date",
                        "channel",
                        "nature",
                        "litigation_related",
                        "matter_id",
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
    let history = store.workflow_history("petitions", &args.id).await?;
    store.close().await;
    let p = b.find(&args.id)?;
    let state = state_at(p, as_of);
    let matter = p
        .matter_id
        .as_deref()
        .and_then(|m| b.views.iter().find(|v| v.matter_id == m));
    let value = show_document(
        p,
        state,
        b.repeats.contains(&p.petition_id),
        matter,
        as_of,
        calendar,
        &b.settings,
        serde_json::to_value(&history)?,
        true,
    );
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &value)?,
        _ => {
            writeln!(
                out,
                "{}  {}  {}  {}",
                p.petition_id,
                p.channel.name_zh(),
                p.nature,
                state.name_zh()
            )?;
            writeln!(
                out,
                "法院：{}；收到 {}；事项 {}",
                b.courts.name_of(&p.court_code),
                p.received_date,
                p.matter_id.as_deref().unwrap_or("—")
            )?;
            for d in value["deadlines"].as_array().into_iter().flatten() {
                writeln!(
                    out,
                    "{}：{} 起 {}{}，届满 {}（顺延前 {}），{}",
                    d["rule"].as_str().unwrap_or(""),
                    d["start_date"].as_str().unwrap_or(""),
                    d["base"].as_str().unwrap_or(""),
                    d["extension"]
                        .as_str()
                        .map(|e| format!("，延期 {e}"))
                        .unwrap_or_default(),
                    d["deadline"].as_str().unwrap_or(""),
                    d["before_roll_over"].as_str().unwrap_or(""),
                    ItemStatus::parse(d["status"].as_str().unwrap_or(""))
                        .map_or("", ItemStatus::name_zh),
                )?;
            }
            for h in &history {
                writeln!(out, "{}  {}  {}", h.at, h.actor, h.action)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_action(args: &PetitionsActArgs) -> Result<Action, BadInput> {
    let need = |v: &Option<String>, option: &str| {
        v.clone()
            .ok_or_else(|| BadInput(format!("{}: {option} is required", args.action)))
    };
    Ok(match args.action.as_str() {
        "acknowledge" => {
            let text = need(&args.decision, "--decision")?;
            let decision = AckDecision::parse(&text).ok_or_else(|| {
                BadInput(format!(
                    "--decision: '{text}' is not 受理, 不予受理, 转送, 导入诉讼程序 or \
                     告知向有权机关提出"
                ))
            })?;
            Action::Acknowledge {
                decision,
                form: args.form.clone(),
            }
        }
        "object" => Action::Object {
            reason: need(&args.reason, "--reason")?,
        },
        "extend" => Action::Extend {
            days: args
                .days
                .ok_or_else(|| BadInput("extend: --days is required".into()))?,
            reason: need(&args.reason, "--reason")?,
        },
        "reply" => Action::Reply {
            result: need(&args.result, "--result")?,
            form: need(&args.form, "--form")?,
        },
        "link" => Action::Link {
            case_number: args
                .case
                .as_deref()
                .map(|t| normalized_case("--case", t))
                .transpose()?,
            diverted_case_number: args
                .diverted
                .as_deref()
                .map(|t| normalized_case("--diverted", t))
                .transpose()?,
        },
        "reopen" => Action::Reopen {
            note: need(&args.note, "--note")?,
        },
        other => {
            return Err(BadInput(format!(
                "unknown action '{other}' (acknowledge, object, extend, reply, link, reopen, \
                 resolve-matter)"
            )));
        }
    })
}

fn audit_entry(
    actor: &str,
    entity: &str,
    id: &str,
    action: &str,
    (before, after): (serde_json::Value, serde_json::Value),
) -> WorkflowAuditEntry {
    WorkflowAuditEntry {
        at: now_text(),
        actor: actor.to_owned(),
        kind: "workflow_action".into(),
        module: "petitions".into(),
        entity: entity.into(),
        entity_id: id.to_owned(),
        action: action.into(),
        before: before.to_string(),
        after: after.to_string(),
    }
}

async fn act_on(args: PetitionsActArgs, calendar: &HolidayCalendar) -> anyhow::Result<ExitCode> {
    let today = today();
    let date = match &args.date {
        Some(t) => parse_date_arg("--date", t)?,
        None => today,
    };
    let actor = cli_actor();
    let store = open_store(&args.db.db).await?;
    let b = book(&*store).await?;
    let mut out = std::io::stdout().lock();
    if matches!(args.action.as_str(), "resolve-matter" | "resolve_matter") {
        let resolution = args
            .resolution
            .clone()
            .ok_or_else(|| BadInput("resolve-matter: --resolution is required".into()))?;
        let view = b
            .views
            .iter()
            .find(|v| v.matter_id == args.id)
            .ok_or_else(|| BadInput(format!("no matter '{}'", args.id)))?;
        let stored = b
            .matters
            .iter()
            .find(|m| m.matter_id == args.id)
            .cloned()
            .unwrap_or_else(|| Matter::new(&args.id));
        let resolved = resolve_matter(&stored, view.opened_date, &resolution, date, today, &actor)
            .map_err(|e| BadInput(e.to_string()))?;
        let fields = tianping_workflow::core::act::changed_fields(&stored, &resolved);
        store
            .save_petition(&PetitionChange {
                petition: None,
                matter: Some(resolved.clone()),
                audit: audit_entry(
                    &actor.name,
                    "petition_matter",
                    &args.id,
                    "resolve_matter",
                    (fields.0.into(), fields.1.into()),
                ),
            })
            .await?;
        store.close().await;
        match args.format.format {
            Format::Json => write_json(&mut out, &serde_json::to_value(&resolved)?)?,
            _ => writeln!(out, "{}：已化解（{}）", args.id, resolution)?,
        }
        return Ok(ExitCode::SUCCESS);
    }
    let action = parse_action(&args)?;
    let p = b.find(&args.id)?;
    let before_state = state_at(p, today);
    let next = act(p, &action, date, today, &actor, calendar, &b.settings)
        .map_err(|e| BadInput(e.to_string()))?;
    let after_state = state_at(&next, today);
    store
        .save_petition(&PetitionChange {
            petition: Some(next.clone()),
            matter: None,
            audit: audit_entry(
                &actor.name,
                "petition",
                &p.petition_id,
                action.name(),
                audit_fields(p, &next, today, args.note.as_deref()),
            ),
        })
        .await?;
    store.close().await;
    match args.format.format {
        Format::Json => write_json(
            &mut out,
            &record_json(
                &next,
                after_state,
                b.repeats.contains(&next.petition_id),
                true,
            ),
        )?,
        _ => writeln!(
            out,
            "{}：{} → {}",
            p.petition_id,
            before_state.name_zh(),
            after_state.name_zh()
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
        .petitions
        .iter()
        .filter(|p| b.in_scope(args.scope.as_deref(), &p.court_code))
        .flat_map(|p| due_rows(p, as_of, calendar, &b.settings))
        .filter(|r| wanted.is_none_or(|w| r.status == w))
        .collect();
    tianping_workflow::core::due::sort_due(&mut rows);
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &due_document(as_of, &rows))?,
        f => write_due(out, &rows, f, "信访编号", &b.courts)?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn indicators(
    args: PetitionsIndicatorsArgs,
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
            "--by: '{}' is not none, court, channel, nature or month",
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
        all_matters: args.all_matters,
        in_scope: &in_scope,
    };
    let src = Sources {
        petitions: &b.petitions,
        matters: &b.views,
        repeats: &b.repeats,
        calendar,
        settings: &b.settings,
    };
    let label = |key: &str| -> String {
        match by {
            GroupBy::None => scope.map_or("全部法院".to_owned(), |c| {
                b.courts.name_of(c).to_owned()
            }),
            GroupBy::Court => b.courts.name_of(key).to_owned(),
            _ => key.to_owned(),
        }
    };
    let document = indicators_document(&src, &query, compare, scope, &label);
    let rows = document["rows"].as_array().cloned().unwrap_or_default();
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &document)?,
        f => write_indicator_rows(
            out,
            &rows,
            &[
                ("received", "信访总量"),
                ("repeat_rate", "重复信访率"),
                ("ack_on_time_rate", "按期告知率"),
                ("handling_on_time_rate", "按期办结率"),
                ("overdue_open", "超期未办结"),
                ("matter_total", "事项总量"),
                ("matter_stock_end", "期末存量"),
                ("matter_resolution_rate", "化解率"),
                ("three_down_two_up", "三降两升"),
            ],
            f,
        )?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn matters(args: PetitionsMattersArgs) -> anyhow::Result<ExitCode> {
    let as_of = as_of_arg(args.as_of.as_ref())?;
    let wanted = match args.status.as_deref() {
        None => None,
        Some("open") => Some(false),
        Some("resolved") => Some(true),
        Some(t) => return Err(BadInput(format!("--status: '{t}' is not open or resolved")).into()),
    };
    let store = open_store(&args.db.db).await?;
    let b = book(&*store).await?;
    store.close().await;
    b.check_scope(args.scope.as_deref())?;
    let rows: Vec<&MatterView> = b
        .views
        .iter()
        .filter(|m| m.opened_date <= as_of && b.in_scope(args.scope.as_deref(), &m.court_code))
        .filter(|m| wanted.is_none_or(|w| m.resolved_at(as_of).is_some() == w))
        .collect();
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(
            &mut out,
            &serde_json::json!({
                "as_of": as_of,
                "rows": rows.iter().map(|m| matter_json(m, as_of)).collect::<Vec<_>>(),
            }),
        )?,
        f => {
            let mut table = TextTable::new(vec![
                "事项编号",
                "法院",
                "案号",
                "立案日期",
                "信访件数",
                "涉诉",
                "化解日期",
                "化解方式",
            ]);
            for m in &rows {
                let resolved = m.resolved_at(as_of);
                table.push(vec![
                    m.matter_id.clone(),
                    b.courts.name_of(&m.court_code).to_owned(),
                    m.case_number.clone().unwrap_or_default(),
                    m.opened_date.to_string(),
                    m.petitions.len().to_string(),
                    if m.litigation_related { "是" } else { "否" }.to_owned(),
                    resolved.map(|d| d.to_string()).unwrap_or_default(),
                    resolved.and(m.resolution.clone()).unwrap_or_default(),
                ]);
            }
            if f == Format::Csv {
                table.write_csv(
                    out,
                    &[
                        "matter_id",
                        "court_code",
                        "case_number",
                        "opened_date",
                        "petitions",
                        "litigation_related",
                        "resolved_date",
                        "resolution",
                    ],
                )?;
            } else {
                table.write_aligned(&mut out)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
