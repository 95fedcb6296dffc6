//! `tianping demo`: a realistic synthetic province in the database, then what to try next.

use std::process::ExitCode;
use std::time::Instant;

use std::collections::HashMap;

use tianping_domain::access::Role;
use tianping_domain::{CourtLevel, HolidayCalendar};
use tianping_store::{ImportBatch, ImportLogEntry, Store, UserRecord};
use tianping_synth::{SynthConfig, generate, write_csv_files};
use tianping_web::users::random_password;

use super::{now_text, open_store};
use crate::cli::{DemoArgs, Scale, SynthArgs};

pub async fn run(args: DemoArgs, calendar: HolidayCalendar) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let config = config(args.scale, args.seed, None);
    eprintln!(
        "正在生成模拟数据（种子 {}，规模 {:?}）…",
        args.seed, args.scale
    );
    let data = tokio::task::spawn_blocking(move || generate(&config)).await?;
    if let Some(dir) = &args.export_csv {
        std::fs::create_dir_all(dir)?;
        write_csv_files(&data, dir)?;
    }
    let store = open_store(&args.db.db).await?;
    let at = now_text();
    let log = |kind: &str, rows: usize| ImportLogEntry {
        at: at.clone(),
        user: "demo".to_owned(),
        file: format!("demo:seed={}", args.seed),
        kind: kind.to_owned(),
        rows: rows as u64,
        imported: rows as u64,
        rejected: 0,
    };
    let batch = ImportBatch {
        log: vec![
            log("courts", data.courts.len()),
            log("cases", data.cases.len()),
            log("events", data.events.len()),
        ],
        courts: data.courts,
        cases: data.cases,
        events: data.events,
    };
    let outcome = store.apply_import(&batch).await?;
    // Mediation (诉前调解 / 委托调解) for every basic court.
    let mediation = {
        let config = self::config(args.scale, args.seed, None);
        let (courts, cases) = (batch.courts.clone(), batch.cases.clone());
        tokio::task::spawn_blocking(move || {
            tianping_synth::generate_mediations(&config, &courts, &cases)
        })
        .await?
    };
    store
        .apply_mediation_batch(
            &tianping_store::MediationBatch {
                orgs: mediation.orgs,
                mediators: mediation.mediators,
                mediations: mediation.mediations,
                events: mediation.events,
            },
            &[],
        )
        .await?;
    // Petitions (信访) for every court.
    let petitions = {
        let config = self::config(args.scale, args.seed, None);
        let (courts, cases) = (batch.courts.clone(), batch.cases.clone());
        tokio::task::spawn_blocking(move || {
            tianping_synth::generate_petitions(&config, &courts, &cases)
        })
        .await?
    };
    store
        .apply_petition_batch(
            &tianping_store::PetitionBatch {
                matters: petitions.matters,
                petitions: petitions.petitions,
            },
            &[],
        )
        .await?;
    // Judicial suggestions for every court.
    let suggestions = {
        let config = self::config(args.scale, args.seed, None);
        tianping_synth::generate_suggestions(&config, &batch.courts)
    };
    store.apply_suggestion_batch(&suggestions, &[]).await?;
    // Court-fee refunds on the closed cases.
    let refunds = {
        let config = self::config(args.scale, args.seed, None);
        let cases = batch.cases.clone();
        tokio::task::spawn_blocking(move || tianping_synth::generate_refunds(&config, &cases, 0.6))
            .await?
    };
    store.apply_refund_batch(&refunds, &[]).await?;
    let (courts, cases, events) = store.counts().await?;
    println!(
        "演示数据已写入 {}：法院 {courts} 个，案件 {cases} 件，事件 {events} 条（本次新增案件 {}），用时 {:.1} 秒。",
        args.db.db,
        outcome.cases.inserted,
        started.elapsed().as_secs_f64()
    );
    let db = &args.db.db;
    let high = batch
        .courts
        .iter()
        .find(|c| c.parent_code.is_none())
        .map_or("", |c| c.code.as_str());
    if args.no_serve {
        store.close().await;
        println!("接下来可以试试：");
        println!("  tianping deadlines --db {db} --as-of 2024-03-31 --status overdue");
        println!("  tianping deadlines --db {db} --as-of 2024-03-31 --scope {high} --format json");
        println!("  tianping case-number parse '（2021）最高法知民终892号'");
        println!("  tianping serve --db {db}");
        return Ok(ExitCode::SUCCESS);
    }

    let accounts = demo_accounts(store.as_ref(), &batch, args.password.as_deref()).await?;
    let settings = tianping_web::Settings::default();
    super::serve::serve_store(store, db, calendar, &args.bind, settings, |addr| {
        println!();
        println!("天平已启动，请用浏览器打开：http://{addr}/");
        println!("演示账号（用户名 / 密码）：");
        for (who, username, password) in &accounts {
            println!("  {who}：{username} / {password}");
        }
        println!("（按 Ctrl+C 停止）");
    })
    .await?;
    Ok(ExitCode::SUCCESS)
}

/// The demo's accounts: an administrator, the trial-management office of the high court and of
/// one basic court, and a judge of that court. Returns (who, username, password) for printing.
async fn demo_accounts(
    store: &dyn Store,
    batch: &ImportBatch,
    password: Option<&str>,
) -> anyhow::Result<Vec<(String, String, String)>> {
    let basic = batch
        .courts
        .iter()
        .filter(|c| c.level == CourtLevel::Basic)
        .min_by(|a, b| a.code.cmp(&b.code));
    let mut judges: HashMap<&str, usize> = HashMap::new();
    if let Some(court) = basic {
        for case in batch.cases.iter().filter(|c| c.court_code == court.code) {
            if let Some(judge) = &case.judge {
                *judges.entry(judge.as_str()).or_default() += 1;
            }
        }
    }
    let judge = judges
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(name, _)| name.to_owned());
    // (who, username, role, court, judge name)
    type Account<'a> = (String, &'a str, Role, Option<String>, Option<String>);
    let mut wanted: Vec<Account> = vec![("系统管理员".into(), "admin", Role::Admin, None, None)];
    // The high court's trial-management office: the province's figures, rankings, bulletins.
    if let Some(high) = batch
        .courts
        .iter()
        .filter(|c| c.level == CourtLevel::High)
        .min_by(|a, b| a.code.cmp(&b.code))
    {
        wanted.push((
            format!("{}审管办", high.name),
            "office",
            Role::Staff,
            Some(high.code.clone()),
            None,
        ));
    }
    if let Some(court) = basic {
        wanted.push((
            format!("{}审管办", court.name),
            "clerk",
            Role::Staff,
            Some(court.code.clone()),
            None,
        ));
        if let Some(name) = &judge {
            wanted.push((
                format!("{} 法官{name}", court.name),
                "judge",
                Role::Judge,
                Some(court.code.clone()),
                Some(name.clone()),
            ));
        }
    }
    // The mediation desk (立案庭 诉调对接) of the basic court and one of its mediators.
    let mut duties: Vec<(&str, Vec<&str>, Option<String>)> = Vec::new();
    if let Some(court) = basic {
        wanted.push((
            format!("{}立案庭（诉调对接）", court.name),
            "lian",
            Role::Staff,
            Some(court.code.clone()),
            None,
        ));
        wanted.push((
            format!("{} 特邀调解员", court.name),
            "mediator",
            Role::Staff,
            Some(court.code.clone()),
            None,
        ));
        duties.push(("lian", vec!["mediation_clerk"], None));
        // The reception desk (信访接待) of the same court.
        wanted.push((
            format!("{}信访接待", court.name),
            "xinfang",
            Role::Staff,
            Some(court.code.clone()),
            None,
        ));
        duties.push(("xinfang", vec!["petition_officer"], None));
        // Its research office (研究室) drafts judicial suggestions; its president signs them.
        wanted.push((
            format!("{}研究室", court.name),
            "yanjiushi",
            Role::Staff,
            Some(court.code.clone()),
            None,
        ));
        duties.push(("yanjiushi", vec!["suggestion_officer"], None));
        wanted.push((
            format!("{}院领导", court.name),
            "yuanzhang",
            Role::Staff,
            Some(court.code.clone()),
            None,
        ));
        duties.push(("yuanzhang", vec!["leader"], None));
        // Its finance office records and pays court-fee refunds.
        wanted.push((
            format!("{}诉讼费管理", court.name),
            "caiwu",
            Role::Staff,
            Some(court.code.clone()),
            None,
        ));
        duties.push(("caiwu", vec!["finance"], None));
        duties.push((
            "mediator",
            vec!["mediator"],
            Some(format!("{}-M11", court.code)),
        ));
    }
    let mut printed = Vec::new();
    for (who, username, role, court_code, judge_name) in wanted {
        let password = password.map_or_else(random_password, str::to_owned);
        let hash = {
            let password = password.clone();
            tokio::task::spawn_blocking(move || tianping_web::hash_password(&password)).await?
        };
        store
            .upsert_user(&UserRecord {
                username: username.to_owned(),
                password_hash: hash,
                role,
                court_code,
                judge_name,
                disabled: false,
                created_at: now_text(),
            })
            .await?;
        printed.push((who, username.to_owned(), password));
    }
    for (username, list, mediator_id) in duties {
        store
            .set_duties(&tianping_store::DutyRecord {
                username: username.to_owned(),
                duties: list.into_iter().map(str::to_owned).collect(),
                mediator_id,
            })
            .await?;
    }
    Ok(printed)
}

fn config(scale: Scale, seed: u64, cases: Option<usize>) -> SynthConfig {
    let mut config = match scale {
        Scale::Small => SynthConfig::small(seed),
        Scale::Province => SynthConfig::province(seed),
    };
    if cases.is_some() {
        config.target_cases = cases;
    }
    config
}

/// `tianping synth`: the same data as exchange CSV files.
pub fn synth(args: SynthArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let data = generate(&config(args.scale, args.seed, args.cases));
    std::fs::create_dir_all(&args.out)?;
    let paths = write_csv_files(&data, &args.out)?;
    println!(
        "法院 {} 个，案件 {} 件，事件 {} 条，用时 {:.1} 秒：",
        data.courts.len(),
        data.cases.len(),
        data.events.len(),
        started.elapsed().as_secs_f64()
    );
    for path in paths {
        println!("  {}", path.display());
    }
    if let Some(mediations) = args.mediations {
        let started = Instant::now();
        let volume = tianping_synth::MediationVolume {
            mediations,
            mediators: args.mediators.unwrap_or(mediations / 15).max(1),
        };
        let config = config(args.scale, args.seed, args.cases);
        let mediation = tianping_synth::generate_mediations_sized(
            &config,
            &data.courts,
            &data.cases,
            Some(volume),
        );
        let paths = tianping_synth::write_mediation_csv_files(&mediation, &args.out)?;
        println!(
            "调解组织 {} 个，调解员 {} 名，调解 {} 件，调解事件 {} 条，用时 {:.1} 秒：",
            mediation.orgs.len(),
            mediation.mediators.len(),
            mediation.mediations.len(),
            mediation.events.len(),
            started.elapsed().as_secs_f64()
        );
        for path in paths {
            println!("  {}", path.display());
        }
    }
    if let Some(petitions) = args.petitions {
        let config = config(args.scale, args.seed, args.cases);
        let data = tianping_synth::generate_petitions_sized(
            &config,
            &data.courts,
            &data.cases,
            Some(petitions),
        );
        let paths = tianping_synth::write_petition_csv_files(&data, &args.out)?;
        println!(
            "信访事项 {} 件，信访件 {} 件：",
            data.matters.len(),
            data.petitions.len()
        );
        for path in paths {
            println!("  {}", path.display());
        }
    }
    if let Some(share) = args.refunds {
        let config = config(args.scale, args.seed, args.cases);
        let list = tianping_synth::generate_refunds(&config, &data.cases, share);
        let path = tianping_synth::write_refund_csv_file(&list, &args.out)?;
        println!("诉讼费退费 {} 件：\n  {}", list.len(), path.display());
    }
    if let Some(suggestions) = args.suggestions {
        let config = config(args.scale, args.seed, args.cases);
        let list =
            tianping_synth::generate_suggestions_sized(&config, &data.courts, Some(suggestions));
        let path = tianping_synth::write_suggestion_csv_file(&list, &args.out)?;
        println!("司法建议 {} 份：\n  {}", list.len(), path.display());
    }
    Ok(ExitCode::SUCCESS)
}
