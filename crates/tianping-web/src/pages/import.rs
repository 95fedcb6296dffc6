//! Importing exchange files from the browser: CSV or XLSX uploads, checked whole; any error and
//! nothing is stored, and every error is shown as `file:row:column: message`. Or, when the user
//! asks to skip bad rows, the good rows are stored and the bad ones come back as a rejects CSV
//! (the rows as they were, with the reason) to correct and import again.

use std::path::PathBuf;

use axum::extract::multipart::Field;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use serde::Serialize;
use tianping_domain::{CaseNumber, CourtTable};
use tianping_exchange::{Kind, Layout, ParsedFile};
use tianping_store::import::{ImportError, ImportOptions, OnError, import_parsed};

use super::base;
use crate::auth::{CourtLevelUser, CurrentUser, ImportView, check_csrf};
use crate::limits::{TEXT_CHARS, check_chars};
use crate::scope::{CourtScope, authorize};
use crate::{AppState, WebError};

/// The most errors a page lists (the count says how many there are).
const SHOWN_ERRORS: usize = 1000;

#[derive(Debug, Serialize, Default)]
struct Outcome {
    ok: bool,
    files: Vec<FileLine>,
    errors: Vec<String>,
    total_errors: usize,
    summary: String,
    /// Skip mode: rows left out, with the reasons listed in `errors`.
    rejected: usize,
}

#[derive(Debug, Serialize)]
struct FileLine {
    file: String,
    kind: String,
    rows: usize,
    imported: usize,
    rejected: usize,
    /// Skip mode: the rejected rows with their reasons, as a CSV the browser downloads.
    rejects_name: Option<String>,
    rejects_href: Option<String>,
}

/// A private directory for the rejects files of one import, removed when dropped.
struct RejectsDir(PathBuf);

impl RejectsDir {
    fn new() -> std::io::Result<RejectsDir> {
        use rand::Rng;
        let dir = std::env::temp_dir().join(format!(
            "tianping-rejects-{}-{:016x}",
            std::process::id(),
            rand::rng().random::<u64>()
        ));
        std::fs::create_dir(&dir)?;
        Ok(RejectsDir(dir))
    }
}

impl Drop for RejectsDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A file's content as a `data:` address the page's download link carries (no file is kept on
/// the server).
fn data_url(bytes: &[u8]) -> String {
    let mut out = String::from("data:text/csv;charset=utf-8,");
    for b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(*b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn render(
    state: &AppState,
    user: &CurrentUser,
    courts: &CourtTable,
    outcome: Option<Outcome>,
) -> Result<Html<String>, WebError> {
    state.templates.render(
        "import.html",
        context! {
            title => "数据导入",
            outcome => outcome,
            ..minijinja::Value::from_serialize(base(user, courts, "import"))
        },
    )
}

pub async fn form(
    State(state): State<AppState>,
    court_user: CourtLevelUser<ImportView>,
) -> Result<Html<String>, WebError> {
    let user = court_user.into_user();
    let data = state.data().await?;
    render(&state, &user, data.courts(), None)
}

/// Rows naming a court outside the user's scope: a staff member imports only their courts.
fn out_of_scope(
    files: &[(PathBuf, ParsedFile)],
    scope: &CourtScope,
    courts: &CourtTable,
    stored_courts: &std::collections::HashMap<String, String>,
) -> Vec<String> {
    let mut errors = Vec::new();
    let mut check = |file: &str, row: usize, column: &str, code: &str| {
        if !scope.contains_court(courts, code) {
            errors.push(format!(
                "{file}:{row}:{column}: 法院 {code} 超出本账号的范围，不能导入"
            ));
        }
    };
    // The mediation files: their rows' court, and for events the court of their mediation
    // (one of this upload, or one stored).
    let mut uploaded: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for (_, f) in files.iter().filter(|(_, f)| f.kind == Kind::Mediations) {
        let columns = tianping_exchange::template_columns(f.kind);
        let at = |name: &str| columns.iter().position(|c| c.name == name);
        if let (Some(id), Some(court)) = (at("mediation_id"), at("court_code")) {
            for (_, cells) in &f.table {
                uploaded.insert(cells[id].clone(), cells[court].clone());
            }
        }
    }
    for (_, f) in files.iter().filter(|(_, f)| f.kind.is_table()) {
        let columns = tianping_exchange::template_columns(f.kind);
        let at = |name: &str| columns.iter().position(|c| c.name == name);
        if let Some(court) = at("court_code") {
            let label = f.column_label("court_code");
            for (row, cells) in &f.table {
                check(&f.file, *row, &label, &cells[court]);
            }
        }
        if f.kind == Kind::MediationEvents
            && let Some(id) = at("mediation_id")
        {
            let label = f.column_label("mediation_id");
            for (row, cells) in &f.table {
                let court = uploaded
                    .get(&cells[id])
                    .cloned()
                    .or_else(|| stored_courts.get(&cells[id]).cloned());
                if let Some(court) = court {
                    check(&f.file, *row, &label, &court);
                }
            }
        }
    }
    for (_, f) in files {
        for (row, court) in &f.courts {
            check(&f.file, *row, "code", &court.code);
        }
        for (row, case) in &f.cases {
            check(&f.file, *row, "court_code", &case.court_code);
        }
        for (row, event) in &f.events {
            if let Ok(n) = CaseNumber::parse(&event.case_number) {
                check(&f.file, *row, "case_number", n.court.as_str());
            }
        }
    }
    errors
}

/// A short field of the upload form, read only up to its limit: `field.text()` would buffer a
/// field as large as the body limit allows.
async fn small_field(mut field: Field<'_>, label: &str) -> Result<String, WebError> {
    let too_long = || WebError::BadRequest(format!("{label}过长：不能超过{TEXT_CHARS}个字符"));
    let mut bytes: Vec<u8> = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| {
        tracing::warn!("upload: {e}");
        WebError::BadRequest("上传失败，请检查文件后重试".to_owned())
    })? {
        // A character takes at most four bytes in UTF-8.
        if bytes.len() + chunk.len() > TEXT_CHARS * 4 {
            return Err(too_long());
        }
        bytes.extend_from_slice(&chunk);
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| WebError::BadRequest(format!("{label}不是有效的 UTF-8 文字")))?;
    check_chars(label, &text, TEXT_CHARS).map_err(WebError::BadRequest)?;
    Ok(text)
}

/// Court rows a non-administrator's upload would write. Only administrators change the court
/// table: a clerk who could would move their own court from under its 中院 (another parent, level
/// or name) and out of its sight. A courts file is refused whole; a court row that another layout
/// carries along (an eCourts establishment) passes only when the table already holds it
/// unchanged, so that writing it changes nothing.
fn court_changes(files: &[(PathBuf, ParsedFile)], courts: &CourtTable) -> Vec<String> {
    let mut errors = Vec::new();
    for (_, f) in files {
        if f.kind == Kind::Courts {
            errors.push(format!(
                "{}: 法院表（名称、级别、上级法院）只能由系统管理员导入，本账号不能导入",
                f.file
            ));
            continue;
        }
        // Only the eCourts layout carries courts in a cases file: its establishment code.
        for (row, court) in &f.courts {
            if courts.get(&court.code) != Some(court) {
                errors.push(format!(
                    "{}:{row}:est_code: 法院 {} 不在法院表中或与法院表不一致；\
                     法院表只能由系统管理员更改",
                    f.file, court.code
                ));
            }
        }
    }
    errors
}

pub async fn upload(
    State(state): State<AppState>,
    court_user: CourtLevelUser<ImportView>,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    let user = court_user.into_user();
    let mut csrf: Option<String> = None;
    let mut kind: Option<Kind> = None;
    let mut layout = Layout::Tianping;
    let mut skip_bad_rows = false;
    let mut uploads: Vec<(String, Vec<u8>)> = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        tracing::warn!("upload: {e}");
        WebError::BadRequest("上传失败，请检查文件后重试".to_owned())
    })? {
        let name = field.name().unwrap_or("").to_owned();
        match name.as_str() {
            "csrf" => csrf = Some(small_field(field, "csrf").await?),
            "kind" => {
                kind = match small_field(field, "文件类型").await?.as_str() {
                    "auto" | "" => None,
                    other => Kind::parse(other),
                }
            }
            "on_error" => {
                skip_bad_rows = match small_field(field, "出错处理").await?.as_str() {
                    "skip" => true,
                    "reject" | "" => false,
                    other => {
                        return Err(WebError::BadRequest(format!(
                            "出错处理“{other}”应为 reject（整批不导入）或 skip（跳过有问题的行）"
                        )));
                    }
                };
            }
            "layout" => {
                layout = match small_field(field, "文件格式").await?.as_str() {
                    "ecourts-india" => Layout::EcourtsIndia,
                    _ => Layout::Tianping,
                };
            }
            "files" => {
                let file_name = field.file_name().unwrap_or("未命名文件").to_owned();
                check_chars("文件名", &file_name, TEXT_CHARS).map_err(WebError::BadRequest)?;
                let bytes = field.bytes().await.map_err(|e| {
                    tracing::warn!("upload: {e}");
                    WebError::BadRequest("上传失败，请检查文件后重试".to_owned())
                })?;
                if !bytes.is_empty() {
                    uploads.push((file_name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    check_csrf(&user.session, csrf.as_deref()).await?;
    let data = state.data().await?;
    let courts = data.courts().clone();
    if uploads.is_empty() {
        return Err(WebError::BadRequest("请选择要导入的文件".into()));
    }
    let names: Vec<String> = uploads.iter().map(|(n, _)| n.clone()).collect();
    let scope = authorize(&user.user, None, &courts)?;

    // Reading and checking is CPU work: off the async runtime.
    let parsed = tokio::task::spawn_blocking(move || {
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for (name, bytes) in uploads {
            match tianping_exchange::read_bytes(&name, &bytes, kind, layout) {
                Ok(file) => files.push((PathBuf::from(&name), file)),
                Err(e) => errors.push(e.to_string()),
            }
        }
        (files, errors)
    })
    .await
    .map_err(|e| WebError::Internal(format!("reading uploads: {e}")))?;
    let (files, mut errors) = parsed;
    let court_errors = if user.is_admin() {
        Vec::new()
    } else {
        court_changes(&files, &courts)
    };
    let forbidden = !court_errors.is_empty();
    errors.extend(court_errors);
    // The court of every stored mediation, for the events of this upload.
    let stored_courts: std::collections::HashMap<String, String> =
        if files.iter().any(|(_, f)| f.kind == Kind::MediationEvents) {
            state
                .mediation_book()
                .await?
                .mediations
                .iter()
                .map(|m| (m.mediation_id.clone(), m.court_code.clone()))
                .collect()
        } else {
            std::collections::HashMap::new()
        };
    errors.extend(out_of_scope(&files, &scope, &courts, &stored_courts));

    // Skip mode leaves bad rows out and hands them back with their reasons; rows of another
    // court and court-table changes are not bad data but beyond the account: they still refuse
    // the whole import.
    let rejects_dir = if skip_bad_rows {
        Some(RejectsDir::new().map_err(|e| WebError::Internal(format!("rejects dir: {e}")))?)
    } else {
        None
    };
    let options = ImportOptions {
        kind,
        layout,
        on_error: if skip_bad_rows {
            OnError::Skip
        } else {
            OnError::Reject
        },
        rejects: rejects_dir.as_ref().map(|d| d.0.join("rejects.csv")),
        user: user.username().to_owned(),
        at: state.now_text(),
        // The server follows the store's changes itself (`AppState::refresh`).
        case_book: None,
    };
    let result = if errors.is_empty() {
        import_parsed(state.store.as_ref(), files, &options).await
    } else {
        // Refused already (another court's rows, a court table change): still list every
        // other problem of the files, as the page promises.
        tianping_store::import::problems(state.store.as_ref(), files)
            .await
            .and_then(|errors| Err(ImportError::Rejected { errors }))
    };
    let outcome = match result {
        Ok(report) => {
            // Workflow files may have come with the cases: read them again at the next request.
            state.forget_workflow_books().await;
            let o = &report.outcome;
            let rejected: usize = report.files.iter().map(|f| f.rejected).sum();
            let mut summary = format!(
                "案件：新增 {}，更新 {}，未变 {}；事件：新增 {}，已有 {}；法院：新增 {}，更新 {}",
                o.cases.inserted,
                o.cases.updated,
                o.cases.unchanged,
                o.events.inserted,
                o.events.unchanged,
                o.courts.inserted,
                o.courts.updated
            );
            if rejected > 0 {
                summary.push_str(&format!(
                    "；跳过有问题的行 {rejected} 行（见下方说明，可下载退回文件）"
                ));
            }
            state
                .audit(
                    user.username(),
                    "import",
                    format!("导入 {}：{summary}", names.join("、")),
                )
                .await?;
            state.refresh_now().await?;
            let mut files = Vec::new();
            for f in &report.files {
                let rejects = match &f.rejects_file {
                    Some(path) => Some(std::fs::read(path).map_err(|e| {
                        WebError::Internal(format!("reading the rejects file: {e}"))
                    })?),
                    None => None,
                };
                let stem = std::path::Path::new(&f.file)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("file")
                    .to_owned();
                files.push(FileLine {
                    file: f.file.clone(),
                    kind: f.kind.to_owned(),
                    rows: f.rows,
                    imported: f.imported,
                    rejected: f.rejected,
                    rejects_name: rejects.as_ref().map(|_| format!("{stem}.退回.csv")),
                    rejects_href: rejects.as_deref().map(data_url),
                });
            }
            let reasons: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
            Outcome {
                ok: true,
                files,
                total_errors: reasons.len(),
                errors: reasons.into_iter().take(SHOWN_ERRORS).collect(),
                summary,
                rejected,
            }
        }
        Err(ImportError::Rejected { errors: row_errors }) => {
            errors.extend(row_errors.iter().map(ToString::to_string));
            refused(&state, &user, &names, errors).await?
        }
        Err(ImportError::File(e)) => {
            errors.push(e.to_string());
            refused(&state, &user, &names, errors).await?
        }
        Err(other) => return Err(WebError::Internal(format!("import: {other}"))),
    };
    let status = if outcome.ok {
        StatusCode::OK
    } else if forbidden {
        WebError::Forbidden(String::new()).status()
    } else {
        WebError::Unprocessable(String::new()).status()
    };
    let html = render(&state, &user, &courts, Some(outcome))?;
    Ok((status, html).into_response())
}

async fn refused(
    state: &AppState,
    user: &CurrentUser,
    names: &[String],
    errors: Vec<String>,
) -> Result<Outcome, WebError> {
    state
        .audit(
            user.username(),
            "import_rejected",
            format!(
                "导入 {} 被拒绝：{} 处问题，未写入任何数据",
                names.join("、"),
                errors.len()
            ),
        )
        .await?;
    Ok(Outcome {
        ok: false,
        total_errors: errors.len(),
        errors: errors.into_iter().take(SHOWN_ERRORS).collect(),
        summary: "发现问题，未写入任何数据".to_owned(),
        ..Outcome::default()
    })
}

/// `GET /import/template/{kind}`: an XLSX template of one file kind (courts, cases, events) with
/// the Chinese headers the importer accepts, required columns marked in the second sheet, and
/// an example row to overwrite.
pub async fn template(
    court_user: CourtLevelUser<ImportView>,
    axum::extract::Path(kind): axum::extract::Path<String>,
) -> Result<Response, WebError> {
    let _user = court_user.into_user();
    let kind = Kind::parse(kind.trim_end_matches(".xlsx"))
        .ok_or_else(|| WebError::NotFound(format!("没有“{kind}”这种导入文件")))?;
    let bytes = template_workbook(kind).map_err(|e| WebError::Internal(format!("xlsx: {e}")))?;
    let name = format!("{}导入模板.xlsx", kind.name_zh());
    Ok(super::table::xlsx_response(
        bytes,
        &format!("{}-template.xlsx", kind.id()),
        &name,
    ))
}

/// The template workbook of `kind`: the header row and the example row, then a sheet that
/// explains each column.
pub fn template_workbook(kind: Kind) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let columns = tianping_exchange::template_columns(kind);
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let required = Format::new().set_bold().set_font_color("C00000");
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name(kind.name_zh())?;
    for (i, c) in columns.iter().enumerate() {
        let col = i as u16;
        sheet.write_string_with_format(
            0,
            col,
            c.header,
            if c.required { &required } else { &bold },
        )?;
        // Text cells: dates and case numbers stay as written.
        sheet.set_column_format(col, &text)?;
        sheet.set_column_width(
            col,
            if c.name.contains("case_number") {
                26.0
            } else {
                14.0
            },
        )?;
        if !c.example.is_empty() {
            sheet.write_string(1, col, c.example)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let help = book.add_worksheet();
    help.set_name("填写说明")?;
    for (col, title) in ["列名", "英文列名", "是否必填", "示例"].iter().enumerate() {
        help.write_string_with_format(0, col as u16, *title, &bold)?;
    }
    for (i, c) in columns.iter().enumerate() {
        let row = i as u32 + 1;
        help.write_string(row, 0, c.header)?;
        help.write_string(row, 1, c.name)?;
        help.write_string(row, 2, if c.required { "必填" } else { "可空" })?;
        help.write_string(row, 3, c.example)?;
    }
    help.write_string(
        columns.len() as u32 + 2,
        0,
        "第一张工作表的第一行是列名（红色为必填），第二行是示例，请替换为本院数据后导入；列名用中文或英文均可。",
    )?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tianping_domain::{CourtLevel, CourtRecord};

    const ECOURTS_HEADER: &str = "cino,est_code,court_name,court_no,desgname,type_name,\
                                  date_of_filing,dt_regis,date_of_decision,disp_name,purpose_name";

    fn ecourts(rows: &[&str]) -> (PathBuf, ParsedFile) {
        let text = format!("{ECOURTS_HEADER}\n{}\n", rows.join("\n"));
        let file =
            tianping_exchange::read_bytes("in.csv", text.as_bytes(), None, Layout::EcourtsIndia)
                .unwrap();
        (PathBuf::from("in.csv"), file)
    }

    fn table() -> CourtTable {
        CourtTable::from_records([CourtRecord {
            code: "DLND01".into(),
            name: "Patiala House".into(),
            level: CourtLevel::Basic,
            parent_code: None,
        }])
    }

    #[test]
    fn an_ecourts_row_may_name_a_court_the_table_holds_unchanged_and_no_other() {
        let same = ecourts(&[
            "DLND010000012020,DLND01,Patiala House,5,Sessions Judge,SC,2020-01-02,2020-01-03,NA,NA,NA",
        ]);
        assert_eq!(court_changes(&[same], &table()), Vec::<String>::new());
        let renamed = ecourts(&[
            "DLND010000012020,DLND01,Saket,5,Sessions Judge,SC,2020-01-02,2020-01-03,NA,NA,NA",
            "DLND020000012020,DLND02,Rohini,5,Sessions Judge,SC,2020-01-02,2020-01-03,NA,NA,NA",
        ]);
        assert_eq!(
            court_changes(&[renamed], &table()),
            [
                "in.csv:2:est_code: 法院 DLND01 不在法院表中或与法院表不一致；法院表只能由系统管理员更改",
                "in.csv:3:est_code: 法院 DLND02 不在法院表中或与法院表不一致；法院表只能由系统管理员更改",
            ]
        );
    }

    #[test]
    fn a_courts_file_is_refused_whole_even_when_it_changes_nothing() {
        let text = "code,name,level\nDLND01,Patiala House,basic\n";
        let file =
            tianping_exchange::read_bytes("courts.csv", text.as_bytes(), None, Layout::Tianping)
                .unwrap();
        assert_eq!(
            court_changes(&[(PathBuf::from("courts.csv"), file)], &table()),
            ["courts.csv: 法院表（名称、级别、上级法院）只能由系统管理员导入，本账号不能导入"]
        );
    }
}
