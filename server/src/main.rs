//! The `wish-station` command.

fn main() -> std::process::ExitCode {
    wish_server::cli::main()
}
