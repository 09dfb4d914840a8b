//! alloc-workload: a fixed amount of allocation-heavy work (small serde_json values built,
//! serialised, parsed back and dropped) split over N threads; prints one JSON line with the time.
//! Usage: alloc-workload [--threads N] [--ops TOTAL]   (N defaults to the number of cores)

use serde_json::{json, Value};
use std::collections::VecDeque;
use std::time::Instant;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How many recent values each thread keeps alive, so frees do not simply mirror allocations.
const WINDOW: usize = 64;

fn main() {
    let (threads, ops) = match parse_args(std::env::args().skip(1)) {
        Ok(v) => v,
        Err(line) => {
            eprintln!("error: {line}");
            std::process::exit(2);
        }
    };
    let start = Instant::now();
    let workers: Vec<_> = (0..threads)
        .map(|t| {
            let (t, n) = (t as u64, threads as u64);
            let share = ops / n + u64::from(t < ops % n);
            std::thread::spawn(move || work(t, share))
        })
        .collect();
    let checksum = workers.into_iter().fold(0u64, |acc, w| acc.wrapping_add(w.join().expect("worker panicked")));
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "{}",
        json!({ "threads": threads, "ops": ops, "elapsed_seconds": elapsed, "ops_per_second": ops as f64 / elapsed, "checksum": checksum })
    );
}

/// Reads `--threads N` and `--ops TOTAL`; an Err is the one line to print.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<(usize, u64), String> {
    let mut threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut ops: u64 = 200_000;
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = || format!("{flag} wants a positive integer, got {value:?}");
        match flag.as_str() {
            "--threads" => threads = value.parse().ok().filter(|&n| n > 0).ok_or_else(bad)?,
            "--ops" => ops = value.parse().ok().filter(|&n| n > 0).ok_or_else(bad)?,
            _ => return Err(format!("unknown flag {flag}: use --threads N and --ops TOTAL")),
        }
    }
    Ok((threads, ops))
}

/// One thread's share: each op builds a small document, serialises it, parses it back and
/// keeps it in a short window; returns a checksum so none of it can be optimised away.
fn work(seed: u64, ops: u64) -> u64 {
    let mut live: VecDeque<Value> = VecDeque::with_capacity(WINDOW);
    let mut checksum = 0u64;
    for i in 0..ops {
        let n = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15).wrapping_add(i);
        let doc = json!({
            "address": format!("0x{n:x}"),
            "allowed": n % 3 == 0,
            "tags": [format!("t{}", n % 7), format!("u{}", n % 11), "static"],
            "meta": { "round": i, "note": "x".repeat((n % 48) as usize) },
        });
        let text = serde_json::to_string(&doc).expect("a json! value serialises");
        let back: Value = serde_json::from_str(&text).expect("our own output parses");
        checksum = checksum.wrapping_add(text.len() as u64);
        if live.len() == WINDOW {
            live.pop_front();
        }
        live.push_back(back);
    }
    checksum
}
