//! The `wish-station` command, built inside the tests package so tests can spawn it.

fn main() -> std::process::ExitCode {
    wish_server::cli::main()
}
