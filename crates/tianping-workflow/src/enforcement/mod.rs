//! Enforcement records beside the case data (`workflows.md` §5): the 终本 checklist of each case
//! closed by 终结本次执行程序 (最高人民法院《关于严格规范终结本次执行程序的规定（试行）》, 2016,
//! "终本规定"), the searches every six months for five years after it (art. 9 ¶2), the list of
//! dishonest judgment debtors with its terms, removals and corrections (最高人民法院《关于公布失信
//! 被执行人名单信息的若干规定》, 2017 revision, "失信规定") and credit repair, and the courts'
//! concentrated enforcement actions (集中执行). Neither statute's text is in the shared
//! `laws/` folder: the articles are cited as the specification cites them, from public copies.

pub mod import;
pub mod indicators;
pub mod limits;
pub mod model;

pub use limits::{
    EnforcementSettings, listing_due_rows, next_search, removal_deadline, search_due_rows,
};
pub use model::{
    Condition, DishonestListing, EnforcementAction, PostTerminationSearch, TerminatedCase,
    TerminationCheck, conditions,
};
