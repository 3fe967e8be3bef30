//! `wish-station device ...`: enrollment codes and devices, on a stopped server's data
//! directory. While the server runs, use the API (`/api/v1/enrollments`,
//! `/api/v1/devices`), which also applies changes to live connections.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::doc_writer::open_offline_store;
use crate::access::Role;
use crate::clock::now_ms;
use crate::directory::{Directory, NewEnrollment};

#[derive(Args)]
pub struct DeviceArgs {
    /// Data directory of the (stopped) server.
    #[arg(long, default_value = "./data", global = true)]
    data: PathBuf,
    #[command(subcommand)]
    command: DeviceCommand,
}

#[derive(Subcommand)]
enum DeviceCommand {
    /// Create a one-time enrollment code (shown as text; QR code written on request).
    Enroll {
        /// volunteer, coordinator, partner or office.
        #[arg(long)]
        role: Role,
        /// Person id from the community directory.
        #[arg(long)]
        person: String,
        /// Community id (the community document's id).
        #[arg(long)]
        community: String,
        /// Station id (repeat for several).
        #[arg(long = "station")]
        stations: Vec<String>,
        /// Office only: another community this office covers, as a 街道's or district's
        /// office does (repeat for several).
        #[arg(long = "covers")]
        covers: Vec<String>,
        /// Minutes until the code expires.
        #[arg(long, default_value_t = 24 * 60)]
        expires_mins: u64,
        /// Write the QR code as PNG to this file.
        #[arg(long)]
        qr_png: Option<PathBuf>,
        /// Write the QR code as SVG to this file.
        #[arg(long)]
        qr_svg: Option<PathBuf>,
    },
    /// List enrolled devices.
    List,
    /// Revoke a device's token.
    Revoke { device_id: String },
    /// Change a device's role or stations.
    Assign {
        device_id: String,
        #[arg(long)]
        role: Option<Role>,
        #[arg(long = "station")]
        stations: Vec<String>,
    },
}

impl clap::ValueEnum for Role {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            Role::Volunteer,
            Role::Coordinator,
            Role::Partner,
            Role::Office,
            Role::StationTablet,
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let name = match self {
            Role::Volunteer => "volunteer",
            Role::Coordinator => "coordinator",
            Role::Partner => "partner",
            Role::Office => "office",
            Role::StationTablet => "station_tablet",
            Role::Administrator => return None,
        };
        Some(clap::builder::PossibleValue::new(name))
    }
}

pub fn run(args: DeviceArgs) -> anyhow::Result<()> {
    let store = open_offline_store(&args.data)?;
    // The CLI authenticates nobody; the bootstrap token is irrelevant here.
    let directory = Directory::load(&crate::directory::new_token(), store.clone())?;
    match args.command {
        DeviceCommand::Enroll {
            role,
            person,
            community,
            stations,
            covers,
            expires_mins,
            qr_png,
            qr_svg,
        } => {
            let request = NewEnrollment {
                role,
                person,
                community,
                stations,
                covers,
                expires_in_minutes: Some(expires_mins),
                token_days: None,
                created_by: "cli".into(),
            };
            let (code, record) = directory.create_enrollment(request, now_ms())?;
            write_qr(&code, qr_png, qr_svg)?;
            crate::audit::write(store.as_ref(), "enrollment-created", "cli", &record.person)?;
            print_line(&format!(
                "enrollment code: {code} (expires at {} ms)",
                record.expires_ms
            ));
        }
        DeviceCommand::List => {
            for d in directory.devices() {
                let state = if d.revoked { "revoked" } else { "active" };
                print_line(&format!(
                    "{}\t{}\t{:?}\t{}\t{:?}\t{state}",
                    d.device_id, d.name, d.role, d.person, d.stations
                ));
            }
        }
        DeviceCommand::Revoke { device_id } => {
            directory.revoke(&device_id)?;
            crate::audit::write(store.as_ref(), "device-revoked", "cli", &device_id)?;
            print_line(&format!("revoked {device_id}"));
        }
        DeviceCommand::Assign {
            device_id,
            role,
            stations,
        } => {
            let stations = (!stations.is_empty()).then_some(stations);
            let record = directory.reassign(&device_id, role, None, stations)?;
            crate::audit::write(store.as_ref(), "device-reassigned", "cli", &device_id)?;
            print_line(&format!(
                "{} is now {:?} at {:?}",
                record.device_id, record.role, record.stations
            ));
        }
    }
    Ok(())
}

fn write_qr(code: &str, png: Option<PathBuf>, svg: Option<PathBuf>) -> anyhow::Result<()> {
    if let Some(path) = png {
        std::fs::write(&path, crate::qr::png(code)?)?;
    }
    if let Some(path) = svg {
        std::fs::write(&path, crate::qr::svg(code)?)?;
    }
    Ok(())
}

#[allow(clippy::print_stdout)] // command output
pub(super) fn print_line(line: &str) {
    println!("{line}");
}
