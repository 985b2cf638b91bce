//! The `aam` binary.

/// jemalloc, with one arena (`.cargo/config.toml`): its per-thread caches
/// serve the rayon workers without taking the arena's lock at each
/// allocation, as glibc's one arena did (`cli::alloc`).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    aam::cli::main()
}
