//! The allocator's one setting made at run time.
//!
//! `aam` allocates through jemalloc with one arena (`src/main.rs`,
//! `.cargo/config.toml`). glibc's `malloc` needed the choice between an
//! arena per thread, whose memory one thread freed and another could not
//! reuse (118 MB peak on the 10 MB article, over its budget of 97.7 MB),
//! and one arena, whose lock the two rayon workers then took turns on at
//! every allocation: 8,000 futex calls and 0.43–0.55 s wall for that
//! check (0.36–0.38 s with eight arenas). jemalloc's per-thread caches are
//! refilled from its one arena in batches: 0.33–0.37 s, 83 MB.
//! See docs/performance.md.

/// For a check of one file: freed pages go back to the system at once
/// instead of after jemalloc's default ten seconds. A check is over in
/// less, and on a long article the pages freed by the parse and the model
/// (the syntax tree, the masked text, the pieces) were counted in the peak
/// resident memory of the rules that follow (95–96 MB on the 10 MB
/// article; 83 MB with this). The language server keeps the default: it
/// reuses the memory of one keystroke for the next.
pub(crate) fn return_freed_memory_at_once() {
    #[cfg(not(target_env = "msvc"))]
    for name in [
        &b"arenas.dirty_decay_ms\0"[..],
        b"arenas.muzzy_decay_ms\0",
        b"arena.0.dirty_decay_ms\0",
        b"arena.0.muzzy_decay_ms\0",
    ] {
        // SAFETY: the four settings are `ssize_t`s, `isize` here. A failure
        // (an allocator built without them) leaves the default, which
        // costs memory, not correctness.
        let _ = unsafe { tikv_jemalloc_ctl::raw::write::<isize>(name, 0) };
    }
}
