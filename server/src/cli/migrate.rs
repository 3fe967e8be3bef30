//! `wish-station migrate --from DIR|URL --to DIR|URL`: copies a whole store from a data
//! directory's redb file to a PostgreSQL database or back, with every server stopped.

use clap::Args;

use crate::server::{database_path, StoreLocation};
use crate::storage::copy::copy_all;
use crate::storage::DEFAULT_CACHE_BYTES;

#[derive(Args)]
pub struct MigrateArgs {
    /// The store to copy: a data directory (its redb file) or postgres://… URL.
    #[arg(long)]
    from: String,
    /// The new, empty store: a data directory or postgres://… URL.
    #[arg(long)]
    to: String,
    /// MiB of values per commit into the target.
    #[arg(long, default_value_t = 4)]
    batch_mib: usize,
}

pub fn run(args: MigrateArgs) -> anyhow::Result<()> {
    let (from, to) = (
        StoreLocation::parse(&args.from),
        StoreLocation::parse(&args.to),
    );
    anyhow::ensure!(from != to, "--from and --to name the same store");
    if let StoreLocation::DataDir(dir) = &from {
        // Opening would create an empty store: a mistyped directory is an error instead.
        let file = database_path(dir);
        anyhow::ensure!(file.exists(), "{} does not exist", file.display());
    }
    let source = from.open(DEFAULT_CACHE_BYTES)?;
    let target = to.open(DEFAULT_CACHE_BYTES)?;
    let copied = copy_all(
        source.as_ref(),
        target.as_ref(),
        args.batch_mib.max(1) << 20,
    )?;
    super::device::print_line(&format!(
        "migrate: copied {} keys ({} bytes of values, {} commits) from {} to {}",
        copied.keys,
        copied.bytes,
        copied.commits,
        from.describe(),
        to.describe()
    ));
    Ok(())
}
