//! The scope check, in one place. A [`CourtScope`] is the court (and everything below it) a
//! request may see, and for a judge the judge's own cases; the only way to get one is
//! [`authorize`], which checks the user's role and court. Everything in [`crate::data`] that
//! reads cases takes a `&CourtScope`, so a handler cannot read data without passing the check.

use tianping_domain::access::Role;
use tianping_domain::{CaseRecord, CourtCode, CourtTable};
use tianping_store::UserRecord;

use crate::WebError;

/// What a request may see. Constructed only by [`authorize`] (and narrowed by
/// [`CourtScope::narrow`], which re-checks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourtScope {
    /// `None`: every court (administrators only).
    court: Option<String>,
    /// `Some(name)`: only the cases whose judge (承办人) is `name`.
    judge: Option<String>,
}

impl CourtScope {
    pub fn court(&self) -> Option<&str> {
        self.court.as_deref()
    }

    pub fn judge(&self) -> Option<&str> {
        self.judge.as_deref()
    }

    /// The court code, or `all`: the key of the indicators' `--by none` row.
    pub fn key(&self) -> &str {
        self.court.as_deref().unwrap_or("all")
    }

    /// Whether court `code` lies within the scope.
    pub fn contains_court(&self, courts: &CourtTable, code: &str) -> bool {
        self.court
            .as_deref()
            .is_none_or(|scope| courts.is_within(code, scope))
    }

    /// Whether the scope may see `case`.
    pub fn admits(&self, courts: &CourtTable, case: &CaseRecord) -> bool {
        self.contains_court(courts, &case.court_code)
            && self
                .judge
                .as_deref()
                .is_none_or(|judge| case.judge.as_deref() == Some(judge))
    }

    /// The scope of a court within this one (drill-down); 403 when it lies outside.
    pub fn narrow(&self, courts: &CourtTable, code: &str) -> Result<CourtScope, WebError> {
        check_code(courts, code)?;
        if !self.contains_court(courts, code) {
            return Err(WebError::forbidden_scope(code));
        }
        Ok(CourtScope {
            court: Some(code.to_owned()),
            judge: self.judge.clone(),
        })
    }
}

/// A court code the table knows or that is well-formed; else 400 (the CLI's exit code 2).
fn check_code(courts: &CourtTable, code: &str) -> Result<(), WebError> {
    if courts.get(code).is_some() || CourtCode::parse(code).is_ok() {
        Ok(())
    } else {
        Err(WebError::BadRequest(format!("unknown court '{code}'")))
    }
}

/// Turn the court a request asks for into a scope, after the role check:
/// - administrators: any court, or every court when none is asked for;
/// - staff: their court and every court below it (by the court table, else by the code);
///   their own court when none is asked for;
/// - judges: the same courts, and only the cases whose judge is the account's judge name.
pub fn authorize(
    user: &UserRecord,
    requested: Option<&str>,
    courts: &CourtTable,
) -> Result<CourtScope, WebError> {
    let requested = requested.map(str::trim).filter(|c| !c.is_empty());
    if let Some(code) = requested {
        check_code(courts, code)?;
    }
    if user.role == Role::Admin {
        return Ok(CourtScope {
            court: requested.map(str::to_owned),
            judge: None,
        });
    }
    let Some(own) = user.court_code.as_deref().filter(|c| !c.is_empty()) else {
        return Err(WebError::Forbidden(
            "本账号未设置所属法院，请联系系统管理员".into(),
        ));
    };
    let court = match requested {
        None => own.to_owned(),
        Some(code) if courts.is_within(code, own) => code.to_owned(),
        Some(code) => return Err(WebError::forbidden_scope(code)),
    };
    let judge = match user.role {
        Role::Judge => Some(
            user.judge_name
                .clone()
                .filter(|n| !n.is_empty())
                .ok_or_else(|| {
                    WebError::Forbidden("本账号未设置承办人姓名，请联系系统管理员".into())
                })?,
        ),
        _ => None,
    };
    Ok(CourtScope {
        court: Some(court),
        judge,
    })
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
        for outside in ["皖0102", "皖", "皖02", "鲁0102"] {
            assert!(
                matches!(
                    authorize(&clerk, Some(outside), &courts),
                    Err(WebError::Forbidden(_))
                ),
                "{outside}"
            );
        }
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
        assert_eq!(
            authorize(&admin, Some("鲁0102"), &courts())
                .unwrap()
                .court(),
            Some("鲁0102"),
            "a well-formed court nothing is recorded for"
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
