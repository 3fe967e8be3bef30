//! The `wish-station` command.

/// mimalloc instead of the system allocator: with glibc malloc, memory freed when idle
/// documents were unloaded stayed in the process, so the server's resident memory only
/// ever grew to its high-water mark (BENCHMARKS.md, "memory").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    wish_server::cli::main()
}
