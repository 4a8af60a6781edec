//! `request::format_float` against JavaScript's own `String(n)`, run in
//! Node: the text the vendor's clients sign for a number parameter.
//!
//! The values are every power of two (where a number lies exactly halfway
//! between two shortest spellings, and JavaScript takes the even one: 2^-25
//! is `2.9802322387695312e-8`, not `...313`), a fixed set around the
//! layout's switch points, and 200,000 pseudo-random doubles, each also
//! negated. Needs Node (as `tests/popcore_crosscheck.rs` does): without it
//! the test fails rather than proving nothing.

use std::io::Write as _;
use std::process::{Command, Stdio};

use tagdeck::request::format_float;

/// Prints `String(x)` for each 64-bit pattern (16 hex digits) on stdin.
const NODE_PRINTER: &str = r#"
const lines = require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean);
const view = new DataView(new ArrayBuffer(8));
const out = lines.map((hex) => {
  view.setBigUint64(0, BigInt("0x" + hex));
  return String(view.getFloat64(0));
});
process.stdout.write(out.join("\n") + "\n");
"#;

fn values() -> Vec<f64> {
    let mut values = vec![
        0.0,
        1.0,
        0.1,
        0.5,
        1.5,
        100.0,
        1e-6,
        1e-7,
        1.5e-7,
        1e20,
        1e21,
        1e22,
        1e23,
        5e-324,
        f64::MAX,
        f64::MIN_POSITIVE,
        f64::EPSILON,
        f64::NAN,
        f64::INFINITY,
        123_456_789_012_345_680_000.0,
        9_007_199_254_740_993.0,
    ];
    for exponent in -22..=22 {
        values.push(10f64.powi(exponent));
        values.push(1.25 * 10f64.powi(exponent));
    }
    // Every power of two, subnormal ones included, from its bits.
    for bit in 0..52 {
        values.push(f64::from_bits(1 << bit));
    }
    for biased in 1..2047u64 {
        values.push(f64::from_bits(biased << 52));
    }
    // A fixed pseudo-random sequence (xorshift) over every bit pattern.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    while values.len() < 200_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        values.push(f64::from_bits(state));
    }
    let negated: Vec<f64> = values.iter().map(|v| -v).collect();
    values.extend(negated);
    values
}

#[test]
fn format_float_prints_what_javascript_string_prints() {
    let values = values();
    let input: String = values
        .iter()
        .map(|v| format!("{:016x}\n", v.to_bits()))
        .collect();
    let mut node = Command::new("node")
        .args(["-e", NODE_PRINTER])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run `node` ({e}); this test needs Node"));
    let mut stdin = node.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = node.wait_with_output().expect("node runs");
    writer.join().unwrap().expect("node reads its input");
    assert!(output.status.success(), "node failed: {output:?}");
    let printed = String::from_utf8(output.stdout).expect("UTF-8");
    let javascript: Vec<&str> = printed.lines().collect();
    assert_eq!(javascript.len(), values.len());
    let mismatches: Vec<String> = values
        .iter()
        .zip(&javascript)
        .filter(|(value, js)| format_float(**value) != **js)
        .map(|(value, js)| format!("{value:e}: ours {}, String(n) {js}", format_float(*value)))
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} of {} differ, first: {:?}",
        mismatches.len(),
        values.len(),
        &mismatches[..mismatches.len().min(5)]
    );
}
