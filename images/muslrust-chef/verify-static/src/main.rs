//! verify-static [--platform PLATFORM] FILE... — proves executables are fully static by reading
//! their ELF (never by running ldd), with the same rules as `build-static build`. Prints one line
//! per file; exit 0 all static, 4 any not static, 2 bad usage or an unreadable file.

mod elf;
mod verdict;

use std::process::ExitCode;

const USAGE: &str = "usage: verify-static [--platform PLATFORM] FILE...
Checks that each FILE is a fully static ELF executable (static or static-pie): no PT_INTERP, no
DT_NEEDED, no glibc symbol versions; with --platform (linux/amd64, linux/arm64, amd64, arm64,
x86_64, aarch64) also the machine. Exit 0 all static, 4 any not, 2 bad usage or unreadable file.";

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("verify-static: {msg} (see verify-static --help)");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut platform = None;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    let mut options_done = false;
    while let Some(a) = args.next() {
        if options_done { files.push(a); continue; }
        let value = if a == "--platform" {
            match args.next() { Some(v) => Some(v), None => return usage_error("--platform needs a value") }
        } else {
            a.strip_prefix("--platform=").map(str::to_string)
        };
        if let Some(v) = value {
            match verdict::parse_platform(&v) {
                Some(p) => platform = Some(p),
                None => return usage_error(&format!("unknown platform \"{v}\": use linux/amd64 or linux/arm64")),
            }
        } else if a == "-h" || a == "--help" {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        } else if a == "--" {
            options_done = true;
        } else if a.starts_with('-') && a.len() > 1 {
            return usage_error(&format!("unknown option {a}"));
        } else {
            files.push(a);
        }
    }
    if files.is_empty() { return usage_error("no FILE given"); }
    // Read everything first, so an unreadable path is a usage error with no verdicts printed.
    let mut contents = Vec::new();
    for f in &files {
        match std::fs::read(f) {
            Ok(b) => contents.push(b),
            Err(e) => {
                eprintln!("verify-static: cannot read {f}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let mut failed = false;
    for (f, bytes) in files.iter().zip(&contents) {
        match verdict::verdict(bytes, platform) {
            Ok(s) => println!("{f}: static {}{}", s.machine, if s.pie { " (static-pie)" } else { "" }),
            Err(reason) => {
                failed = true;
                println!("{f}: not static: {reason}");
            }
        }
    }
    if failed { ExitCode::from(4) } else { ExitCode::SUCCESS }
}
