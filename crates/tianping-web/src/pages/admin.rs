//! Users and roles, and the audit log: administrators only.

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::{base, see_other};
use crate::auth::{AdminUser, CsrfForm};
use crate::limits::{NAME_CHARS, PASSWORD_CHARS, TEXT_CHARS, check_fields};
use crate::users::{UserInput, check_password, check_user, new_user};
use crate::{AppState, WebError};

#[derive(Debug, Serialize)]
struct UserView {
    username: String,
    role: &'static str,
    role_zh: &'static str,
    court_code: String,
    court_name: String,
    judge_name: String,
    disabled: bool,
    created_at: String,
    /// Duties (职责) as ids, comma-separated, and their Chinese names.
    duties: String,
    duties_zh: String,
    mediator_id: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct Notice {
    done: Option<String>,
}

/// What the users page says after a change, by the code of its `?done=`. The texts are fixed:
/// a notice taken from the address would let any link put words on the platform's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Done {
    Added,
    Changed,
    Unchanged,
}

impl Done {
    const ALL: [Done; 3] = [Done::Added, Done::Changed, Done::Unchanged];

    fn code(self) -> &'static str {
        match self {
            Done::Added => "added",
            Done::Changed => "changed",
            Done::Unchanged => "unchanged",
        }
    }

    fn text(self) -> &'static str {
        match self {
            Done::Added => "已新增用户",
            Done::Changed => "已修改用户",
            Done::Unchanged => "未作更改",
        }
    }

    /// The notice of a code; nothing for any other text.
    fn notice(code: Option<&str>) -> Option<&'static str> {
        Done::ALL
            .into_iter()
            .find(|d| Some(d.code()) == code)
            .map(Done::text)
    }

    fn location(self) -> String {
        format!("/admin/users?done={}", self.code())
    }
}

async fn users_page(
    state: &AppState,
    admin: &AdminUser,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let data = state.data().await?;
    let courts = data.courts();
    let duties = state.store.duties().await?;
    let users: Vec<UserView> = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| {
            let record = duties.iter().find(|d| d.username == u.username);
            let ids: Vec<String> = record.map(|d| d.duties.clone()).unwrap_or_default();
            (u, ids, record.and_then(|d| d.mediator_id.clone()))
        })
        .map(|(u, ids, mediator_id)| UserView {
            duties: ids.join(","),
            duties_zh: ids
                .iter()
                .filter_map(|d| tianping_workflow::core::duties::Duty::parse(d))
                .map(|d| d.name_zh())
                .collect::<Vec<_>>()
                .join("、"),
            mediator_id: mediator_id.unwrap_or_default(),
            court_name: u
                .court_code
                .as_deref()
                .map(|c| courts.name_of(c).to_owned())
                .unwrap_or_default(),
            username: u.username,
            role: u.role.id(),
            role_zh: u.role.name_zh(),
            court_code: u.court_code.unwrap_or_default(),
            judge_name: u.judge_name.unwrap_or_default(),
            disabled: u.disabled,
            created_at: u.created_at,
        })
        .collect();
    let all = crate::scope::authorize(&admin.0.user, None, courts)?;
    state.templates.render(
        "users.html",
        context! {
            title => "用户与角色",
            users => users,
            notice => notice,
            error => error,
            court_options => super::court_options(&data, &all),
            ..minijinja::Value::from_serialize(base(&admin.0, courts, "users"))
        },
    )
}

pub async fn users(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(n): Query<Notice>,
) -> Result<Html<String>, WebError> {
    let notice = Done::notice(n.done.as_deref()).map(str::to_owned);
    users_page(&state, &admin, notice, None).await
}

#[derive(Debug, Deserialize)]
pub struct AddUser {
    username: String,
    password: String,
    role: String,
    court: Option<String>,
    judge: Option<String>,
}

/// Refused input: the users page again, with the message, status 422.
async fn refused(
    state: &AppState,
    admin: &AdminUser,
    message: String,
) -> Result<Response, WebError> {
    let html = users_page(state, admin, None, Some(message.clone())).await?;
    Ok((WebError::Unprocessable(message).status(), html).into_response())
}

pub async fn add_user(
    State(state): State<AppState>,
    admin: AdminUser,
    CsrfForm(form): CsrfForm<AddUser>,
) -> Result<Response, WebError> {
    if let Err(message) = check_fields(&[
        ("用户名", Some(form.username.as_str()), NAME_CHARS),
        ("密码", Some(form.password.as_str()), PASSWORD_CHARS),
        ("角色", Some(form.role.as_str()), TEXT_CHARS),
        ("所属法院", form.court.as_deref(), NAME_CHARS),
        ("承办人姓名", form.judge.as_deref(), NAME_CHARS),
    ]) {
        return refused(&state, &admin, message).await;
    }
    let input = UserInput {
        username: form.username.clone(),
        role: form.role.clone(),
        court_code: form.court.clone(),
        judge_name: form.judge.clone(),
    };
    if state.store.user(form.username.trim()).await?.is_some() {
        return refused(
            &state,
            &admin,
            format!("用户名 {} 已存在", form.username.trim()),
        )
        .await;
    }
    let password = form.password.clone();
    let at = state.now_text();
    let created = tokio::task::spawn_blocking(move || new_user(&input, &password, at))
        .await
        .map_err(|e| WebError::Internal(format!("hashing: {e}")))?;
    let user = match created {
        Ok(user) => user,
        Err(message) => return refused(&state, &admin, message).await,
    };
    state.store.upsert_user(&user).await?;
    state
        .audit(
            admin.0.username(),
            "user_add",
            format!(
                "新增用户 {}：角色 {}，法院 {}，承办人 {}",
                user.username,
                user.role.id(),
                user.court_code.as_deref().unwrap_or("—"),
                user.judge_name.as_deref().unwrap_or("—")
            ),
        )
        .await?;
    Ok(see_other(&Done::Added.location()))
}

#[derive(Debug, Deserialize)]
pub struct ChangeUser {
    role: String,
    court: Option<String>,
    judge: Option<String>,
    /// A checkbox: present when ticked.
    disabled: Option<String>,
    /// A new password, when one is given.
    password: Option<String>,
    /// Duties (职责), comma-separated ids or Chinese names.
    duties: Option<String>,
    /// The mediator the account is (with the mediator duty).
    mediator: Option<String>,
}

pub async fn change_user(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(username): Path<String>,
    CsrfForm(form): CsrfForm<ChangeUser>,
) -> Result<Response, WebError> {
    if let Err(message) = check_fields(&[
        ("角色", Some(form.role.as_str()), TEXT_CHARS),
        ("所属法院", form.court.as_deref(), NAME_CHARS),
        ("承办人姓名", form.judge.as_deref(), NAME_CHARS),
        ("停用", form.disabled.as_deref(), TEXT_CHARS),
        ("密码", form.password.as_deref(), PASSWORD_CHARS),
        ("职责", form.duties.as_deref(), TEXT_CHARS),
        ("调解员编号", form.mediator.as_deref(), NAME_CHARS),
    ]) {
        return refused(&state, &admin, message).await;
    }
    let Some(mut user) = state.store.user(&username).await? else {
        return Err(WebError::NotFound(format!("没有用户 {username}")));
    };
    let input = UserInput {
        username: username.clone(),
        role: form.role.clone(),
        court_code: form.court.clone(),
        judge_name: form.judge.clone(),
    };
    let (role, court, judge) = match check_user(&input) {
        Ok(checked) => checked,
        Err(message) => return refused(&state, &admin, message).await,
    };
    let duties = match tianping_workflow::core::duties::Duty::parse_list(
        form.duties.as_deref().unwrap_or(""),
    ) {
        Ok(d) => d,
        Err(unknown) => {
            return refused(&state, &admin, format!("没有职责 {}", unknown.join("、"))).await;
        }
    };
    let mediator = form
        .mediator
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_owned);
    if mediator.is_some() && !duties.contains(&tianping_workflow::core::duties::Duty::Mediator) {
        return refused(
            &state,
            &admin,
            "关联调解员编号须同时授予“调解员”职责".into(),
        )
        .await;
    }
    let stored = state
        .store
        .duties()
        .await?
        .into_iter()
        .find(|d| d.username == username);
    let old_ids: Vec<String> = stored
        .as_ref()
        .map(|d| d.duties.clone())
        .unwrap_or_default();
    let new_ids: Vec<String> = duties.iter().map(|d| d.id().to_owned()).collect();
    let old_mediator = stored.and_then(|d| d.mediator_id);
    let duties_changed = old_ids != new_ids || old_mediator != mediator;
    let disabled = form.disabled.is_some();
    if username == admin.0.username() && (disabled || role != user.role) {
        return refused(&state, &admin, "不能停用自己的账号或更改自己的角色".into()).await;
    }
    let mut changes: Vec<String> = Vec::new();
    if role != user.role {
        changes.push(format!("角色 {} → {}", user.role.id(), role.id()));
    }
    if court != user.court_code {
        changes.push(format!(
            "法院 {} → {}",
            user.court_code.as_deref().unwrap_or("—"),
            court.as_deref().unwrap_or("—")
        ));
    }
    if judge != user.judge_name {
        changes.push(format!(
            "承办人 {} → {}",
            user.judge_name.as_deref().unwrap_or("—"),
            judge.as_deref().unwrap_or("—")
        ));
    }
    if disabled != user.disabled {
        changes.push(if disabled { "停用" } else { "启用" }.to_owned());
    }
    if let Some(password) = form.password.as_deref().filter(|p| !p.is_empty()) {
        if let Err(message) = check_password(password) {
            return refused(&state, &admin, message).await;
        }
        let password = password.to_owned();
        user.password_hash =
            tokio::task::spawn_blocking(move || crate::auth::hash_password(&password))
                .await
                .map_err(|e| WebError::Internal(format!("hashing: {e}")))?;
        changes.push("重设密码".to_owned());
    }
    if duties_changed {
        changes.push(format!(
            "职责 {} → {}{}",
            if old_ids.is_empty() {
                "—".to_owned()
            } else {
                old_ids.join(",")
            },
            if new_ids.is_empty() {
                "—".to_owned()
            } else {
                new_ids.join(",")
            },
            mediator
                .as_deref()
                .map(|m| format!("（调解员 {m}）"))
                .unwrap_or_default()
        ));
        state
            .store
            .set_duties(&tianping_store::DutyRecord {
                username: username.clone(),
                duties: new_ids,
                mediator_id: mediator,
            })
            .await?;
    }
    if changes.is_empty() {
        return Ok(see_other(&Done::Unchanged.location()));
    }
    user.role = role;
    user.court_code = court;
    user.judge_name = judge;
    user.disabled = disabled;
    state.store.upsert_user(&user).await?;
    // The account's other sessions end with the old password (their stamp no longer matches);
    // an administrator who reset their own keeps this one.
    crate::auth::password_changed(&admin.0, &user).await?;
    state
        .audit(
            admin.0.username(),
            "user_change",
            format!("修改用户 {username}：{}", changes.join("；")),
        )
        .await?;
    Ok(see_other(&Done::Changed.location()))
}

#[derive(Debug, Deserialize, Default)]
pub struct AuditParams {
    user: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<u32>,
}

/// Entries per page of the audit log.
const AUDIT_PAGE: u32 = 50;

/// The audit log's actions and their Chinese names, in the order the filter offers them.
pub const AUDIT_ACTIONS: [(&str, &str); 10] = [
    ("sign_in", "登录"),
    ("sign_in_failed", "登录失败"),
    ("sign_in_refused", "登录受限"),
    ("sign_out", "退出"),
    ("import", "导入"),
    ("import_rejected", "导入被拒"),
    ("export", "导出"),
    ("user_add", "新增用户"),
    ("user_change", "修改用户"),
    ("setting_change", "修改设置"),
];

/// The Chinese name of an action; an action of a later version is shown as written.
fn action_zh(action: &str) -> &str {
    AUDIT_ACTIONS
        .iter()
        .find(|(id, _)| *id == action)
        .map_or(action, |(_, zh)| zh)
}

/// `2026-12-07T09:04:35+08:00` as the office reads it: `2026-12-07 09:04:35`.
fn local_time(at: &str) -> String {
    match (at.get(..10), at.get(11..19)) {
        (Some(day), Some(time)) if at.as_bytes().get(10) == Some(&b'T') => format!("{day} {time}"),
        _ => at.to_owned(),
    }
}

#[derive(Debug, Serialize)]
struct AuditRow {
    at: String,
    username: String,
    action: String,
    action_zh: String,
    detail: String,
}

pub async fn audit(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(p): Query<AuditParams>,
) -> Result<Html<String>, WebError> {
    let data = state.data().await?;
    fn text(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }
    let day = |name: &str, v: &Option<String>| {
        text(v)
            .map(|t| {
                tianping_domain::dates::parse_date(t)
                    .map_err(|e| WebError::BadRequest(format!("{name}：{}", e.zh())))
            })
            .transpose()
    };
    let action = text(&p.action);
    if let Some(a) = action
        && !AUDIT_ACTIONS.iter().any(|(id, _)| *id == a)
    {
        return Err(WebError::BadRequest(format!("操作：没有“{a}”这一类操作")));
    }
    let query = tianping_store::AuditQuery {
        username: text(&p.user).map(str::to_owned),
        action: action.map(str::to_owned),
        from: day("起始日期", &p.from)?,
        to: day("截止日期", &p.to)?,
        offset: 0,
        limit: AUDIT_PAGE,
    };
    let total = state.store.audit_page(&query).await?.total;
    let pages = (total.div_ceil(u64::from(AUDIT_PAGE)).max(1)) as u32;
    let page = p.page.unwrap_or(1).clamp(1, pages);
    let shown = state
        .store
        .audit_page(&tianping_store::AuditQuery {
            offset: (page - 1) * AUDIT_PAGE,
            ..query.clone()
        })
        .await?;
    let rows: Vec<AuditRow> = shown
        .entries
        .into_iter()
        .map(|e| AuditRow {
            at: local_time(&e.at),
            action_zh: action_zh(&e.action).to_owned(),
            username: e.username,
            action: e.action,
            detail: e.detail,
        })
        .collect();
    let link = |page: u32| {
        format!(
            "/admin/audit?user={}&action={}&from={}&to={}&page={page}",
            super::courts::qv(query.username.as_deref().unwrap_or("")),
            super::courts::qv(query.action.as_deref().unwrap_or("")),
            query.from.map(|d| d.to_string()).unwrap_or_default(),
            query.to.map(|d| d.to_string()).unwrap_or_default(),
        )
    };
    state.templates.render(
        "audit.html",
        context! {
            title => "审计日志",
            entries => rows,
            total => total,
            page => page,
            pages => pages,
            prev => (page > 1).then(|| link(page - 1)),
            next => (page < pages).then(|| link(page + 1)),
            user => query.username,
            action => query.action,
            from => query.from.map(|d| d.to_string()),
            to => query.to.map(|d| d.to_string()),
            actions => AUDIT_ACTIONS.iter().map(|(id, zh)| context! { id => *id, zh => *zh }).collect::<Vec<_>>(),
            ..minijinja::Value::from_serialize(base(&admin.0, data.courts(), "audit"))
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct SetSetting {
    key: String,
    value: String,
}

/// `/admin/settings`: every setting (设置) with its value in force, default and basis, and the
/// per-court ones (the bulletin's 机关代字); a form sets one (checked, audited).
pub async fn settings(
    State(state): State<AppState>,
    admin: AdminUser,
) -> Result<Html<String>, WebError> {
    settings_page(&state, &admin, None).await
}

async fn settings_page(
    state: &AppState,
    admin: &AdminUser,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    use tianping_workflow::core::settings::{SETTINGS, Settings};
    let data = state.data().await?;
    let stored = state.store.settings().await?;
    let in_force = Settings::from_stored(stored.iter().map(|s| (s.key.clone(), s.value.clone())));
    let rows: Vec<minijinja::Value> = SETTINGS
        .iter()
        .map(|d| {
            let set = stored.iter().find(|s| s.key == d.key);
            context! {
                key => d.key, name => d.zh, value => in_force.value(d.key), default => d.default,
                basis => d.basis,
                changed => set.map(|s| format!("{} {}", s.changed_at, s.changed_by)),
            }
        })
        .collect();
    let per_court: Vec<minijinja::Value> = in_force
        .per_court()
        .map(|(k, v)| context! { key => k, value => v })
        .collect();
    state.templates.render(
        "settings.html",
        context! {
            title => "系统设置",
            settings => rows,
            per_court => per_court,
            error => error,
            ..minijinja::Value::from_serialize(base(&admin.0, data.courts(), "settings"))
        },
    )
}

pub async fn set_setting(
    State(state): State<AppState>,
    admin: AdminUser,
    CsrfForm(form): CsrfForm<SetSetting>,
) -> Result<Response, WebError> {
    use tianping_workflow::core::settings::{Settings, check_value};
    if let Err(message) = check_fields(&[
        ("设置", Some(form.key.as_str()), TEXT_CHARS),
        ("值", Some(form.value.as_str()), TEXT_CHARS),
    ]) {
        return Err(WebError::BadRequest(message));
    }
    let key = form.key.trim().to_owned();
    let value = match check_value(&key, &form.value) {
        Ok(v) => v,
        Err(message) => {
            let html = settings_page(&state, &admin, Some(format!("{key}：{message}"))).await?;
            return Ok((WebError::Unprocessable(String::new()).status(), html).into_response());
        }
    };
    let before = Settings::from_stored(
        state
            .store
            .settings()
            .await?
            .into_iter()
            .map(|s| (s.key, s.value)),
    )
    .value(&key)
    .to_owned();
    let at = state.now_text();
    state
        .store
        .set_setting(
            &tianping_store::SettingRecord {
                key: key.clone(),
                value: value.clone(),
                changed_at: at.clone(),
                changed_by: admin.0.username().to_owned(),
            },
            &tianping_store::WorkflowAuditEntry {
                at,
                actor: admin.0.username().to_owned(),
                kind: "workflow_update".into(),
                module: "settings".into(),
                entity: "setting".into(),
                entity_id: key.clone(),
                action: "update".into(),
                before: serde_json::json!({ "value": before }).to_string(),
                after: serde_json::json!({ "value": value }).to_string(),
            },
        )
        .await?;
    state.forget_workflow_books().await;
    state
        .audit(
            admin.0.username(),
            "setting_change",
            format!("修改设置 {key}：{before} → {value}"),
        )
        .await?;
    Ok(see_other("/admin/settings"))
}
