//! `tianping report`: a quality-and-efficiency bulletin (审判质效通报) for a scope and a period,
//! as DOCX, PDF, XLSX or HTML (`tianping_report`).

use std::process::ExitCode;

use anyhow::Context;
use tianping_domain::HolidayCalendar;
use tianping_domain::period::Period;
use tianping_metrics::assess::AssessSettings;
use tianping_metrics::deadlines::{DeadlineQuery, StatusFilter, deadline_list};
use tianping_report::bulletin::IssueDetails;
use tianping_report::{BulletinRequest, RenderError, ReportFormat};

use super::{BadInput, open_with_snapshot, parse_date_arg, today};
use crate::cli::ReportArgs;

pub async fn run(args: ReportArgs, calendar: HolidayCalendar) -> anyhow::Result<ExitCode> {
    let period = Period::parse(&args.period).map_err(|e| BadInput(format!("--period: {e}")))?;
    let format = ReportFormat::parse(&args.format).ok_or_else(|| {
        BadInput(format!(
            "--format: '{}' is not one of docx, pdf, xlsx, html",
            args.format
        ))
    })?;
    if format == ReportFormat::Pdf && !tianping_report::PDF_BUILT {
        anyhow::bail!("{}", RenderError::PdfNotBuilt);
    }
    let issued = match &args.issued {
        Some(text) => parse_date_arg("--issued", text)?,
        None => today(),
    };
    let settings = match &args.intervals {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| BadInput(format!("--intervals {}: {e}", path.display())))?;
            AssessSettings::parse(&text)
                .map_err(|e| BadInput(format!("--intervals {}: {e}", path.display())))?
        }
        None => AssessSettings::defaults(),
    };
    let (store, snapshot) = open_with_snapshot(&args.db.db, calendar.clone()).await?;
    if let Some(scope) = &args.scope
        && !snapshot.knows_court(scope)
    {
        return Err(BadInput(format!("--scope: unknown court '{scope}'")).into());
    }
    // Pre-litigation mediation beside the case figures, when the courts keep mediations.
    let pre_litigation = {
        let records = tianping_store::load_mediation_records(&*store).await?;
        let table = snapshot.court_table();
        let in_scope = |court: &str| {
            args.scope
                .as_deref()
                .is_none_or(|s| court == s || table.is_within(court, s))
        };
        tianping_report::bulletin::pre_litigation(
            &records.mediations,
            &records.events,
            period,
            &in_scope,
            &calendar,
            &records.settings.mediation(),
        )
    };
    // Petitions and judicial suggestions beside them, when the courts keep them.
    let (petitions, suggestions, refunds) = {
        let courts = snapshot.court_table();
        let in_scope = |court: &str| {
            args.scope
                .as_deref()
                .is_none_or(|s| court == s || courts.is_within(court, s))
        };
        let records = tianping_store::load_petition_records(&*store).await?;
        let petitions = tianping_report::bulletin::petition_figures(
            &records.petitions,
            &records.matters,
            period,
            &in_scope,
            &calendar,
            &records.settings.petitions(),
        );
        let suggestions = tianping_report::bulletin::suggestion_figures(
            &store.suggestions().await?,
            period,
            &in_scope,
            &calendar,
            &records.settings.suggestions(),
        );
        let refunds = tianping_report::bulletin::refund_figures(
            &store.refunds().await?,
            period,
            &in_scope,
            &calendar,
            &records.settings.refunds(),
        );
        (petitions, suggestions, refunds)
    };
    let doc_prefix = match &args.scope {
        Some(scope) => store
            .settings()
            .await?
            .into_iter()
            .find(|s| s.key == format!("bulletin.doc_prefix.{scope}"))
            .map(|s| s.value),
        None => None,
    };
    store.close().await;
    // The overdue and long-pending lists: every pending case at the end of the period, from
    // the snapshot (the same rows as `tianping deadlines --status all`, without a database read).
    let pending = deadline_list(
        &snapshot,
        &DeadlineQuery::new(period.last_day(), args.scope.as_deref(), StatusFilter::All),
    );
    let request = BulletinRequest {
        period,
        scope: args.scope.as_deref(),
        settings: &settings,
        issued,
        pending: Some(&pending),
        issue: IssueDetails {
            doc_number: args.doc_number.clone(),
            copy_to: args.copy_to.clone(),
            printer: args.printer.clone(),
            doc_prefix,
        },
        pre_litigation,
        petitions,
        suggestions,
        refunds,
    };
    let bulletin = tianping_report::build(&snapshot, &request)
        .map_err(|e| BadInput(format!("--scope: {e}")))?;
    let bytes = tianping_report::render(&bulletin, format)?;
    std::fs::write(&args.output, &bytes)
        .with_context(|| format!("writing {}", args.output.display()))?;
    eprintln!(
        "{}：{}（{} 字节）",
        bulletin.title,
        args.output.display(),
        bytes.len()
    );
    // The process ends now: freeing a million-case snapshot and case list is wasted time.
    std::mem::forget(snapshot);
    Ok(ExitCode::SUCCESS)
}
