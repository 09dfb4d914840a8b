//! The static check itself, the same rules as build-static's verifier
//! (scripts/src/core/build/verify.ts): an ELF executable, the expected machine, no PT_INTERP, no
//! DT_NEEDED, no glibc symbol versions, and not a shared library (ET_DYN must be a PIE).

use crate::elf::{parse, Elf};

/// A platform the image builds for: its name and the ELF machine its executables carry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Platform { pub id: &'static str, pub machine: u16, pub machine_name: &'static str }

const AMD64: Platform = Platform { id: "linux/amd64", machine: 62, machine_name: "x86_64" };
const ARM64: Platform = Platform { id: "linux/arm64", machine: 183, machine_name: "aarch64" };

/// Accepts the spellings target-triple accepts (linux/arm64/v8, arm64, aarch64, a Rust triple…).
pub fn parse_platform(text: &str) -> Option<Platform> {
    match text.trim().to_ascii_lowercase().as_str() {
        "linux/amd64" | "linux/x86_64" | "amd64" | "x86_64" | "x86_64-unknown-linux-musl" => Some(AMD64),
        "linux/arm64" | "linux/arm64/v8" | "linux/aarch64" | "arm64" | "aarch64" | "aarch64-unknown-linux-musl" => Some(ARM64),
        _ => None,
    }
}

/// Kernel-style machine name (x86_64, aarch64), as build-static inspect prints it.
pub fn machine_name(m: u16) -> String {
    let known: &[(u16, &str)] = &[
        (0, "none"), (2, "sparc"), (3, "i386"), (4, "m68k"), (8, "mips"), (20, "ppc"), (21, "ppc64"),
        (22, "s390"), (40, "arm"), (42, "sh"), (43, "sparcv9"), (50, "ia64"), (62, "x86_64"),
        (183, "aarch64"), (243, "riscv"), (247, "bpf"), (258, "loongarch"),
    ];
    known.iter().find(|k| k.0 == m).map_or_else(|| format!("unknown({m})"), |k| k.1.to_string())
}

/// A passing file: its machine and whether it is a classic static or a static PIE.
#[derive(Debug, PartialEq)]
pub struct Static { pub machine: String, pub pie: bool }

/// Checks one file's bytes; Err carries every problem found, joined into one line.
pub fn verdict(bytes: &[u8], platform: Option<Platform>) -> Result<Static, String> {
    let elf = parse(bytes)?;
    let problems = problems(&elf, platform);
    if !problems.is_empty() { return Err(problems.join("; ")); }
    Ok(Static { machine: machine_name(elf.machine), pie: elf.etype == 3 })
}

fn problems(elf: &Elf, platform: Option<Platform>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = platform {
        if elf.machine != p.machine {
            out.push(format!("machine is {}, expected {} for {}", machine_name(elf.machine), p.machine_name, p.id));
        }
    }
    if elf.etype != 2 && elf.etype != 3 { out.push(format!("ELF type {} is not an executable", elf.etype)); }
    if let Some(i) = &elf.interpreter { out.push(format!("has a dynamic loader (PT_INTERP {i})")); }
    if !elf.needed.is_empty() { out.push(format!("needs shared libraries (DT_NEEDED {})", elf.needed.join(", "))); }
    let glibc = glibc_versions(&elf.version_needs);
    if !glibc.is_empty() { out.push(format!("needs glibc symbol versions {}", glibc.join(", "))); }
    if out.is_empty() && elf.etype == 3 && !elf.is_pie { out.push("a shared library (ET_DYN without PIE), not an executable".into()); }
    out
}

/// GLIBC_2.34 → [2, 34]; None for GLIBC_PRIVATE and other libraries' version names.
fn glibc_version(name: &str) -> Option<Vec<u64>> {
    name.strip_prefix("GLIBC_")?.split('.').map(|p| if p.bytes().all(|c| c.is_ascii_digit()) { p.parse().ok() } else { None }).collect()
}

/// The distinct GLIBC_x.y names, oldest first (numeric order: 2.34 after 2.5), as inspect lists them.
fn glibc_versions(names: &[String]) -> Vec<String> {
    let mut v: Vec<(Vec<u64>, &String)> = names.iter().filter_map(|n| glibc_version(n).map(|k| (k, n))).collect();
    v.sort();
    v.dedup();
    v.into_iter().map(|(_, n)| n.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal little-endian ELF64 header (no program or section headers).
    fn header(etype: u16, machine: u16) -> Vec<u8> {
        let mut b = vec![0u8; 64];
        b[..4].copy_from_slice(b"\x7fELF");
        b[4] = 2; b[5] = 1; b[6] = 1;
        b[16..18].copy_from_slice(&etype.to_le_bytes());
        b[18..20].copy_from_slice(&machine.to_le_bytes());
        b[52..54].copy_from_slice(&64u16.to_le_bytes());
        b
    }

    #[test]
    fn static_exec_passes_with_and_without_platform() {
        let b = header(2, 183);
        assert_eq!(verdict(&b, None), Ok(Static { machine: "aarch64".into(), pie: false }));
        assert!(verdict(&b, parse_platform("linux/arm64/v8")).is_ok());
    }

    #[test]
    fn wrong_machine_fails() {
        let e = verdict(&header(2, 62), parse_platform("arm64")).unwrap_err();
        assert_eq!(e, "machine is x86_64, expected aarch64 for linux/arm64");
    }

    #[test]
    fn relocatable_object_fails() {
        assert_eq!(verdict(&header(1, 62), None).unwrap_err(), "ELF type 1 is not an executable");
    }

    #[test]
    fn dyn_without_entry_is_a_library() {
        assert!(verdict(&header(3, 62), None).unwrap_err().contains("shared library"));
    }

    #[test]
    fn non_elf_and_truncated_files_fail_with_one_line() {
        assert_eq!(verdict(b"#!/bin/sh\n", None).unwrap_err(), "not an ELF file (bad magic 23 21 2f 62)");
        assert_eq!(verdict(b"", None).unwrap_err(), "not an ELF file (empty file)");
        let e = verdict(&header(2, 62)[..40], None).unwrap_err();
        assert!(e.starts_with("truncated ELF"), "{e}");
    }

    #[test]
    fn platform_spellings() {
        for s in ["linux/amd64", "amd64", "x86_64", "X86_64"] { assert_eq!(parse_platform(s), Some(AMD64), "{s}"); }
        for s in ["linux/arm64", "linux/arm64/v8", "arm64", "aarch64"] { assert_eq!(parse_platform(s), Some(ARM64), "{s}"); }
        for s in ["", "linux/riscv64", "windows/amd64"] { assert_eq!(parse_platform(s), None, "{s}"); }
    }

    #[test]
    fn glibc_version_names() {
        let names: Vec<String> = ["GLIBC_2.34", "GCC_3.0", "GLIBC_2.5", "GLIBC_PRIVATE", "GLIBC_2.2.5", "GLIBC_2.34", "GLIBC_"].map(String::from).into();
        assert_eq!(glibc_versions(&names), ["GLIBC_2.2.5", "GLIBC_2.5", "GLIBC_2.34"]);
    }
}
