//! `tianping settings`, `tianping mediation` and `tianping mediators`: the workflow core's
//! settings and the mediation module (`workflows.md` §0.8, §1.6) on the database.

use std::collections::{BTreeMap, HashMap};
use std::process::ExitCode;

use chrono::NaiveDate;
use serde_json::{Value, json};
use tianping_domain::{CourtTable, HolidayCalendar};
use tianping_store::{MediationChange, SettingRecord, Store, WorkflowAuditEntry};
use tianping_workflow::core::settings::{self, SETTINGS, Settings};
use tianping_workflow::core::status::ItemStatus;
use tianping_workflow::mediation::actions::{Action, act};
use tianping_workflow::mediation::documents::{
    due_document, indicators_document, list_document, record_json, show_document,
};
use tianping_workflow::mediation::indicators::{GroupBy, IndicatorQuery, KindFilter};
use tianping_workflow::mediation::limits::{DueRow, MediationSettings, due_rows, mediation_limit};
use tianping_workflow::mediation::model::{AgreementPath, Outcome, roster_active};
use tianping_workflow::mediation::{Mediation, MediationEvent, State, state_at};

use super::workflow::{
    as_of_arg, cli_actor, compare_arg, due_status_arg, period_args, stored_settings, write_due,
    write_indicator_rows,
};
use super::{BadInput, now_text, open_store, parse_date_arg, today};
use crate::cli::{
    MediationActArgs, MediationCommand, MediationDueArgs, MediationIndicatorsArgs,
    MediationListArgs, MediationShowArgs, MediatorsCommand, MediatorsListArgs, SettingsCommand,
};
use crate::output::{Format, TextTable, write_json};

pub async fn settings(command: SettingsCommand) -> anyhow::Result<ExitCode> {
    match command {
        SettingsCommand::Show { db, format } => {
            let store = open_store(&db.db).await?;
            let stored = store.settings().await?;
            store.close().await;
            let in_force =
                Settings::from_stored(stored.iter().map(|s| (s.key.clone(), s.value.clone())));
            let rows: Vec<Value> = SETTINGS
                .iter()
                .map(|def| {
                    let set = stored.iter().find(|s| s.key == def.key);
                    json!({
                        "key": def.key,
                        "value": in_force.value(def.key),
                        "default": def.default,
                        "set": set.is_some(),
                        "changed_at": set.map(|s| s.changed_at.clone()),
                        "changed_by": set.map(|s| s.changed_by.clone()),
                        "name": def.zh,
                        "basis": def.basis,
                    })
                })
                .collect();
            // The per-court settings (the bulletin's 机关代字).
            let per_court: Vec<Value> = in_force
                .per_court()
                .map(|(k, v)| json!({"key": k, "value": v}))
                .collect();
            let mut out = std::io::stdout().lock();
            match format.format {
                Format::Json => write_json(
                    &mut out,
                    &json!({ "settings": rows, "per_court": per_court }),
                )?,
                f => {
                    let mut table =
                        TextTable::new(vec!["设置", "当前值", "默认值", "说明", "依据"]);
                    for (def, row) in SETTINGS.iter().zip(&rows) {
                        table.push(vec![
                            def.key.to_owned(),
                            row["value"].as_str().unwrap_or("").to_owned(),
                            def.default.to_owned(),
                            def.zh.to_owned(),
                            def.basis.to_owned(),
                        ]);
                    }
                    for (k, v) in in_force.per_court() {
                        table.push(vec![
                            k.to_owned(),
                            v.to_owned(),
                            String::new(),
                            "通报发文字号的机关代字".to_owned(),
                            String::new(),
                        ]);
                    }
                    if f == Format::Csv {
                        table.write_csv(out, &["key", "value", "default", "name", "basis"])?;
                    } else {
                        table.write_aligned(&mut out)?;
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        SettingsCommand::Set { db, key, value } => {
            let normalized =
                settings::check_value(&key, &value).map_err(|e| BadInput(format!("{key}: {e}")))?;
            let store = open_store(&db.db).await?;
            let before = stored_settings(&*store).await?.value(&key).to_owned();
            let actor = cli_actor();
            let at = now_text();
            store
                .set_setting(
                    &SettingRecord {
                        key: key.clone(),
                        value: normalized.clone(),
                        changed_at: at.clone(),
                        changed_by: actor.name.clone(),
                    },
                    &WorkflowAuditEntry {
                        at,
                        actor: actor.name,
                        kind: "workflow_update".into(),
                        module: "settings".into(),
                        entity: "setting".into(),
                        entity_id: key.clone(),
                        action: "update".into(),
                        before: json!({ "value": before }).to_string(),
                        after: json!({ "value": normalized }).to_string(),
                    },
                )
                .await?;
            store.close().await;
            println!("{key} = {normalized}（原为 {before}）");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Everything a mediation command reads.
struct Book {
    courts: CourtTable,
    mediations: Vec<Mediation>,
    events: BTreeMap<String, Vec<MediationEvent>>,
    /// Filing dates of the cases the mediations link to.
    filed: HashMap<String, NaiveDate>,
    settings: MediationSettings,
    org_names: HashMap<String, String>,
    mediator_names: HashMap<String, String>,
}

async fn book(store: &dyn Store) -> anyhow::Result<Book> {
    let courts = CourtTable::from_records(store.courts().await?);
    let records = tianping_store::load_mediation_records(store).await?;
    let linked: Vec<String> = records
        .mediations
        .iter()
        .filter_map(|m| m.filed_case_number.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    // Only the linked cases' filing dates, not every case.
    let filed = if linked.is_empty() {
        HashMap::new()
    } else {
        store.filed_dates(&linked).await?
    };
    Ok(Book {
        courts,
        settings: records.settings.mediation(),
        mediations: records.mediations,
        events: records.events,
        filed,
        org_names: records.org_names,
        mediator_names: records.mediator_names,
    })
}

impl Book {
    fn events_of(&self, id: &str) -> &[MediationEvent] {
        self.events.get(id).map(Vec::as_slice).unwrap_or_default()
    }

    fn in_scope(&self, scope: Option<&str>, court: &str) -> bool {
        scope.is_none_or(|s| court == s || self.courts.is_within(court, s))
    }

    fn check_scope(&self, scope: Option<&str>) -> Result<(), BadInput> {
        match scope {
            Some(code)
                if self.courts.get(code).is_none()
                    && !self.mediations.iter().any(|m| {
                        m.court_code == code || self.courts.is_within(&m.court_code, code)
                    }) =>
            {
                Err(BadInput(format!("--scope: unknown court '{code}'")))
            }
            _ => Ok(()),
        }
    }
}

pub async fn mediation(
    command: MediationCommand,
    calendar: HolidayCalendar,
) -> anyhow::Result<ExitCode> {
    match command {
        MediationCommand::List(args) => list(args, &calendar).await,
        MediationCommand::Show(args) => show(args, &calendar).await,
        MediationCommand::Act(args) => act_on(args, &calendar).await,
        MediationCommand::Due(args) => due(args, &calendar).await,
        MediationCommand::Indicators(args) => indicators(args, &calendar).await,
    }
}

fn status_word(state: State, overdue: bool) -> String {
    if overdue {
        format!("{}（超期）", state.name_zh())
    } else {
        state.name_zh().to_owned()
    }
}

async fn list(args: MediationListArgs, calendar: &HolidayCalendar) -> anyhow::Result<ExitCode> {
    let as_of = as_of_arg(args.as_of.as_ref())?;
    let kind = match args.kind.as_deref() {
        None => KindFilter::All,
        Some(t) => KindFilter::parse(t)
            .ok_or_else(|| BadInput(format!("--kind: '{t}' is not 委派, 申请, 委托 or pre")))?,
    };
    let wanted = match args.status.as_deref() {
        None => None,
        Some("overdue") => Some(None),
        Some(t) => Some(Some(State::parse(t).ok_or_else(|| {
            BadInput(format!(
                "--status: '{t}' is not registered, referred, mediating, succeeded, withdrawn, \
                 failed, returned or overdue"
            ))
        })?)),
    };
    let store = open_store(&args.db.db).await?;
    let b = book(&*store).await?;
    store.close().await;
    b.check_scope(args.scope.as_deref())?;
    let mut rows = Vec::new();
    for m in &b.mediations {
        if m.registered_date > as_of
            || !b.in_scope(args.scope.as_deref(), &m.court_code)
            || !kind.admits(m.kind)
            || args
                .org
                .as_ref()
                .is_some_and(|o| m.org_id.as_ref() != Some(o))
            || args
                .mediator
                .as_ref()
                .is_some_and(|o| m.mediator_id.as_ref() != Some(o))
        {
            continue;
        }
        let events = b.events_of(&m.mediation_id);
        let state = state_at(m, events, as_of);
        let due = due_rows(m, events, as_of, calendar, &b.settings, &|n| {
            b.filed.get(n).copied()
        });
        let overdue = due.iter().any(|r| r.status == ItemStatus::Overdue);
        match wanted {
            Some(None) if !overdue => continue,
            Some(Some(s)) if s != state => continue,
            _ => {}
        }
        rows.push((m, state, overdue));
    }
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(
            &mut out,
            &list_document(&rows.iter().map(|(m, s, _)| (*m, *s)).collect::<Vec<_>>()),
        )?,
        f => {
            let mut table = TextTable::new(vec![
                "调解编号",
                "法院",
                "类型",
                "登记日期",
                "调解员",
                "状态",
            ]);
            for (m, state, overdue) in &rows {
                table.push(vec![
                    m.mediation_id.clone(),
                    b.courts.name_of(&m.court_code).to_owned(),
                    m.kind.name_zh().to_owned(),
                    m.registered_date.to_string(),
                    m.mediator_id
                        .as_deref()
                        .map(|id| {
                            b.mediator_names
                                .get(id)
                                .cloned()
                                .unwrap_or_else(|| id.to_owned())
                        })
                        .unwrap_or_default(),
                    if f == Format::Csv {
                        state.id().to_owned()
                    } else {
                        status_word(*state, *overdue)
                    },
                ]);
            }
            if f == Format::Csv {
                table.write_csv(
                    out,
                    &[
                        "mediation_id",
                        "court_code",
                        "kind",
                        "registered_date",
                        "mediator",
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
    let history = store.workflow_history("mediation", &args.id).await?;
    store.close().await;
    let m = b
        .mediations
        .iter()
        .find(|m| m.mediation_id == args.id)
        .ok_or_else(|| BadInput(format!("no mediation '{}'", args.id)))?;
    let events = b.events_of(&m.mediation_id);
    let state = state_at(m, events, as_of);
    let due = due_rows(m, events, as_of, calendar, &b.settings, &|n| {
        b.filed.get(n).copied()
    });
    let cutoff = m.concluded_date.filter(|d| *d <= as_of).unwrap_or(as_of);
    let deadline =
        tianping_workflow::mediation::mediation_deadline(m, events, cutoff, calendar, &b.settings);
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => {
            let value = show_document(
                m,
                events,
                state,
                &due,
                as_of,
                calendar,
                &b.settings,
                serde_json::to_value(&history)?,
            );
            write_json(&mut out, &value)?;
        }
        _ => {
            use std::io::Write;
            writeln!(
                out,
                "{}  {}  {}",
                m.mediation_id,
                m.kind.name_zh(),
                state.name_zh()
            )?;
            writeln!(
                out,
                "法院：{}；登记 {}",
                b.courts.name_of(&m.court_code),
                m.registered_date
            )?;
            if let Some(d) = &deadline {
                writeln!(
                    out,
                    "调解期限：{} 起 {} 日，延长 {} 日，扣除鉴定评估 {} 日，届满 {}（顺延前 {}）",
                    d.start_date,
                    mediation_limit(m).0,
                    d.extension_days,
                    d.excluded_days,
                    d.deadline,
                    d.before_roll_over
                )?;
            }
            for r in &due {
                writeln!(out, "待办：{} 截止 {}，{}", r.rule, r.deadline, r.reason)?;
            }
            for h in &history {
                writeln!(out, "{}  {}  {}", h.at, h.actor, h.action)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_action(args: &MediationActArgs) -> Result<Action, BadInput> {
    let need = |v: &Option<String>, option: &str| {
        v.clone()
            .ok_or_else(|| BadInput(format!("{}: {option} is required", args.action)))
    };
    Ok(match args.action.as_str() {
        "assign" => Action::Assign {
            org_id: args.org.clone(),
            mediator_id: args.mediator.clone(),
        },
        "return" => Action::Return {
            reason: need(&args.reason, "--reason")?,
        },
        "decline" => Action::Decline {
            reason: need(&args.reason, "--reason")?,
        },
        "accept" => Action::Accept,
        "extend" => Action::Extend {
            days: args
                .days
                .ok_or_else(|| BadInput("extend: --days is required".into()))?,
        },
        "appraisal-start" | "appraisal_start" => Action::AppraisalStart,
        "appraisal-end" | "appraisal_end" => Action::AppraisalEnd,
        "change-mediator" | "change_mediator" => Action::ChangeMediator {
            mediator_id: need(&args.mediator, "--mediator")?,
        },
        "conclude" => {
            let text = need(&args.outcome, "--outcome")?;
            let outcome = Outcome::parse(&text).ok_or_else(|| {
                BadInput(format!(
                    "--outcome: '{text}' is not 调解成功, 撤回 or 调解不成"
                ))
            })?;
            let agreement_path = match &args.path {
                None => None,
                Some(p) => Some(AgreementPath::parse(p).ok_or_else(|| {
                    BadInput(format!(
                        "--path: '{p}' is not 自动履行, 司法确认, 调解书, 撤诉 or 未定"
                    ))
                })?),
            };
            Action::Conclude {
                outcome,
                agreement_path,
                failure_reason: args.failure_reason.clone(),
                performed: args.performed,
            }
        }
        "link" => Action::Link {
            confirmation: args.confirmation.clone(),
            document: args.document.clone(),
            filed: args.filed.clone(),
        },
        "reopen" => Action::Reopen {
            note: need(&args.note, "--note")?,
        },
        other => {
            return Err(BadInput(format!(
                "unknown action '{other}' (assign, return, decline, accept, extend, \
                 appraisal-start, appraisal-end, change-mediator, conclude, link, reopen)"
            )));
        }
    })
}

async fn act_on(args: MediationActArgs, calendar: &HolidayCalendar) -> anyhow::Result<ExitCode> {
    let action = parse_action(&args)?;
    let today = today();
    let date = match &args.date {
        Some(t) => parse_date_arg("--date", t)?,
        None => today,
    };
    let store = open_store(&args.db.db).await?;
    let b = book(&*store).await?;
    let m = b
        .mediations
        .iter()
        .find(|m| m.mediation_id == args.id)
        .ok_or_else(|| BadInput(format!("no mediation '{}'", args.id)))?;
    let events = b.events_of(&m.mediation_id);
    let actor = cli_actor();
    let before_state = state_at(m, events, today);
    // Every refusal is bad input: exit 2 with its message.
    let acted = act(
        m,
        events,
        &action,
        date,
        today,
        &actor,
        calendar,
        &b.settings,
        &|_| None,
    )
    .map_err(|e| BadInput(e.to_string()))?;
    let (before, after) = acted.audit_fields(m, events, today, args.note.as_deref());
    let after_state = state_at(&acted.mediation, &acted.events_after(events), today);
    store
        .save_mediation(&MediationChange {
            mediation: acted.mediation.clone(),
            new_event: acted.event.clone(),
            closed_event: acted.closed_event.clone(),
            audit: WorkflowAuditEntry {
                at: now_text(),
                actor: actor.name.clone(),
                kind: "workflow_action".into(),
                module: "mediation".into(),
                entity: "mediation".into(),
                entity_id: m.mediation_id.clone(),
                action: action.name().into(),
                before: before.to_string(),
                after: after.to_string(),
            },
        })
        .await?;
    store.close().await;
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &record_json(&acted.mediation, after_state))?,
        _ => {
            use std::io::Write;
            writeln!(
                out,
                "{}：{} → {}",
                m.mediation_id,
                before_state.name_zh(),
                after_state.name_zh()
            )?;
        }
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
        .mediations
        .iter()
        .filter(|m| b.in_scope(args.scope.as_deref(), &m.court_code))
        .flat_map(|m| {
            due_rows(
                m,
                b.events_of(&m.mediation_id),
                as_of,
                calendar,
                &b.settings,
                &|n| b.filed.get(n).copied(),
            )
        })
        .filter(|r| wanted.is_none_or(|w| r.status == w))
        .collect();
    tianping_workflow::core::due::sort_due(&mut rows);
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &due_document(as_of, &rows))?,
        f => write_due(out, &rows, f, "调解编号", &b.courts)?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn indicators(
    args: MediationIndicatorsArgs,
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
            "--by: '{}' is not none, court, org, mediator, kind or month",
            args.by
        ))
    })?;
    let compare = compare_arg(&args.compare)?;
    let kind = match args.kind.as_deref() {
        None => KindFilter::All,
        Some(t) => KindFilter::parse(t)
            .ok_or_else(|| BadInput(format!("--kind: '{t}' is not 委派, 申请, 委托 or pre")))?,
    };
    let store = open_store(&args.db.db).await?;
    let b = book(&*store).await?;
    store.close().await;
    b.check_scope(args.scope.as_deref())?;
    let scope = args.scope.as_deref();
    let in_scope = |court: &str| b.in_scope(scope, court);
    let filed = |n: &str| b.filed.get(n).copied();
    let query = IndicatorQuery {
        from,
        to,
        as_of,
        by,
        kind,
        in_scope: &in_scope,
        case_filed: &filed,
    };
    let label = |key: &str| -> String {
        match by {
            GroupBy::None => scope.map_or("全部法院".to_owned(), |c| {
                b.courts.name_of(c).to_owned()
            }),
            GroupBy::Court => b.courts.name_of(key).to_owned(),
            GroupBy::Org => b
                .org_names
                .get(key)
                .cloned()
                .unwrap_or_else(|| key.to_owned()),
            GroupBy::Mediator => b
                .mediator_names
                .get(key)
                .cloned()
                .unwrap_or_else(|| key.to_owned()),
            GroupBy::Kind | GroupBy::Month => key.to_owned(),
        }
    };
    let document = indicators_document(
        &b.mediations,
        &b.events,
        &query,
        compare,
        scope,
        &label,
        calendar,
        &b.settings,
    );
    let rows: Vec<Value> = document["rows"].as_array().cloned().unwrap_or_default();
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &document)?,
        f => write_indicator_rows(
            out,
            &rows,
            &[
                ("registered", "登记"),
                ("concluded", "办结"),
                ("succeeded", "调解成功"),
                ("success_rate", "调解成功率"),
                ("within_limit_rate", "期限内办结率"),
                ("overdue_pending", "超期未结"),
                ("avg_days", "平均调解天数"),
            ],
            f,
        )?,
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn mediators(command: MediatorsCommand) -> anyhow::Result<ExitCode> {
    let MediatorsCommand::List(args) = command;
    list_roster(args).await
}

async fn list_roster(args: MediatorsListArgs) -> anyhow::Result<ExitCode> {
    let as_of = as_of_arg(args.as_of.as_ref())?;
    let store = open_store(&args.db.db).await?;
    let courts = CourtTable::from_records(store.courts().await?);
    let orgs = store.mediation_orgs().await?;
    let mediators = store.mediators().await?;
    store.close().await;
    let in_scope = |court: &str| {
        args.scope
            .as_deref()
            .is_none_or(|s| court == s || courts.is_within(court, s))
    };
    let active = |status: &str, left: Option<NaiveDate>| {
        roster_active(status) && left.is_none_or(|l| l > as_of)
    };
    // Counts per court as of the date.
    let mut per_court: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    for o in orgs.iter().filter(|o| in_scope(&o.court_code)) {
        if active(&o.status, o.left_date) {
            per_court.entry(o.court_code.clone()).or_default()[0] += 1;
        }
    }
    for m in mediators.iter().filter(|m| in_scope(&m.court_code)) {
        if active(&m.status, m.left_date) {
            let c = per_court.entry(m.court_code.clone()).or_default();
            c[1] += 1;
            c[2] += u64::from(m.resident);
            c[3] += u64::from(m.online);
        }
    }
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => {
            let rows: Vec<Value> = per_court
                .iter()
                .map(|(court, c)| {
                    json!({"court_code": court, "court_name": courts.name_of(court),
                           "orgs_active": c[0], "mediators_active": c[1],
                           "resident": c[2], "online": c[3]})
                })
                .collect();
            write_json(
                &mut out,
                &json!({"as_of": as_of, "rows": rows,
                        "mediators": mediators.iter().filter(|m| in_scope(&m.court_code)).collect::<Vec<_>>()}),
            )?;
        }
        f => {
            let mut table = TextTable::new(vec![
                "法院",
                "在册调解组织",
                "在册调解员",
                "驻院",
                "入驻平台",
            ]);
            for (court, c) in &per_court {
                table.push(vec![
                    courts.name_of(court).to_owned(),
                    c[0].to_string(),
                    c[1].to_string(),
                    c[2].to_string(),
                    c[3].to_string(),
                ]);
            }
            if f == Format::Csv {
                table.write_csv(
                    out,
                    &[
                        "court",
                        "orgs_active",
                        "mediators_active",
                        "resident",
                        "online",
                    ],
                )?;
            } else {
                table.write_aligned(&mut out)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
