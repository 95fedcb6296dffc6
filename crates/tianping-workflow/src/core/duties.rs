//! Duties (职责, `workflows.md` §0.6): what a user may do in the workflow modules beside their
//! role, granted by an administrator. An administrator holds every duty; a duty acts only within
//! the user's court scope.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    /// 诉调对接/立案: register, assign, return mediations; keep the roster.
    MediationClerk,
    /// 调解员: accept, decline, extend, conclude own mediations; sees only them.
    Mediator,
    /// 信访接待.
    PetitionOfficer,
    /// 司法建议管理 (研究室).
    SuggestionOfficer,
    /// 诉讼费管理.
    Finance,
    /// 执行.
    Enforcement,
    /// 督查/审管办.
    Supervisor,
    /// 评查员.
    Reviewer,
    /// 案例编辑.
    Editor,
    /// 院领导/庭长.
    Leader,
}

impl Duty {
    pub const ALL: [Duty; 10] = [
        Duty::MediationClerk,
        Duty::Mediator,
        Duty::PetitionOfficer,
        Duty::SuggestionOfficer,
        Duty::Finance,
        Duty::Enforcement,
        Duty::Supervisor,
        Duty::Reviewer,
        Duty::Editor,
        Duty::Leader,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Duty::MediationClerk => "mediation_clerk",
            Duty::Mediator => "mediator",
            Duty::PetitionOfficer => "petition_officer",
            Duty::SuggestionOfficer => "suggestion_officer",
            Duty::Finance => "finance",
            Duty::Enforcement => "enforcement",
            Duty::Supervisor => "supervisor",
            Duty::Reviewer => "reviewer",
            Duty::Editor => "editor",
            Duty::Leader => "leader",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Duty::MediationClerk => "诉调对接",
            Duty::Mediator => "调解员",
            Duty::PetitionOfficer => "信访接待",
            Duty::SuggestionOfficer => "司法建议管理",
            Duty::Finance => "诉讼费管理",
            Duty::Enforcement => "执行",
            Duty::Supervisor => "督查",
            Duty::Reviewer => "评查员",
            Duty::Editor => "案例编辑",
            Duty::Leader => "院领导",
        }
    }

    pub fn parse(text: &str) -> Option<Duty> {
        Duty::ALL
            .into_iter()
            .find(|d| d.id() == text.trim() || d.name_zh() == text.trim())
    }

    /// `mediation_clerk,mediator` (commas of either width, blanks ignored); the unknown names.
    pub fn parse_list(text: &str) -> Result<Vec<Duty>, Vec<String>> {
        let mut duties = Vec::new();
        let mut unknown = Vec::new();
        for part in text.split([',', '，', ';', '；']).map(str::trim) {
            if part.is_empty() {
                continue;
            }
            match Duty::parse(part) {
                Some(d) if !duties.contains(&d) => duties.push(d),
                Some(_) => {}
                None => unknown.push(part.to_owned()),
            }
        }
        if unknown.is_empty() {
            duties.sort();
            Ok(duties)
        } else {
            Err(unknown)
        }
    }
}

/// Who acts on a workflow record: the duties held (an administrator holds all), the mediator
/// record an account is linked to, and the judge a judge's account is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub admin: bool,
    pub duties: Vec<Duty>,
    /// `--mediator ID`: the mediator this account is.
    pub mediator_id: Option<String>,
    /// A judge's account: (court, name).
    pub judge: Option<(String, String)>,
}

impl Actor {
    pub fn has(&self, duty: Duty) -> bool {
        self.admin || self.duties.contains(&duty)
    }

    /// The command line is trusted (like `import`): every duty, recorded as `cli:$USER`.
    pub fn cli(user: &str) -> Actor {
        Actor {
            name: format!("cli:{user}"),
            admin: true,
            ..Actor::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duty_lists_parse_in_either_language_and_name_the_unknown() {
        assert_eq!(
            Duty::parse_list("mediator, 诉调对接，mediator"),
            Ok(vec![Duty::MediationClerk, Duty::Mediator])
        );
        assert_eq!(
            Duty::parse_list("mediator,judge,x"),
            Err(vec!["judge".to_owned(), "x".to_owned()])
        );
        assert_eq!(Duty::parse_list(""), Ok(vec![]));
        for d in Duty::ALL {
            assert_eq!(Duty::parse(d.id()), Some(d));
        }
    }

    #[test]
    fn an_administrator_holds_every_duty() {
        let admin = Actor::cli("root");
        assert!(Duty::ALL.iter().all(|d| admin.has(*d)));
        assert_eq!(admin.name, "cli:root");
        let clerk = Actor {
            duties: vec![Duty::MediationClerk],
            ..Actor::default()
        };
        assert!(clerk.has(Duty::MediationClerk) && !clerk.has(Duty::Mediator));
    }
}
