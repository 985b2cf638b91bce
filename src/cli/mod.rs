//! The command line: the only place that prints.

mod check;
mod dump;
mod position;
mod render;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

pub use position::{OneIndexed, SourcePosition};

/// Exit code: nothing at error level.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at error level (or warnings with `--deny warnings`).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: a usage or I/O error.
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(name = "aam", version, about = "Language server and linter for Annotated Article Markup")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check articles and report findings (the CI linter).
    Check(check::CheckArgs),
    /// Print the document model as the rules see it.
    Dump(dump::DumpArgs),
    /// List every rule with its code, name and default severity.
    Rules {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the documentation of a rule.
    Explain {
        /// A rule code (`AAM001`) or name (`unresolved-reference`).
        rule: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// Source lines with the range underlined (default on a terminal).
    Full,
    /// `path:line:col: severity[CODE] message` (default otherwise).
    Concise,
    /// A JSON array, one object per diagnostic.
    Json,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Dump(args) => dump::run(args),
        Command::Rules { json } => rules(json),
        Command::Explain { rule } => explain(&rule),
    };
    ExitCode::from(code)
}

fn rules(json: bool) -> u8 {
    let rules = crate::checks::all_rules();
    let mut out = std::io::stdout().lock();
    let result = if json {
        let list: Vec<serde_json::Value> = rules
            .iter()
            .map(|rule| {
                serde_json::json!({
                    "code": rule.code,
                    "name": rule.name,
                    "default_severity": rule.default_severity.as_str(),
                    "summary": rule.summary,
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&list).unwrap_or_default())
    } else {
        rules.iter().try_for_each(|rule| {
            writeln!(out, "{:<8}{:<28}{:<9}{}", rule.code, rule.name, rule.default_severity.as_str(), rule.summary)
        })
    };
    if result.is_err() { EXIT_ERROR } else { EXIT_OK }
}

fn explain(code: &str) -> u8 {
    let Some(rule) = crate::checks::rule(code) else {
        eprintln!("aam: error: no rule `{code}` (see `aam rules`)");
        return EXIT_ERROR;
    };
    let text = format!(
        "# {} {}\n\nDefault severity: {}. Fires on {}.\n\n{}\n",
        rule.code,
        rule.name,
        rule.default_severity.as_str(),
        rule.summary,
        rule.documentation()
    );
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() { EXIT_ERROR } else { EXIT_OK }
}

/// Reads a file as UTF-8, naming the problem when it is not.
pub(crate) fn read_text(path: &std::path::Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|err| io_message(&err))?;
    decode(bytes)
}

pub(crate) fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if u32::try_from(bytes.len()).is_err() {
        return Err("file is larger than 4 GiB".to_owned());
    }
    String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        format!("not valid UTF-8 (invalid byte at offset {offset})")
    })
}

pub(crate) fn io_message(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_owned(),
        _ => {
            let text = err.to_string();
            match text.find(" (os error") {
                Some(idx) => text[..idx].to_lowercase(),
                None => text.to_lowercase(),
            }
        }
    }
}

pub(crate) fn display_path(path: &std::path::Path) -> String {
    let text = path.to_string_lossy();
    text.strip_prefix("./").unwrap_or(&text).to_owned()
}
