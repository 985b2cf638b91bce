//! The `aam` binary.

fn main() -> std::process::ExitCode {
    one_malloc_arena();
    aam::cli::main()
}

/// glibc's malloc gives each thread that allocates an arena of its own, and
/// memory freed in one arena is not reused by another thread's. With the
/// rayon workers modelling and checking a 10 MB article, that fragmentation
/// was a fifth of the peak resident memory (118 MB with the default, 96 MB
/// with one arena; CPU time unchanged: `docs/performance.md`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn one_malloc_arena() {
    // SAFETY: `mallopt` only sets a tuning parameter of the allocator; it is
    // called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn one_malloc_arena() {}
