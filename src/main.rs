//! The `aam` binary.

fn main() -> std::process::ExitCode {
    aam::cli::main()
}
