//! `tianping user add`: an account of the web UI; the password is read from standard input.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use tianping_store::AuditEntry;
use tianping_web::users::{UserInput, new_user};

use super::{BadInput, now_text, open_store};
use crate::cli::UserAddArgs;

pub async fn add(args: UserAddArgs) -> anyhow::Result<ExitCode> {
    let input = UserInput {
        username: args.username.clone(),
        role: args.role.clone(),
        court_code: args.court.clone(),
        judge_name: args.judge.clone(),
    };
    // Check everything that needs no password before asking for one.
    tianping_web::users::check_user(&input).map_err(BadInput)?;
    let duties = match &args.duty {
        None => None,
        Some(text) => Some(
            tianping_workflow::core::duties::Duty::parse_list(text).map_err(|unknown| {
                BadInput(format!(
                    "--duty: unknown duty {} (mediation_clerk, mediator, petition_officer, \
                     suggestion_officer, finance, enforcement, supervisor, reviewer, editor, \
                     leader)",
                    unknown.join(", ")
                ))
            })?,
        ),
    };
    if args.mediator.is_some()
        && !duties
            .as_ref()
            .is_some_and(|d| d.contains(&tianping_workflow::core::duties::Duty::Mediator))
    {
        return Err(BadInput("--mediator needs --duty mediator".into()).into());
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("{} 的密码：", args.username);
    }
    let mut password = String::new();
    stdin.lock().read_line(&mut password)?;
    let password = password.trim_end_matches(['\r', '\n']);
    let user = tokio::task::spawn_blocking({
        let password = password.to_owned();
        move || new_user(&input, &password, now_text())
    })
    .await?
    .map_err(BadInput)?;

    let store = open_store(&args.db.db).await?;
    if let Some(court) = &user.court_code
        && !store.courts().await?.iter().any(|c| &c.code == court)
    {
        eprintln!("注意：法院表中没有 {court}；该账号按法院代字的层级判断范围。");
    }
    let created = store.upsert_user(&user).await?;
    if duties.is_some() || args.mediator.is_some() {
        store
            .set_duties(&tianping_store::DutyRecord {
                username: user.username.clone(),
                duties: duties.iter().flatten().map(|d| d.id().to_owned()).collect(),
                mediator_id: args.mediator.clone(),
            })
            .await?;
    }
    let cli_user = format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "?".into())
    );
    store
        .append_audit(&AuditEntry {
            at: now_text(),
            username: cli_user,
            action: if created { "user_add" } else { "user_change" }.to_owned(),
            detail: format!(
                "{}用户 {}：角色 {}，法院 {}，承办人 {}{}",
                if created { "新增" } else { "更新" },
                user.username,
                user.role.id(),
                user.court_code.as_deref().unwrap_or("—"),
                user.judge_name.as_deref().unwrap_or("—"),
                match &duties {
                    Some(d) => format!(
                        "，职责 {}",
                        d.iter().map(|d| d.name_zh()).collect::<Vec<_>>().join("、")
                    ),
                    None => String::new(),
                }
            ),
        })
        .await?;
    store.close().await;
    println!(
        "{}用户 {}（{}）",
        if created { "已添加" } else { "已更新" },
        user.username,
        user.role.name_zh()
    );
    Ok(ExitCode::SUCCESS)
}
