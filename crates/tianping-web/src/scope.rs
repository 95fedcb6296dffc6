//! The scope check, in one place. A [`CourtScope`] is what a request may see: every court, a
//! court and everything below it, or a judge's own cases in the judge's own court (the metrics
//! crate's [`CaseScope`]); the only way to get one is [`authorize`], which checks the user's
//! role and court. The cases are reached only through [`crate::data::Data::scoped`], which takes
//! a `&CourtScope`, so a handler cannot read data without passing the check.

use tianping_domain::access::Role;
use tianping_domain::{CourtCode, CourtTable};
use tianping_metrics::{CaseScope, JudgeFilter};
use tianping_store::UserRecord;

use crate::WebError;

/// What a request may see. Constructed only by [`authorize`] (and narrowed by
/// [`CourtScope::narrow`], which re-checks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourtScope {
    /// Every court (administrators only), a court and every court below it, or the cases of
    /// one court itself whose judge (承办人) is a name (never the courts below: a judge is a
    /// name within one court, and a court below may have a namesake).
    reach: CaseScope,
}

use CaseScope as Reach;

impl CourtScope {
    /// The cases the scope admits, as the case book filters them.
    pub(crate) fn case_scope(&self) -> &CaseScope {
        &self.reach
    }

    /// The court of the scope; `None`: every court.
    pub fn court(&self) -> Option<&str> {
        self.reach.court()
    }

    /// The judge whose own cases the scope holds, if it is a judge's.
    pub fn judge(&self) -> Option<&str> {
        match &self.reach {
            Reach::Judge { name, .. } => Some(name),
            _ => None,
        }
    }

    /// The judge as the indicator engine filters one: a name within exactly one court.
    pub fn judge_filter(&self) -> Option<JudgeFilter<'_>> {
        self.reach.judge()
    }

    /// The court code, or `all`: the key of the indicators' `--by none` row.
    pub fn key(&self) -> &str {
        self.court().unwrap_or("all")
    }

    /// Whether court `code` lies within the scope: for a judge, only the judge's own court.
    pub fn contains_court(&self, courts: &CourtTable, code: &str) -> bool {
        match &self.reach {
            Reach::All => true,
            Reach::Court(scope) => courts.is_within(code, scope),
            Reach::Judge { court, .. } => code == court,
        }
    }

    /// The scope of a court within this one (drill-down); 403 when it lies outside.
    pub fn narrow(&self, courts: &dyn Courts, code: &str) -> Result<CourtScope, WebError> {
        check_code(courts, code)?;
        if !self.contains_court(courts.table(), code) {
            return Err(WebError::forbidden_scope(code));
        }
        let reach = match &self.reach {
            Reach::All | Reach::Court(_) => Reach::Court(code.to_owned()),
            // `contains_court` let only the judge's own court through.
            Reach::Judge { .. } => self.reach.clone(),
        };
        Ok(CourtScope { reach })
    }
}

/// The courts a request may name.
pub trait Courts {
    /// Names and hierarchy.
    fn table(&self) -> &CourtTable;
    /// Whether `code` names a court the data knows.
    fn knows(&self, code: &str) -> bool;
}

/// The court table alone: the courts it lists.
impl Courts for CourtTable {
    fn table(&self) -> &CourtTable {
        self
    }
    fn knows(&self, code: &str) -> bool {
        self.get(code).is_some()
    }
}

/// A court the data knows (the court table's, or one a case names); else 400, as the CLI exits
/// with code 2: a well-formed code of no court (鲁9999) is a mistake, not an empty answer.
fn check_code(courts: &dyn Courts, code: &str) -> Result<(), WebError> {
    if courts.knows(code) {
        Ok(())
    } else if CourtCode::parse(code).is_ok() {
        Err(WebError::BadRequest(format!(
            "没有法院代码为 {code} 的法院（unknown court '{code}'）"
        )))
    } else {
        Err(WebError::BadRequest(format!(
            "法院代码 {code} 格式不正确（unknown court '{code}'）"
        )))
    }
}

/// Turn the court a request asks for into a scope, after the role check:
/// - administrators: any court, or every court when none is asked for;
/// - staff: their court and every court below it (by the court table, else by the code);
///   their own court when none is asked for;
/// - judges: their own court only (not the courts below), and only the cases whose judge is the
///   account's judge name.
pub fn authorize(
    user: &UserRecord,
    requested: Option<&str>,
    courts: &dyn Courts,
) -> Result<CourtScope, WebError> {
    let requested = requested.map(str::trim).filter(|c| !c.is_empty());
    if let Some(code) = requested {
        check_code(courts, code)?;
    }
    if user.role == Role::Admin {
        let reach = requested.map_or(Reach::All, |code| Reach::Court(code.to_owned()));
        return Ok(CourtScope { reach });
    }
    let Some(own) = user.court_code.as_deref().filter(|c| !c.is_empty()) else {
        return Err(WebError::Forbidden(
            "本账号未设置所属法院，请联系系统管理员".into(),
        ));
    };
    let reach = match user.role {
        Role::Judge => {
            let name = user
                .judge_name
                .clone()
                .filter(|n| !n.is_empty())
                .ok_or_else(|| {
                    WebError::Forbidden("本账号未设置承办人姓名，请联系系统管理员".into())
                })?;
            Reach::Judge {
                court: own.to_owned(),
                name,
            }
        }
        _ => Reach::Court(own.to_owned()),
    };
    let scope = CourtScope { reach };
    match requested {
        None => Ok(scope),
        Some(code) => scope.narrow(courts, code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tianping_domain::{CourtLevel, CourtRecord};

    fn courts() -> CourtTable {
        let court = |code: &str, level, parent: Option<&str>| CourtRecord {
            code: code.into(),
            name: format!("{code}法院"),
            level,
            parent_code: parent.map(Into::into),
        };
        CourtTable::from_records([
            court("皖", CourtLevel::High, None),
            court("皖01", CourtLevel::Intermediate, Some("皖")),
            court("皖02", CourtLevel::Intermediate, Some("皖")),
            court("皖0102", CourtLevel::Basic, Some("皖01")),
            court("皖0202", CourtLevel::Basic, Some("皖02")),
        ])
    }

    fn user(role: Role, court: Option<&str>, judge: Option<&str>) -> UserRecord {
        UserRecord {
            username: "u".into(),
            password_hash: String::new(),
            role,
            court_code: court.map(Into::into),
            judge_name: judge.map(Into::into),
            disabled: false,
            created_at: String::new(),
        }
    }

    #[test]
    fn a_basic_court_clerk_sees_their_court_and_nothing_beside_or_above_it() {
        let clerk = user(Role::Staff, Some("皖0202"), None);
        let courts = courts();
        assert_eq!(
            authorize(&clerk, None, &courts).unwrap().court(),
            Some("皖0202")
        );
        assert_eq!(
            authorize(&clerk, Some("皖0202"), &courts).unwrap().key(),
            "皖0202"
        );
        for outside in ["皖0102", "皖", "皖02"] {
            assert!(
                matches!(
                    authorize(&clerk, Some(outside), &courts),
                    Err(WebError::Forbidden(_))
                ),
                "{outside}"
            );
        }
        // A well-formed code of no court the data knows is a mistake (400), for anyone.
        assert!(matches!(
            authorize(&clerk, Some("鲁0102"), &courts),
            Err(WebError::BadRequest(_))
        ));
    }

    #[test]
    fn an_intermediate_court_clerk_sees_the_basic_courts_below() {
        let clerk = user(Role::Staff, Some("皖02"), None);
        let scope = authorize(&clerk, Some("皖0202"), &courts()).unwrap();
        assert_eq!(scope.court(), Some("皖0202"));
        assert!(authorize(&clerk, Some("皖0102"), &courts()).is_err());
    }

    #[test]
    fn an_administrator_sees_everything_and_no_scope_means_all() {
        let admin = user(Role::Admin, None, None);
        let all = authorize(&admin, None, &courts()).unwrap();
        assert_eq!((all.court(), all.key()), (None, "all"));
        assert!(
            matches!(
                authorize(&admin, Some("鲁0102"), &courts()),
                Err(WebError::BadRequest(e)) if e.contains("没有法院代码为 鲁0102 的法院")
            ),
            "a well-formed court the data does not know"
        );
        assert_eq!(
            authorize(&admin, Some("皖0202"), &courts())
                .unwrap()
                .court(),
            Some("皖0202")
        );
    }

    #[test]
    fn a_garbled_court_code_is_bad_input_not_a_permission_question() {
        let admin = user(Role::Admin, None, None);
        assert!(matches!(
            authorize(&admin, Some("no-such"), &courts()),
            Err(WebError::BadRequest(_))
        ));
    }

    #[test]
    fn a_judge_sees_only_their_own_cases() {
        let judge = user(Role::Judge, Some("皖0202"), Some("张明"));
        let scope = authorize(&judge, None, &courts()).unwrap();
        assert_eq!(scope.judge(), Some("张明"));
        let narrowed = scope.narrow(&courts(), "皖0202").unwrap();
        assert_eq!(narrowed.judge(), Some("张明"), "narrowing keeps the judge");
        let without_name = user(Role::Judge, Some("皖0202"), None);
        assert!(matches!(
            authorize(&without_name, None, &courts()),
            Err(WebError::Forbidden(_))
        ));
    }

    #[test]
    fn an_intermediate_court_judge_sees_their_own_court_and_no_court_below() {
        let judge = user(Role::Judge, Some("皖02"), Some("张明"));
        let courts = courts();
        let scope = authorize(&judge, None, &courts).unwrap();
        assert_eq!((scope.court(), scope.judge()), (Some("皖02"), Some("张明")));
        assert!(scope.contains_court(&courts, "皖02"));
        assert!(!scope.contains_court(&courts, "皖0202"));
        assert!(matches!(
            authorize(&judge, Some("皖0202"), &courts),
            Err(WebError::Forbidden(_))
        ));
        assert!(matches!(
            scope.narrow(&courts, "皖0202"),
            Err(WebError::Forbidden(_))
        ));
        // A namesake's case in the basic court below is not the 中院 judge's.
        let records: Vec<_> = ["皖0202", "皖02"]
            .iter()
            .map(|court| {
                tianping_test_utils::case_of(
                    &format!("（2023）{court}民初1号"),
                    "2023-03-01",
                    "张明",
                    None,
                )
            })
            .collect();
        let data = crate::data::Data::build(
            1,
            courts.iter().cloned().collect(),
            records,
            Vec::new(),
            std::sync::Arc::new(tianping_domain::calendar::HolidayCalendar::builtin()),
            tianping_domain::time_limit::LimitSettings::default(),
        );
        let own = tianping_metrics::CaseFilter::default();
        let seen: Vec<String> = data
            .scoped(&scope)
            .cases(&own)
            .into_iter()
            .map(|row| data.scoped(&scope).record(row).case_number)
            .collect();
        assert_eq!(seen, ["（2023）皖02民初1号"]);
        assert_eq!(
            scope.judge_filter(),
            Some(JudgeFilter {
                court: "皖02",
                name: "张明"
            })
        );
    }

    #[test]
    fn staff_without_a_court_see_nothing() {
        let staff = user(Role::Staff, None, None);
        assert!(matches!(
            authorize(&staff, None, &courts()),
            Err(WebError::Forbidden(_))
        ));
    }

    #[test]
    fn narrowing_outside_the_scope_is_forbidden() {
        let clerk = user(Role::Staff, Some("皖02"), None);
        let scope = authorize(&clerk, None, &courts()).unwrap();
        assert!(scope.narrow(&courts(), "皖0202").is_ok());
        assert!(matches!(
            scope.narrow(&courts(), "皖0102"),
            Err(WebError::Forbidden(_))
        ));
    }
}
