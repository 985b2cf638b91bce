//! AAM901 `unknown-suppression`: a suppression comment that names no rule.

use crate::checks::suppression::{self, DirectiveKind};
use crate::checks::{Context, Diagnostic, Rule, Severity};

/// ## What it does
/// Flags a code or name in an `aam-disable`, `aam-enable`,
/// `aam-disable-next-line` or `aam-disable-file` comment that names no rule
/// (`AAM999`, `repeated-sentense`), and a comment that starts with `aam-` but
/// is none of those four forms (`aam-disabel`, `aam-ignore`).
///
/// ## Why is this bad?
/// The comment suppresses nothing, so the finding it was written for is
/// still reported — or, after a typo, a rule the writer thought was off is
/// on. A suppression that names only unknown codes suppresses nothing
/// (rather than every rule).
///
/// ## Example
/// ```text
/// <!-- aam-disable-next-line AAM022 -->
/// The ministry said so.[7]
/// ```
///
/// ## Fix
/// Use a code or name from `aam rules`, or one of the four comment forms.
/// Codes are matched without regard to case (`aam101`), names exactly.
pub(crate) const RULE: Rule = Rule {
    code: "AAM901",
    name: "unknown-suppression",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    summary: "a suppression comment with an unknown form or a code that names no rule",
    check,
    source: include_str!("unknown_suppression.rs"),
};

fn check(ctx: &Context<'_>, acc: &mut Vec<Diagnostic>) {
    for directive in suppression::directives(ctx.doc) {
        if directive.kind == DirectiveKind::Unknown {
            let keyword = ctx.doc.slice(directive.keyword);
            acc.push(Diagnostic::new(
                &RULE,
                directive.keyword,
                format!(
                    "unknown suppression `{keyword}`: expected aam-disable, aam-enable, aam-disable-next-line or aam-disable-file"
                ),
            ));
            continue;
        }
        for code in directive.codes.iter().filter(|code| code.rule.is_none()) {
            acc.push(Diagnostic::new(
                &RULE,
                code.range,
                format!("`{}` is not a rule code or name (see `aam rules`)", code.text),
            ));
        }
    }
}
