//! `json-lines`: the `json` objects, one per line (no enclosing array), for
//! streaming and `jq -c`.

use crate::cli::render::{Run, all_diagnostics, json};

pub(super) fn render(run: &Run<'_>) -> String {
    let mut out = String::new();
    for (report, diagnostic) in all_diagnostics(run) {
        if let Ok(line) = serde_json::to_string(&json::object(report, diagnostic)) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}
