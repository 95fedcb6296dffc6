//! `/reports/bulletin`: the quality-and-efficiency bulletin (审判质效通报) of the user's court for a
//! period, as DOCX, PDF, XLSX or HTML — the same document `tianping report` writes.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tianping_domain::period::Period;
use tianping_metrics::DeadlineFilter;
use tianping_metrics::assess::AssessSettings;
use tianping_metrics::deadlines::StatusFilter;
use tianping_report::{BulletinRequest, ReportFormat};

use super::courts::{reference_date, seg};
use super::nonempty;
use crate::auth::{BulletinView, CourtLevelUser};
use crate::scope::authorize;
use crate::{AppState, WebError};

/// The periods a bulletin can be issued for, as the overview offers them: the year of `to`
/// and its halves, quarters and months begun by `to`, then the year before with its halves
/// and quarters; newest first within each year, the year itself first.
pub fn bulletin_periods(to: chrono::NaiveDate) -> Vec<(String, String)> {
    use chrono::Datelike;
    let mut periods = Vec::new();
    for (year, months) in [(to.year(), to.month()), (to.year() - 1, 12)] {
        let mut of_year = vec![Period::Year(year)];
        of_year.extend((1..=2u8).rev().map(|h| Period::Half(year, h)));
        of_year.extend((1..=4u8).rev().map(|q| Period::Quarter(year, q)));
        if year == to.year() {
            of_year.extend((1..=12u8).rev().map(|m| Period::Month(year, m)));
        }
        periods.extend(
            of_year
                .into_iter()
                .filter(|p| p.first_day().month() <= months || p.first_day().year() < year)
                .map(|p| (p.to_string(), p.to_zh())),
        );
    }
    periods
}

#[derive(Debug, Deserialize, Default)]
pub struct ReportParams {
    period: Option<String>,
    court: Option<String>,
    format: Option<String>,
    /// 发文字号, 抄送 and 印发机关 of the issued document.
    doc_number: Option<String>,
    copy_to: Option<String>,
    printer: Option<String>,
}

pub async fn bulletin(
    State(state): State<AppState>,
    court_user: CourtLevelUser<BulletinView>,
    Query(p): Query<ReportParams>,
) -> Result<Response, WebError> {
    let user = court_user.into_user();
    let data = state.data().await?;
    let scope = authorize(&user.user, nonempty(&p.court), &*data)?;
    let period = match nonempty(&p.period) {
        Some(text) => {
            Period::parse(text).map_err(|e| WebError::BadRequest(format!("period: {e}")))?
        }
        // Default: the year the pages show (the year of their reference date).
        None => Period::Year(chrono::Datelike::year(&reference_date(&data, None)?)),
    };
    let format = match nonempty(&p.format).unwrap_or("docx") {
        "pdf" if !tianping_report::PDF_BUILT => {
            return Err(WebError::BadRequest(
                "本版本未包含 PDF 输出，请下载 DOCX".to_owned(),
            ));
        }
        text => ReportFormat::parse(text).ok_or_else(|| {
            WebError::BadRequest(format!("format: '{text}' 不是 docx、pdf、xlsx 或 html"))
        })?,
    };
    let court = scope.court().map(str::to_owned);
    let issued = crate::today();
    // The court's 机关代字 (setting `bulletin.doc_prefix.<court>`): a sequence number alone
    // becomes the whole 发文字号.
    let doc_prefix = match scope.court() {
        Some(code) => {
            let key = format!("bulletin.doc_prefix.{code}");
            state
                .store
                .settings()
                .await?
                .into_iter()
                .find(|s| s.key == key)
                .map(|s| s.value)
        }
        None => None,
    };
    // Pre-litigation mediation beside the case figures, when the courts keep mediations.
    let pre_litigation = {
        let book = state.mediation_book().await?;
        let courts = data.courts();
        let in_scope = |court: &str| scope.contains_court(courts, court);
        tianping_report::bulletin::pre_litigation(
            &book.mediations,
            &book.events,
            period,
            &in_scope,
            &state.calendar,
            &book.settings,
        )
    };
    // Petitions and judicial suggestions beside them, when the courts keep them.
    let (petitions, suggestions, refunds) = {
        let courts = data.courts();
        let in_scope = |court: &str| scope.contains_court(courts, court);
        let records = tianping_store::load_petition_records(state.store.as_ref()).await?;
        let petitions = tianping_report::bulletin::petition_figures(
            &records.petitions,
            &records.matters,
            period,
            &in_scope,
            &state.calendar,
            &records.settings.petitions(),
        );
        let suggestions = tianping_report::bulletin::suggestion_figures(
            &state.store.suggestions().await?,
            period,
            &in_scope,
            &state.calendar,
            &records.settings.suggestions(),
        );
        let refunds = tianping_report::bulletin::refund_figures(
            &state.store.refunds().await?,
            period,
            &in_scope,
            &state.calendar,
            &records.settings.refunds(),
        );
        (petitions, suggestions, refunds)
    };
    let issue = tianping_report::bulletin::IssueDetails {
        doc_number: nonempty(&p.doc_number).map(str::to_owned),
        copy_to: nonempty(&p.copy_to).map(str::to_owned),
        printer: nonempty(&p.printer).map(str::to_owned),
        doc_prefix,
    };
    // About a second for a province: off the async workers.
    let (bytes, stem) = tokio::task::spawn_blocking({
        let data = data.clone();
        let scope = scope.clone();
        move || -> Result<(Vec<u8>, String), WebError> {
            let view = data.scoped(&scope);
            let snapshot = view
                .snapshot_for_reports()
                .ok_or_else(|| WebError::Forbidden("通报按法院统计".to_owned()))?;
            let pending = view.deadlines(
                period.last_day(),
                StatusFilter::All,
                &DeadlineFilter::default(),
            );
            let settings = AssessSettings::defaults();
            let request = BulletinRequest {
                period,
                scope: court.as_deref(),
                settings: &settings,
                issued,
                pending: Some(&pending),
                issue,
                pre_litigation,
                petitions,
                suggestions,
                refunds,
            };
            let bulletin = tianping_report::build(snapshot, &request)
                .map_err(|e| WebError::BadRequest(e.to_string()))?;
            let bytes = tianping_report::render(&bulletin, format)
                .map_err(|e| WebError::Internal(e.to_string()))?;
            Ok((bytes, bulletin.file_stem()))
        }
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))??;
    state
        .audit(
            user.username(),
            "export",
            format!(
                "下载{}通报（{}）：范围 {}",
                period.to_zh(),
                format.extension(),
                scope.key()
            ),
        )
        .await?;
    let filename = format!("{stem}.{}", format.extension());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"bulletin.{}\"; filename*=UTF-8''{}",
                    format.extension(),
                    seg(&filename)
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}
