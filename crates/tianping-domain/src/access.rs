//! Who may see what: roles (角色) and the court scope a user works in.

use serde::{Deserialize, Serialize};

/// A user's role. Staff see their court and every court below it; judges only their own cases;
/// administrators everything, and they manage users.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员
    Admin,
    /// 审管办等工作人员
    Staff,
    /// 法官
    Judge,
}

impl Role {
    pub fn id(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Judge => "judge",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Staff => "工作人员",
            Role::Judge => "法官",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text.trim() {
            "admin" | "管理员" => Some(Role::Admin),
            "staff" | "工作人员" => Some(Role::Staff),
            "judge" | "法官" => Some(Role::Judge),
            _ => None,
        }
    }
}
